import {
  type AddItemRequest,
  type Cart,
  CartItemCountSchema,
  CartSchema,
  type CartTotals,
  CartTotalsSchema,
  type ItemsMap,
  ItemsMapSchema,
  type Product,
  ProductListSchema,
  type UpdateCustomerRequest,
} from '@cocart-sessions/core';
import { hasErrorCode } from '../guards.js';
import type { Answer, CallOptions, RequestSpec, Transport } from '../transport.js';
import { checkKey } from './check-key.js';

/** The header in which the cart API names the cart a request created or used. */
export const CART_KEY_HEADER = 'CoCart-API-Cart-Key';

/** The customer's billing details sent by {@link CartResource.updateCustomer}. */
export type CustomerDetails = Omit<UpdateCustomerRequest, 'namespace'>;

/** Options of {@link CartResource.addItem}: without `cartKey` the server creates a cart. */
export interface AddItemOptions extends CallOptions {
  cartKey?: string;
}

/** A cart and the key that reaches it again (the `CoCart-API-Cart-Key` header). */
export interface CartWithKey {
  cartKey: string;
  cart: Cart;
}

/** The calls of the shopper side of the cart API: what a headless storefront does. No credentials needed. */
export interface CartResource {
  /**
   * `POST cart/add-item`. Without `cartKey` the server creates a guest cart: keep the `cartKey` it
   * resolves with, it is the only way back to that cart.
   * @example
   * const { cartKey, cart } = await client.cart.addItem({ id: 101, quantity: 2 });
   * await client.cart.addItem({ id: 104 }, { cartKey });
   */
  addItem(item: AddItemRequest, options?: AddItemOptions): Promise<CartWithKey>;
  /** `GET cart`: the cart as `sessions.get()` returns it. */
  get(cartKey: string, options?: CallOptions): Promise<Cart>;
  /** `GET cart/items`: the lines keyed by `item_key`; `{}` for an empty cart. */
  items(cartKey: string, options?: CallOptions): Promise<ItemsMap>;
  /** `GET cart/items/count`: the sum of the quantities. */
  count(cartKey: string, options?: CallOptions): Promise<number>;
  /** `GET cart/totals`: strings of minor units. */
  totals(cartKey: string, options?: CallOptions): Promise<CartTotals>;
  /** `POST cart/item/<item_key>`: sets a line's quantity. */
  updateItem(cartKey: string, itemKey: string, quantity: number, options?: CallOptions): Promise<Cart>;
  /** `DELETE cart/item/<item_key>`: removes a line. */
  removeItem(cartKey: string, itemKey: string, options?: CallOptions): Promise<Cart>;
  /** `POST cart/clear`: removes every line. */
  clear(cartKey: string, options?: CallOptions): Promise<Cart>;
  /** `POST cart/update` (the plugin's `update-customer` callback): who the shopper is. */
  updateCustomer(cartKey: string, details: CustomerDetails, options?: CallOptions): Promise<Cart>;
  /** `GET products`: what a cart can hold (`id` is what {@link addItem} takes). */
  products(options?: CallOptions): Promise<Product[]>;
}

/** PHP's empty array for a cart with no lines. */
const isEmptyList = (data: unknown) => Array.isArray(data) && data.length === 0;

/** Builds the cart resource over a transport. */
export function cartResource(transport: Transport): CartResource {
  const call = (spec: RequestSpec): Promise<Answer> => transport.request(spec);
  const query = (cartKey: string) => ({ cart_key: checkKey(cartKey) });
  const cartOf = (answer: Answer): Cart => transport.validate(CartSchema, answer);
  const read = (path: string, cartKey: string, options: CallOptions) =>
    call({ method: 'GET', path, searchParams: query(cartKey), signal: options.signal });
  const write = (
    method: 'POST' | 'DELETE',
    path: string,
    cartKey: string,
    json: unknown,
    options: CallOptions,
  ) => call({ method, path, searchParams: query(cartKey), json, signal: options.signal }).then(cartOf);

  return {
    async addItem(item, options = {}) {
      const { cartKey, signal } = options;
      const answer = await call({
        method: 'POST',
        path: 'cart/add-item',
        searchParams: cartKey === undefined ? undefined : query(cartKey),
        json: item,
        signal,
      });
      const cart = cartOf(answer);
      const key = answer.response.headers.get(CART_KEY_HEADER) ?? cartKey ?? cart.cart_key;
      return { cartKey: key, cart };
    },
    async get(cartKey, options = {}) {
      return cartOf(await read('cart', cartKey, options));
    },
    async items(cartKey, options = {}) {
      try {
        const answer = await read('cart/items', cartKey, options);
        return isEmptyList(answer.data) ? {} : transport.validate(ItemsMapSchema, answer);
      } catch (error) {
        // The plugin answers an empty cart's items with 404 `cocart_no_items_in_cart`.
        if (hasErrorCode(error, 'cocart_no_items_in_cart')) return {};
        throw error;
      }
    },
    async count(cartKey, options = {}) {
      return transport.validate(CartItemCountSchema, await read('cart/items/count', cartKey, options));
    },
    async totals(cartKey, options = {}) {
      return transport.validate(CartTotalsSchema, await read('cart/totals', cartKey, options));
    },
    async updateItem(cartKey, itemKey, quantity, options = {}) {
      const path = `cart/item/${checkKey(itemKey, 'item key')}`;
      return write('POST', path, cartKey, { quantity }, options);
    },
    async removeItem(cartKey, itemKey, options = {}) {
      return write('DELETE', `cart/item/${checkKey(itemKey, 'item key')}`, cartKey, undefined, options);
    },
    async clear(cartKey, options = {}) {
      return write('POST', 'cart/clear', cartKey, undefined, options);
    },
    async updateCustomer(cartKey, details, options = {}) {
      return write('POST', 'cart/update', cartKey, { namespace: 'update-customer', ...details }, options);
    },
    async products(options = {}) {
      const answer = await call({ method: 'GET', path: 'products', signal: options.signal });
      return transport.validate(ProductListSchema, answer);
    },
  };
}
