import { describe, expect, it } from 'vitest';
import { loadFixture, seedCartJson } from '../../test/load-fixture.js';
import { CartSchema } from '../schemas/cart.js';
import { ItemsMapSchema } from '../schemas/item.js';
import { SessionListV3Schema } from '../schemas/list.js';
import { customerEmailOf, customerNameOf, itemsMapOf, toSessionSummary } from './views.js';

const seedCart = () => CartSchema.parse(seedCartJson());

describe('customer views', () => {
  it("names the seed's customer as the SPEC says", () => {
    expect(customerNameOf(seedCart())).toBe('Sebastien Dumont Dumont');
    expect(customerEmailOf(seedCart())).toBe('mailme@sebastiendumont.com');
  });

  it('trims a missing half and gives "" when nothing is known', () => {
    const json = seedCartJson();
    json.customer.billing_address.billing_first_name = '';
    expect(customerNameOf(CartSchema.parse(json))).toBe('Dumont');
    json.customer.billing_address.billing_last_name = '';
    json.customer.billing_address.billing_email = '';
    expect(customerNameOf(CartSchema.parse(json))).toBe('');
    expect(customerEmailOf(CartSchema.parse(json))).toBe('');
  });

  it('tolerates a stored cart without a customer', () => {
    const { customer: _, ...rest } = seedCart();
    const cart = rest as unknown as Parameters<typeof customerNameOf>[0];
    expect(customerNameOf(cart)).toBe('');
    expect(customerEmailOf(cart)).toBe('');
  });
});

describe('itemsMapOf', () => {
  it("equals the seed's items payload", () => {
    const map = itemsMapOf(seedCart());
    expect(map).toStrictEqual(ItemsMapSchema.parse(loadFixture('session-items')));
    expect(Object.keys(map)).toEqual(seedCart().items.map((i) => i.item_key));
  });

  it('is empty for an empty cart', () => {
    expect(itemsMapOf({ ...seedCart(), items: [] })).toEqual({});
  });
});

describe('toSessionSummary', () => {
  it("renders the seed's list entries from stored rows", () => {
    const link = (key: string) => `https://example.com/wp-json/cocart/v2/session/${key}`;
    const rows = [
      {
        cartId: 4038,
        cartKey: 'afa399e3a0647fe660438409d9ad7eb9',
        cartCreated: 1619164019,
        cartExpiry: 1619768920,
        cartSource: 'woocommerce',
        customerName: 'John Snow',
        customerEmail: '',
      },
      {
        cartId: 4335,
        cartKey: '8f36f08beca94f2b51faedcb7c6864b8',
        cartCreated: 1619352849,
        cartExpiry: 1619957645,
        cartSource: 'cocart',
        customerName: 'Clark Kent',
        customerEmail: 'clark@dailyplanet.wb',
      },
    ];
    const summaries = rows.map((row) => toSessionSummary(row, link(row.cartKey)));
    expect(JSON.stringify(summaries)).toBe(JSON.stringify(loadFixture('sessions-list')));
    expect(SessionListV3Schema.parse(summaries)).toEqual(summaries);
  });
});
