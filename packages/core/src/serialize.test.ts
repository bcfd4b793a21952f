import { describe, expect, it } from 'vitest';
import { loadFixture, seedCartJson } from '../test/load-fixture.js';
import { CartSchema } from './schemas/cart.js';
import { ItemsMapSchema } from './schemas/item.js';
import { serializeCart, serializeItemsMap } from './serialize.js';

const roundTrip = (json: unknown) => JSON.stringify(serializeCart(CartSchema.parse(json)));

describe('serializeCart', () => {
  it("reproduces the seed's cart text", () => {
    const json = seedCartJson();
    expect(roundTrip(json)).toBe(JSON.stringify(json));
  });

  it('sends [] for maps that arrived as {}, like the plugin', () => {
    const json = seedCartJson();
    json.fees = {};
    json.items[0].meta.variation = {};
    json.items[0].tax_data.total = {};
    json.shipping.packages.default.rates['flat_rate:1'].taxes = {};
    json.notices = {};
    expect(roundTrip(json)).toBe(JSON.stringify(seedCartJson()));
  });

  it('keeps filled maps, extension fields and their values', () => {
    const json = seedCartJson();
    json.fees = { 'gift-wrap': { name: 'Gift wrap', fee: '£2.00' } };
    json.items[0].meta.variation = { Colour: 'Blue' };
    json.items[0].cart_item_data = { engraving: 'Hi' };
    json.removed_items = { [json.items[1].item_key]: json.items[1] };
    json.notices = { success: ['Coupon applied.'] };
    json.extensions = { points: 3 };
    expect(roundTrip(json)).toBe(JSON.stringify(json));
  });

  it('does not change the parsed cart', () => {
    const cart = CartSchema.parse(seedCartJson());
    const before = structuredClone(cart);
    serializeCart(cart);
    expect(cart).toEqual(before);
  });
});

describe('serializeItemsMap', () => {
  it("reproduces the seed's items text", () => {
    const json = loadFixture('session-items');
    expect(JSON.stringify(serializeItemsMap(ItemsMapSchema.parse(json)))).toBe(JSON.stringify(json));
  });

  it('keeps an item keyed "__proto__" as an ordinary key', () => {
    const text = `{"__proto__": ${JSON.stringify(seedCartJson().items[0])}}`;
    // JSON.parse keeps "__proto__" as an own key, as a map built by defineProperty would.
    // A parsed map holds {} where the plugin sent [].
    const own = JSON.parse(text.replace(/"(subtotal|total|variation|cart_item_data)":\[\]/g, '"$1":{}'));
    expect(Object.keys(own)).toEqual(['__proto__']);
    expect(JSON.stringify(serializeItemsMap(own))).toBe(JSON.stringify(JSON.parse(text)));
  });

  it('sends [] for an empty cart, as PHP does', () => {
    expect(serializeItemsMap({})).toEqual([]);
    expect(JSON.stringify(serializeItemsMap(ItemsMapSchema.parse({})))).toBe('[]');
  });
});
