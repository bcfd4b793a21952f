import * as z from 'zod';

/** A cart total: a string of **minor** units (`"19200"` is £192.00, `"-500"` is -£5.00), digits only. */
const MinorUnitsString = z
  .string()
  .regex(/^-?\d+$/, 'expected a string of minor units (digits, optional minus)');

/** `totals` of a cart: every value a string of minor units. */
export const CartTotalsSchema = z.looseObject({
  subtotal: MinorUnitsString,
  subtotal_tax: MinorUnitsString,
  fee_total: MinorUnitsString,
  fee_tax: MinorUnitsString,
  discount_total: MinorUnitsString,
  discount_tax: MinorUnitsString,
  shipping_total: MinorUnitsString,
  shipping_tax: MinorUnitsString,
  total: MinorUnitsString,
  total_tax: MinorUnitsString,
});

/** A cart's totals, strings of minor units. */
export type CartTotals = z.output<typeof CartTotalsSchema>;
