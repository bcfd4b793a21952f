import { formatApiDate } from '../dates.js';
import type { Cart } from '../schemas/cart.js';
import type { ItemsMap } from '../schemas/item.js';
import type { SessionSummary } from '../schemas/session.js';

/**
 * The session list's `customers_name`: billing first name, a space, billing last name, trimmed;
 * `""` when neither is known.
 *
 * @example
 * customerNameOf(seedCart); // 'Sebastien Dumont Dumont'
 */
export function customerNameOf(cart: Cart): string {
  // Imported carts are stored as given, so the address may be missing despite the type.
  const billing = cart.customer?.billing_address;
  return `${billing?.billing_first_name ?? ''} ${billing?.billing_last_name ?? ''}`.trim();
}

/** The session list's `customers_email`: the billing email, `""` when unknown. */
export function customerEmailOf(cart: Cart): string {
  return cart.customer?.billing_address?.billing_email ?? '';
}

/** `GET /session/<key>/items`: the cart's items keyed by `item_key`, in cart order. */
export function itemsMapOf(cart: Cart): ItemsMap {
  // fromEntries defines own properties, so an item_key of "__proto__" stays an ordinary key.
  return Object.fromEntries(cart.items.map((item) => [item.item_key, item]));
}

/** One entry of `GET /sessions` from a stored row and the absolute URL of its cart. */
export function toSessionSummary(
  row: {
    cartId: number;
    cartKey: string;
    cartCreated: number;
    cartExpiry: number;
    cartSource: string;
    customerName: string;
    customerEmail: string;
  },
  link: string,
): SessionSummary {
  return {
    cart_id: String(row.cartId),
    cart_key: row.cartKey,
    customers_name: row.customerName,
    customers_email: row.customerEmail,
    cart_created: formatApiDate(row.cartCreated),
    cart_expiry: formatApiDate(row.cartExpiry),
    cart_source: row.cartSource,
    link,
  };
}
