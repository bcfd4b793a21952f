import { describe, expect, it } from 'vitest';
import {
  CartSchema,
  DeleteResponseSchema,
  ItemsMapSchema,
  SessionListSchema,
  SessionListV3Schema,
  serializeCart,
  serializeItemsMap,
} from '../src/index.js';
import { fixtureText, loadFixture } from './load-fixture.js';

// The plugin's text, minified: what JSON.stringify of a faithful value must reproduce.
const minified = (name: Parameters<typeof fixtureText>[0]) => JSON.stringify(JSON.parse(fixtureText(name)));

describe('seed fixtures', () => {
  it('sessions-list.json parses as the 3.x list and round-trips', () => {
    const list = SessionListV3Schema.parse(loadFixture('sessions-list'));
    expect(list).toHaveLength(2);
    expect(list[1]?.customers_email).toBe('clark@dailyplanet.wb');
    expect(JSON.stringify(list)).toBe(minified('sessions-list'));
    expect(SessionListSchema.parse(loadFixture('sessions-list'))).toEqual(list);
  });

  it('session-cart.json parses and re-serialises to the same text, key order included', () => {
    const cart = CartSchema.parse(loadFixture('session-cart'));
    expect(cart.cart_key).toBe('1');
    expect(cart.totals.total).toBe('20700');
    expect(JSON.stringify(serializeCart(cart))).toBe(minified('session-cart'));
  });

  it('session-items.json parses to a map keyed by item_key and round-trips', () => {
    const items = ItemsMapSchema.parse(loadFixture('session-items'));
    expect(Object.keys(items)).toEqual([
      'f88f1e366aab64913744154e427ade89',
      '47686bc78b514a82756f71ddb661ea02',
      'f28cd9f0560070670a861d86462b8f14',
      '80f119e2ee66d2d8a0b601f695c305d8',
    ]);
    expect(JSON.stringify(serializeItemsMap(items))).toBe(minified('session-items'));
  });

  it('session-delete.json is the seed string', () => {
    expect(DeleteResponseSchema.parse(loadFixture('session-delete'))).toBe('Cart successfully deleted!');
  });
});
