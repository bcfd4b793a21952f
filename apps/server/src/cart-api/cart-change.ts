import {
  ApiError,
  type Cart,
  type CartItemDataValue,
  CartSchema,
  type Customer,
  calculateCart,
  customerEmailOf,
  customerNameOf,
  itemKeyOf,
  type ProductSnapshot,
  serializeCart,
} from '@cocart-sessions/core';
import type { NewSession, SessionRecord } from '../store/session-store.js';
import { CART_LIFETIME_SECONDS, MAX_CART_LINES, MAX_LINE_QUANTITY } from './cart-limits.js';
import { productById, STORE_CURRENCY, STORE_TAX } from './store-catalog.js';

/** One line of a cart as the cart API changes it. */
export interface CartLine {
  product: ProductSnapshot;
  quantity: number;
  itemKey: string;
  itemData: Record<string, CartItemDataValue>;
}

/** What a cart is rebuilt from: its lines and its customer. */
export interface CartState {
  lines: CartLine[];
  customer: Customer;
}

/** The stored cart, parsed. */
export function cartOf(record: Pick<SessionRecord, 'cartValue'>): Cart {
  return CartSchema.parse(JSON.parse(record.cartValue));
}

function isItemDataValue(v: unknown): v is CartItemDataValue {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * The lines and customer of a stored cart, as the store would recalculate it: each line priced from
 * the catalog today; a line whose product the catalog does not have is dropped, as WooCommerce's
 * cart check drops products that no longer exist. Coupons, fees and shipping of carts imported or
 * seeded elsewhere are not kept by a write (the cart API applies none).
 */
export function stateOf(record: Pick<SessionRecord, 'cartValue'>): CartState {
  const cart = cartOf(record);
  const lines: CartLine[] = [];
  for (const item of cart.items) {
    const known = productById(item.id);
    const quantity = item.quantity.value;
    // An imported cart may hold what no add-to-cart could: such a line goes, as an unknown product's.
    if (known === undefined || !Number.isSafeInteger(quantity) || quantity < 1) continue;
    const itemData: Record<string, CartItemDataValue> = {};
    for (const [k, v] of Object.entries(item.cart_item_data)) if (isItemDataValue(v)) itemData[k] = v;
    const variation = item.meta.variation;
    lines.push({
      product: Object.keys(variation).length > 0 ? { ...known, variation } : known,
      quantity: Math.min(quantity, MAX_LINE_QUANTITY),
      itemKey: item.item_key,
      itemData,
    });
  }
  return { lines, customer: cart.customer };
}

/** Checks a requested quantity against the plugin's minimum (1) and the server's maximum. */
export function checkQuantity(quantity: number): number {
  if (quantity < 1) throw new ApiError('cocart_quantity_invalid_amount');
  if (quantity > MAX_LINE_QUANTITY) {
    throw new ApiError('cocart_quantity_invalid_amount', {
      message: `Quantity must be ${MAX_LINE_QUANTITY} or lower.`,
      data: { max_quantity: MAX_LINE_QUANTITY },
    });
  }
  return quantity;
}

/** The item keys of catalog products added with no variation and no item data, by product id. */
const plainItemKeys = new Map<number, string>();

/** {@link itemKeyOf}, whose md5 a plain product (the usual add) pays only once. */
function itemKeyFor(product: ProductSnapshot, itemData: Record<string, CartItemDataValue>): string {
  if (Object.keys(itemData).length > 0 || Object.keys(product.variation ?? {}).length > 0) {
    return itemKeyOf(product, itemData);
  }
  let key = plainItemKeys.get(product.id);
  if (key === undefined) {
    key = itemKeyOf(product, itemData);
    plainItemKeys.set(product.id, key);
  }
  return key;
}

/**
 * Adds `quantity` of a product (with its variation and item data) to the lines: the same item key
 * adds to that line, as WooCommerce does; a new key is a new line, within {@link MAX_CART_LINES}.
 */
export function addLine(
  state: CartState,
  product: ProductSnapshot,
  quantity: number,
  itemData: Record<string, CartItemDataValue>,
): CartState {
  const itemKey = itemKeyFor(product, itemData);
  const existing = state.lines.find((l) => l.itemKey === itemKey);
  if (existing) {
    const total = checkQuantity(existing.quantity + quantity);
    return {
      ...state,
      lines: state.lines.map((l) => (l === existing ? { ...l, quantity: total } : l)),
    };
  }
  if (state.lines.length >= MAX_CART_LINES) {
    throw new ApiError('cocart_cannot_add_to_cart', {
      message: `You cannot add "${product.name}" to your cart: a cart holds at most ${MAX_CART_LINES} different items.`,
      data: { max_lines: MAX_CART_LINES },
    });
  }
  return { ...state, lines: [...state.lines, { product, quantity, itemKey, itemData }] };
}

/** The line of `itemKey`, or the plugin's 404 (`message` as the route words it). */
function lineOf(state: CartState, itemKey: string, message: string): CartLine {
  const line = state.lines.find((l) => l.itemKey === itemKey);
  if (line === undefined) throw new ApiError('cocart_item_not_in_cart', { message });
  return line;
}

/** Removes a line, as `DELETE cart/item/<item_key>` does (and `quantity: 0` on update). */
export function removeLine(state: CartState, itemKey: string): CartState {
  if (state.lines.length === 0) throw new ApiError('cocart_no_items_in_cart');
  const line = lineOf(state, itemKey, 'Item does not exist in cart.');
  return { ...state, lines: state.lines.filter((l) => l !== line) };
}

/** Sets a line's quantity; 0 removes it, as the plugin's update-item does. */
export function setLineQuantity(state: CartState, itemKey: string, quantity: number): CartState {
  if (quantity === 0) return removeLine(state, itemKey);
  const line = lineOf(state, itemKey, 'Item specified does not exist in cart.');
  checkQuantity(quantity);
  return { ...state, lines: state.lines.map((l) => (l === line ? { ...l, quantity } : l)) };
}

/**
 * The session row of a cart state: totals by the core's calculator in the store's currency and tax,
 * the cart text exactly as `GET /session/<key>` will answer it.
 */
export function sessionOfState(
  cartKey: string,
  state: CartState,
  times: { created: number; expiry: number },
  cartSource: string,
): NewSession {
  const cart = calculateCart({
    cartKey,
    currency: STORE_CURRENCY,
    customer: state.customer,
    items: state.lines.map((l) => ({
      product: l.product,
      quantity: l.quantity,
      itemKey: l.itemKey,
      cartItemData: l.itemData,
    })),
    taxRate: STORE_TAX,
  });
  return {
    cartKey,
    cartSource,
    cartCreated: times.created,
    cartExpiry: times.expiry,
    cartHash: cart.cart_hash,
    customerName: customerNameOf(cart),
    customerEmail: customerEmailOf(cart),
    cartValue: JSON.stringify(serializeCart(cart)),
  };
}

/** A stored session rewritten with a new state: same key, created time and source; expiry refreshed. */
export function rewrite(current: SessionRecord, state: CartState, now: number): NewSession {
  return sessionOfState(
    current.cartKey,
    state,
    { created: current.cartCreated, expiry: now + CART_LIFETIME_SECONDS },
    current.cartSource,
  );
}
