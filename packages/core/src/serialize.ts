import type { Cart, ShippingPackage, ShippingRate } from './schemas/cart.js';
import type { CartItem, ItemsMap } from './schemas/item.js';

function isEmptyMap(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const _ in value) return false;
  return true;
}

// PHP's json_encode sends an empty associative array as `[]`; mirror that for every map.
function phpArray<T>(map: Record<string, T>): Record<string, T> | [] {
  return isEmptyMap(map) ? [] : map;
}

function mapValues<T, U>(map: Record<string, T>, fn: (value: T) => U): Record<string, U> | [] {
  if (isEmptyMap(map)) return [];
  const out: Record<string, U> = {};
  for (const key of Object.keys(map)) {
    // defineProperty so that a key named "__proto__" stays an ordinary key.
    Object.defineProperty(out, key, {
      value: fn(map[key] as T),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function serializeItem(item: CartItem): unknown {
  // Spreads keep each key at its original position, so the text comes out in the plugin's order.
  return {
    ...item,
    tax_data: {
      ...item.tax_data,
      subtotal: phpArray(item.tax_data.subtotal),
      total: phpArray(item.tax_data.total),
    },
    meta: { ...item.meta, variation: phpArray(item.meta.variation) },
    cart_item_data: phpArray(item.cart_item_data),
  };
}

function serializeRate(rate: ShippingRate): unknown {
  return { ...rate, taxes: phpArray(rate.taxes) };
}

function serializePackage(pkg: ShippingPackage): unknown {
  return { ...pkg, rates: mapValues(pkg.rates, serializeRate) };
}

/**
 * Turns a parsed cart back into the plain JSON value the plugin emits: every empty map becomes
 * `[]` again (fees, taxes, variation, cart_item_data, tax_data.*, rate taxes, packages,
 * removed_items, notices). `JSON.stringify(serializeCart(CartSchema.parse(json)))` reproduces
 * the plugin's text, key order included.
 */
export function serializeCart(cart: Cart): unknown {
  const notices = cart.notices;
  return {
    ...cart,
    items: cart.items.map(serializeItem),
    shipping: { ...cart.shipping, packages: mapValues(cart.shipping.packages, serializePackage) },
    fees: phpArray(cart.fees),
    taxes: phpArray(cart.taxes),
    removed_items: mapValues(cart.removed_items, serializeItem),
    notices: Array.isArray(notices) ? notices : phpArray(notices),
  };
}

/**
 * The plain JSON value of `GET /session/<key>/items`: items keyed by `item_key`, `[]` when empty.
 */
export function serializeItemsMap(map: ItemsMap): unknown {
  return mapValues(map, serializeItem);
}
