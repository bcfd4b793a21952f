import * as z from 'zod';

/** The cart's currency settings, as the plugin sends them (`currency` of the cart). */
export const CurrencySchema = z.looseObject({
  currency_code: z.string(),
  currency_symbol: z.string(),
  /** Exponent of the minor unit: 2 for GBP (pence), 0 for JPY, 3 for KWD. */
  currency_minor_unit: z.number().int().min(0),
  currency_decimal_separator: z.string(),
  currency_thousand_separator: z.string(),
  currency_prefix: z.string(),
  currency_suffix: z.string(),
});

/** The cart's currency settings. */
export type Currency = z.output<typeof CurrencySchema>;
