import * as z from 'zod';
import { CartSchema } from './schemas/cart.js';
import {
  AddItemRequestSchema,
  CartItemCountSchema,
  ProductListSchema,
  ProductSchema,
  UpdateCustomerRequestSchema,
  UpdateItemRequestSchema,
} from './schemas/cart-api.js';
import { DeleteResponseSchema } from './schemas/delete.js';
import { WpErrorSchema } from './schemas/error.js';
import { CartItemSchema, ItemsMapSchema } from './schemas/item.js';
import { SessionListV3Schema, SessionListV4Schema } from './schemas/list.js';
import { isPhpMapRecord } from './schemas/php-map.js';
import { SessionSummarySchema } from './schemas/session.js';
import { CartTotalsSchema } from './schemas/totals.js';

/** Names of the API payloads that {@link apiJsonSchemas} describes. */
export type ApiSchemaName =
  | 'SessionSummary'
  | 'SessionListV3'
  | 'SessionListV4'
  | 'Cart'
  | 'CartItem'
  | 'ItemsMap'
  | 'DeleteResponse'
  | 'WpError'
  | 'CartTotals'
  | 'CartItemCount'
  | 'Product'
  | 'ProductList'
  | 'AddItemRequest'
  | 'UpdateItemRequest'
  | 'UpdateCustomerRequest';

const API_SCHEMAS: Record<ApiSchemaName, z.ZodType> = {
  SessionSummary: SessionSummarySchema,
  SessionListV3: SessionListV3Schema,
  SessionListV4: SessionListV4Schema,
  Cart: CartSchema,
  CartItem: CartItemSchema,
  ItemsMap: ItemsMapSchema,
  DeleteResponse: DeleteResponseSchema,
  WpError: WpErrorSchema,
  CartTotals: CartTotalsSchema,
  CartItemCount: CartItemCountSchema,
  Product: ProductSchema,
  ProductList: ProductListSchema,
  AddItemRequest: AddItemRequestSchema,
  UpdateItemRequest: UpdateItemRequestSchema,
  UpdateCustomerRequest: UpdateCustomerRequestSchema,
};

// Rewrites a PHP map's record schema in place into `anyOf: [empty array, the record]`.
function describePhpMap(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  if (!isPhpMapRecord(ctx.zodSchema)) return;
  const objectForm = { ...ctx.jsonSchema };
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  ctx.jsonSchema.anyOf = [{ type: 'array', maxItems: 0 }, objectForm];
}

/**
 * JSON Schemas (draft 2020-12, usable as OpenAPI 3.1 schema objects) of every API payload.
 * They describe the wire form (`io: 'input'`, so the step that reads `[]` as `{}` stays out of
 * the document), and every PHP map as `[]` or an object, as the plugin sends it.
 */
export function apiJsonSchemas(): Record<ApiSchemaName, object> {
  const out = {} as Record<ApiSchemaName, object>;
  for (const [name, schema] of Object.entries(API_SCHEMAS) as Array<[ApiSchemaName, z.ZodType]>) {
    out[name] = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', override: describePhpMap });
  }
  return out;
}
