import { describe, expect, it } from 'vitest';
import type { LooseJson } from '../test/load-fixture.js';
import { apiJsonSchemas } from './json-schema.js';

type Json = LooseJson;

describe('apiJsonSchemas', () => {
  const schemas = apiJsonSchemas() as Record<string, Json>;

  it('describes every payload as a draft 2020-12 JSON object', () => {
    expect(Object.keys(schemas).sort()).toEqual(
      [
        'AddItemRequest',
        'Cart',
        'CartItem',
        'CartItemCount',
        'CartTotals',
        'DeleteResponse',
        'ItemsMap',
        'Product',
        'ProductList',
        'SessionListV3',
        'SessionListV4',
        'SessionSummary',
        'UpdateCustomerRequest',
        'UpdateItemRequest',
        'WpError',
      ].sort(),
    );
    for (const schema of Object.values(schemas)) {
      expect(typeof schema).toBe('object');
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      // Plain JSON: survives serialisation unchanged.
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    }
  });

  it('gives the Cart its seed fields, totals as minor-unit strings, and room for extensions', () => {
    const cart = schemas.Cart!;
    expect(cart.type).toBe('object');
    expect(cart.properties).toHaveProperty('totals');
    expect(cart.required).toContain('totals');
    expect(cart.properties.totals.properties.total).toEqual({ type: 'string', pattern: '^-?\\d+$' });
    expect(cart.additionalProperties).toEqual({});
    expect(Object.keys(cart.properties)).toEqual([
      'cart_hash',
      'cart_key',
      'currency',
      'customer',
      'items',
      'item_count',
      'items_weight',
      'coupons',
      'needs_payment',
      'needs_shipping',
      'shipping',
      'fees',
      'taxes',
      'totals',
      'removed_items',
      'cross_sells',
      'notices',
    ]);
  });

  it('describes a PHP map by its wire form: [] or an object', () => {
    const fees = schemas.Cart!.properties.fees;
    const kinds = (fees.anyOf as Json[]).map((s) => s.type).sort();
    expect(kinds).toEqual(['array', 'object']);
    const items = schemas.ItemsMap!;
    expect((items.anyOf as Json[]).map((s) => s.type).sort()).toEqual(['array', 'object']);
  });

  it('describes the list forms and the error envelope', () => {
    expect(schemas.SessionListV3!.type).toBe('array');
    expect(schemas.SessionListV4!.required).toEqual(['sessions', 'page', 'total_pages', 'total_sessions']);
    expect(schemas.SessionSummary!.required).toHaveLength(8);
    expect(schemas.DeleteResponse!.type).toBe('string');
    expect(schemas.WpError!.properties.data.required).toEqual(['status']);
  });
});
