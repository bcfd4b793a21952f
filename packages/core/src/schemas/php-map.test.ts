import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LooseJson, seedCartJson } from '../../test/load-fixture.js';
import { CartSchema } from './cart.js';
import { ItemsMapSchema } from './item.js';
import { isPhpMapRecord, phpMap } from './php-map.js';

describe('phpMap', () => {
  const NumberMap = phpMap(z.number());

  it('turns PHP’s empty array into an empty map', () => {
    const out = NumberMap.parse([]);
    expect(out).toEqual({});
    expect(Array.isArray(out)).toBe(false);
  });

  it('keeps objects as maps, in key order', () => {
    expect(NumberMap.parse({})).toEqual({});
    expect(Object.entries(NumberMap.parse({ b: 2, a: 1 }))).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
  });

  it('rejects non-empty arrays, wrong values and non-objects', () => {
    expect(NumberMap.safeParse([1]).success).toBe(false);
    expect(NumberMap.safeParse({ a: 'x' }).success).toBe(false);
    expect(NumberMap.safeParse(null).success).toBe(false);
    expect(NumberMap.safeParse('[]').success).toBe(false);
  });

  it('drops a "__proto__" key instead of letting it replace the prototype', () => {
    const out = NumberMap.parse(JSON.parse('{"__proto__": 1, "a": 2}'));
    expect(Object.keys(out)).toEqual(['a']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('reports bad values with their full path', () => {
    const result = z.object({ m: phpMap(z.object({ n: z.number() })) }).safeParse({ m: { k: { n: 'x' } } });
    expect(result.error?.issues.map((i) => i.path)).toEqual([['m', 'k', 'n']]);
  });

  it('marks only its own record schemas for JSON Schema generation', () => {
    expect(isPhpMapRecord(NumberMap.in)).toBe(false);
    expect(isPhpMapRecord(NumberMap.out)).toBe(true);
    expect(isPhpMapRecord(z.record(z.string(), z.number()))).toBe(false);
    expect(isPhpMapRecord(null)).toBe(false);
  });

  it('gives ItemsMapSchema an empty map for an empty cart', () => {
    expect(ItemsMapSchema.parse([])).toEqual({});
  });
});

// Every PHP map of the cart: a setter that puts a value there and a getter that reads the parsed one.
type Cart = LooseJson;
const CART_MAPS: Array<[string, (c: Cart, v: unknown) => void, (c: Cart) => unknown]> = [
  ['fees', (c, v) => (c.fees = v), (c) => c.fees],
  ['taxes', (c, v) => (c.taxes = v), (c) => c.taxes],
  ['removed_items', (c, v) => (c.removed_items = v), (c) => c.removed_items],
  [
    'items[0].tax_data.subtotal',
    (c, v) => (c.items[0].tax_data.subtotal = v),
    (c) => c.items[0].tax_data.subtotal,
  ],
  ['items[0].tax_data.total', (c, v) => (c.items[0].tax_data.total = v), (c) => c.items[0].tax_data.total],
  ['items[0].meta.variation', (c, v) => (c.items[0].meta.variation = v), (c) => c.items[0].meta.variation],
  ['items[0].cart_item_data', (c, v) => (c.items[0].cart_item_data = v), (c) => c.items[0].cart_item_data],
  ['shipping.packages', (c, v) => (c.shipping.packages = v), (c) => c.shipping.packages],
  [
    'shipping.packages.default.rates',
    (c, v) => (c.shipping.packages.default.rates = v),
    (c) => c.shipping.packages.default.rates,
  ],
  [
    "shipping.packages.default.rates['flat_rate:1'].taxes",
    (c, v) => (c.shipping.packages.default.rates['flat_rate:1'].taxes = v),
    (c) => c.shipping.packages.default.rates['flat_rate:1'].taxes,
  ],
];

describe('every map of the cart accepts [] and {}', () => {
  it.each(CART_MAPS)('%s', (_path, set, get) => {
    for (const empty of [[], {}]) {
      const json = seedCartJson();
      set(json, empty);
      const cart = CartSchema.parse(json) as Cart;
      expect(get(cart)).toEqual({});
      expect(Array.isArray(get(cart))).toBe(false);
    }
  });

  it('accepts filled maps', () => {
    const json = seedCartJson();
    json.fees = { 'gift-wrap': { name: 'Gift wrap', fee: '£2.00' } };
    json.taxes = { 'GB-VAT-1': { name: 'VAT', price: '£38.40' } };
    json.items[0].tax_data = { subtotal: { 1: 0.2 }, total: { 1: 0.2 } };
    json.items[0].meta.variation = { Colour: 'Blue' };
    json.items[0].cart_item_data = { engraving: 'Hi' };
    json.shipping.packages.default.rates['flat_rate:1'].taxes = { 1: 4 };
    json.removed_items = { [json.items[1].item_key]: json.items[1] };
    const cart = CartSchema.parse(json);
    expect(cart.fees['gift-wrap']?.fee).toBe('£2.00');
    expect(cart.taxes['GB-VAT-1']?.name).toBe('VAT');
    expect(cart.items[0]?.tax_data.total).toEqual({ 1: 0.2 });
    expect(cart.items[0]?.meta.variation).toEqual({ Colour: 'Blue' });
    expect(Object.keys(cart.removed_items)).toEqual(['47686bc78b514a82756f71ddb661ea02']);
  });
});
