import type { Product, ProductSnapshot } from '@cocart-sessions/core';
import { DEMO_CURRENCIES, DEMO_PRODUCTS } from '../demo/catalog.js';
import { type Market, productOf } from '../demo/seed.js';
import { MAX_LINE_QUANTITY } from './cart-limits.js';

/** The shop the cart API sells from: the demo catalog in its first market (GBP, VAT 20%). */
const MARKET: Market = DEMO_CURRENCIES[0]!;

/** The store's currency: every cart the cart API writes is in it. */
export const STORE_CURRENCY = MARKET.currency;

/** The store's one tax rate, applied to every line. */
export const STORE_TAX = MARKET.tax;

const SNAPSHOTS: readonly ProductSnapshot[] = DEMO_PRODUCTS.map((_, i) => productOf(i, MARKET));
const BY_ID = new Map(SNAPSHOTS.map((p) => [p.id, p]));
// WooCommerce looks SKUs up as stored; ours are upper case, so a SKU is matched case-insensitively.
const BY_SKU = new Map(SNAPSHOTS.map((p) => [p.sku.toLowerCase(), p]));

/** The product of an id, as the calculator takes it; `undefined` when the store has no such product. */
export function productById(id: number): ProductSnapshot | undefined {
  return BY_ID.get(id);
}

/** The product of a SKU (the plugin accepts a SKU as `id`). */
export function productBySku(sku: string): ProductSnapshot | undefined {
  return BY_SKU.get(sku.trim().toLowerCase());
}

/** `GET products`: each product in CoCart's v2 product shape, the fields a storefront adds to a cart with. */
export function productList(restUrl: string): Product[] {
  return SNAPSHOTS.map((p) => {
    const price = String(p.price);
    return {
      id: p.id,
      parent_id: 0,
      name: p.name,
      type: p.type ?? 'simple',
      slug: p.slug,
      sku: p.sku,
      prices: {
        price,
        regular_price: price,
        sale_price: price,
        on_sale: false,
        currency: STORE_CURRENCY,
      },
      weight: String(p.weight ?? 0),
      variations: [],
      stock: { is_in_stock: true, stock_quantity: null, stock_status: 'instock' },
      add_to_cart: {
        text: 'Add to cart',
        is_purchasable: true,
        purchase_quantity: { min_purchase: 1, max_purchase: MAX_LINE_QUANTITY },
        rest_url: `${restUrl}?id=${p.id}`,
      },
    };
  });
}
