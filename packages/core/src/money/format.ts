import type { Currency } from '../schemas/currency.js';
import { fromMinorUnits } from './minor-units.js';

/** The currency settings {@link formatMoney} reads (a whole `Currency` fits). */
export type MoneyFormat = Pick<
  Currency,
  | 'currency_minor_unit'
  | 'currency_decimal_separator'
  | 'currency_thousand_separator'
  | 'currency_prefix'
  | 'currency_suffix'
>;

/** Inserts `separator` between every group of three digits, counted from the right. */
export function groupThousands(digits: string, separator: string): string {
  if (separator === '' || digits.length <= 3) return digits;
  const head = digits.length % 3 || 3;
  const groups = [digits.slice(0, head)];
  for (let i = head; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.join(separator);
}

/**
 * Formats integer minor units with the cart's currency settings, as the plugin's `wc_price` renders them
 * once tags and entities are stripped: the sign goes before the prefix.
 * @example formatMoney(19200, gbp) // "£192.00"
 * @example formatMoney(-500, gbp) // "-£5.00"
 * @example formatMoney(123456, gbp) // "£1,234.56"
 * @example formatMoney(1235, kwdWithSuffix) // "1.235 KD" (currency_minor_unit 3, suffix " KD")
 * @throws CoreError 'invalid_amount' | 'unsafe_amount' | 'invalid_decimals'
 */
export function formatMoney(minor: number, currency: MoneyFormat): string {
  const decimals = currency.currency_minor_unit;
  const plain = fromMinorUnits(minor, decimals);
  const negative = plain.startsWith('-');
  const unsigned = negative ? plain.slice(1) : plain;
  const [integer = '0', fraction = ''] = unsigned.split('.');
  const grouped = groupThousands(integer, currency.currency_thousand_separator);
  const number = decimals > 0 ? `${grouped}${currency.currency_decimal_separator}${fraction}` : grouped;
  return `${negative ? '-' : ''}${currency.currency_prefix}${number}${currency.currency_suffix}`;
}
