import { type Cart, formatMoney, parseCartTotal } from '@cocart-sessions/core';

/** What the sessions table shows of a cart: its item count and its total. */
export interface CartFigures {
  itemCount: number;
  /** `totals.total` in minor units; NaN when the cart's total does not parse. */
  totalMinor: number;
  currencyCode: string;
  /** The total formatted in the cart's own currency (`£207.00`, `1.234,56€`), or the raw text. */
  total: string;
}

/** A cart's figures; a total that does not parse is shown as the API gave it. */
export function cartFiguresOf(cart: Cart): CartFigures {
  const raw = cart.totals.total;
  let totalMinor = Number.NaN;
  let total = raw;
  try {
    totalMinor = parseCartTotal(raw);
    total = formatMoney(totalMinor, cart.currency);
  } catch {
    // A hand-edited or foreign cart: its text is still worth showing.
  }
  return { itemCount: cart.item_count, totalMinor, currencyCode: cart.currency.currency_code, total };
}

/** A cart's figures as the table knows them: on their way, read, or not to be had. */
export type CartValue =
  | { status: 'loading' }
  | { status: 'loaded'; figures: CartFigures }
  /** The cart is gone (404) or could not be read. */
  | { status: 'missing' };
