import * as z from 'zod';
import { phpMap } from './php-map.js';

/** A tax amount keyed by tax rate id; WooCommerce stores floats, some stores send strings. */
export const TaxAmountSchema = z.union([z.number(), z.string()]);

/** `quantity` of a cart item; `max_purchase` is -1 when unlimited. */
export const ItemQuantitySchema = z.looseObject({
  value: z.number(),
  min_purchase: z.number(),
  max_purchase: z.number(),
});

/** `tax_data` of a cart item: tax per rate id (PHP maps, `[]` when untaxed). */
export const ItemTaxDataSchema = z.looseObject({
  subtotal: phpMap(TaxAmountSchema),
  total: phpMap(TaxAmountSchema),
});

/** `totals` of a cart item: numbers in **major** units (`12` is £12.00). */
export const ItemTotalsSchema = z.looseObject({
  subtotal: z.number(),
  subtotal_tax: z.number(),
  total: z.number(),
  tax: z.number(),
});

/** `meta.dimensions` of a cart item: strings as WooCommerce stores them (`""` when unset). */
export const ItemDimensionsSchema = z.looseObject({
  length: z.string(),
  width: z.string(),
  height: z.string(),
  unit: z.string(),
});

/** `meta` of a cart item. */
export const ItemMetaSchema = z.looseObject({
  product_type: z.string(),
  sku: z.string(),
  dimensions: ItemDimensionsSchema,
  weight: z.number(),
  variation: phpMap(z.string()),
});

/** One item of a cart. `price` is a decimal string in major units (`"12.00"`). */
export const CartItemSchema = z.looseObject({
  item_key: z.string(),
  id: z.number().int(),
  name: z.string(),
  title: z.string(),
  price: z.string(),
  quantity: ItemQuantitySchema,
  tax_data: ItemTaxDataSchema,
  totals: ItemTotalsSchema,
  slug: z.string(),
  meta: ItemMetaSchema,
  cart_item_data: phpMap(z.unknown()),
  featured_image: z.string(),
});

/** One item of a cart. */
export type CartItem = z.output<typeof CartItemSchema>;

/** `GET /session/<key>/items`: items keyed by `item_key` (`[]` for an empty cart). */
export const ItemsMapSchema = phpMap(CartItemSchema);

/** Items keyed by `item_key`. */
export type ItemsMap = z.output<typeof ItemsMapSchema>;
