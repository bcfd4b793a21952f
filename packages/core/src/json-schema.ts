import { z } from 'zod';
import { CartSchema } from './schemas/cart.js';
import { DeleteResponseSchema } from './schemas/delete.js';
import { WpErrorSchema } from './schemas/error.js';
import { CartItemSchema, ItemsMapSchema } from './schemas/item.js';
import { SessionListV3Schema, SessionListV4Schema } from './schemas/list.js';
import { SessionSummarySchema } from './schemas/session.js';

/** Names of the API payloads that {@link apiJsonSchemas} describes. */
export type ApiSchemaName =
  | 'SessionSummary'
  | 'SessionListV3'
  | 'SessionListV4'
  | 'Cart'
  | 'CartItem'
  | 'ItemsMap'
  | 'DeleteResponse'
  | 'WpError';

const API_SCHEMAS: Record<ApiSchemaName, z.ZodType> = {
  SessionSummary: SessionSummarySchema,
  SessionListV3: SessionListV3Schema,
  SessionListV4: SessionListV4Schema,
  Cart: CartSchema,
  CartItem: CartItemSchema,
  ItemsMap: ItemsMapSchema,
  DeleteResponse: DeleteResponseSchema,
  WpError: WpErrorSchema,
};

/**
 * JSON Schemas (draft 2020-12, usable as OpenAPI 3.1 schema objects) of every API payload.
 * They describe the wire form (`io: 'input'`): a PHP map is `[]` or an object, and the
 * transform that turns `[]` into `{}` stays out of the document.
 */
export function apiJsonSchemas(): Record<ApiSchemaName, object> {
  const out = {} as Record<ApiSchemaName, object>;
  for (const [name, schema] of Object.entries(API_SCHEMAS) as Array<[ApiSchemaName, z.ZodType]>) {
    out[name] = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  }
  return out;
}
