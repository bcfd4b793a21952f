import * as z from 'zod';
import { CurrencySchema } from './currency.js';

/**
 * A quantity as the plugin takes it: a number or a numeric string. Whole numbers only here (the
 * plugin floors `1.5` to 1 with `wc_stock_amount`; a silently changed quantity surprises more than
 * an error). Whether it is at least 1 or within the server's maximum is the handler's check, which
 * answers the plugin's `cocart_quantity_invalid_amount`.
 */
export const CartQuantitySchema = z.union([z.int(), z.string().regex(/^\s*-?\d+\s*$/)]);

/**
 * Short text of a request: attribute names and values, item data, customer fields. No NUL: a
 * database column cannot hold one (PostgreSQL refuses it, SQLite cuts the text there).
 */
const Text = z
  .string()
  .max(200)
  .refine((s) => !s.includes('\0'), 'must not contain a NUL character');

/**
 * `POST cart/add-item`: the product (`id`: its id, or its SKU as the plugin allows), the quantity
 * (default 1), the chosen variation attributes and extra item data; both of the last two take part
 * in the item key as in WooCommerce's `generate_cart_id`. Unknown fields are refused.
 */
export const AddItemRequestSchema = z.strictObject({
  id: z.union([z.int().nonnegative(), Text]),
  quantity: CartQuantitySchema.optional(),
  variation: z.record(Text, Text).optional(),
  item_data: z.record(Text, z.union([Text, z.number(), z.boolean()])).optional(),
});

/** The body of `POST cart/add-item`. */
export type AddItemRequest = z.input<typeof AddItemRequestSchema>;

/** `POST cart/item/<item_key>`: the item's new quantity (0 removes it, as in the plugin). */
export const UpdateItemRequestSchema = z.strictObject({
  quantity: CartQuantitySchema,
});

/** The body of `POST cart/item/<item_key>`. */
export type UpdateItemRequest = z.input<typeof UpdateItemRequestSchema>;

/**
 * `POST cart/update` with the plugin's `update-customer` namespace: the customer's billing details,
 * named as the plugin names them (no `billing_` prefix). An empty value leaves the field as it was.
 */
export const UpdateCustomerRequestSchema = z.strictObject({
  namespace: z.string().max(64).optional(),
  first_name: Text.optional(),
  last_name: Text.optional(),
  company: Text.optional(),
  email: Text.optional(),
  phone: Text.optional(),
});

/** The body of `POST cart/update`. */
export type UpdateCustomerRequest = z.input<typeof UpdateCustomerRequestSchema>;

/** `POST cart/clear` takes no fields (an empty object, or no body). */
export const ClearCartRequestSchema = z.strictObject({});

/** `GET cart/items/count`: the sum of the item quantities. */
export const CartItemCountSchema = z.number().int().nonnegative();

/**
 * One product of `GET products`: the fields of CoCart's v2 product a storefront needs to add it to a
 * cart. `prices.*` are strings of minor units, as the plugin's `cocart_prepare_money_response` gives.
 */
export const ProductSchema = z.looseObject({
  id: z.number().int(),
  parent_id: z.number().int(),
  name: z.string(),
  type: z.string(),
  slug: z.string(),
  sku: z.string(),
  prices: z.looseObject({
    price: z.string(),
    regular_price: z.string(),
    sale_price: z.string(),
    on_sale: z.boolean(),
    currency: CurrencySchema,
  }),
  weight: z.string(),
  variations: z.array(z.unknown()),
  stock: z.looseObject({
    is_in_stock: z.boolean(),
    stock_quantity: z.number().int().nullable(),
    stock_status: z.string(),
  }),
  add_to_cart: z.looseObject({
    is_purchasable: z.boolean(),
    purchase_quantity: z.looseObject({ min_purchase: z.number().int(), max_purchase: z.number().int() }),
  }),
});

/** A product as `GET products` lists it. */
export type Product = z.output<typeof ProductSchema>;

/** `GET products`: every product a cart can hold. */
export const ProductListSchema = z.array(ProductSchema);
