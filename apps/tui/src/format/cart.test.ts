import { CartSchema, ItemsMapSchema } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import cartFixture from '../../../../fixtures/session-cart.json' with { type: 'json' };
import itemsFixture from '../../../../fixtures/session-items.json' with { type: 'json' };
import { addressLines, cartLines, chosenRates, itemMoney, itemsLines } from './cart.js';

const cart = CartSchema.parse(cartFixture);
const text = cartLines(cart, 78).map((l) => l.text);
const lineWith = (label: string) => text.find((l) => l.trimStart().startsWith(label)) ?? '';

describe('cartLines of the seed cart', () => {
  it('shows the totals block in the cart currency, as the seed gives them', () => {
    expect(lineWith('Subtotal')).toMatch(/Subtotal\s+£192\.00$/);
    expect(lineWith('Discount')).toMatch(/-£5\.00$/);
    expect(lineWith('Shipping ')).toMatch(/£20\.00$/);
    expect(lineWith('Total ')).toMatch(/Total\s+£207\.00$/);
  });
  it('lists items with quantity, unit price and line total', () => {
    const tshirt = text.find((l) => l.includes('T-shirt with logo')) ?? '';
    expect(tshirt).toMatch(/^\s+1 T-shirt with logo\s+£12\.00\s+£12\.00$/);
    expect(text.some((l) => /Beanie with Logo\s+£18\.00\s+£18\.00/.test(l))).toBe(true);
  });
  it('shows the coupon saving and the chosen shipping rate', () => {
    expect(text.some((l) => /testcoupon \(Coupon: testcoupon\)\s+-£5\.00$/.test(l))).toBe(true);
    expect(text.some((l) => /Flat rate to 1, 12345 TOWN\s+£20\.00$/.test(l))).toBe(true);
    expect(chosenRates(cart)).toEqual([
      { label: 'Flat rate', amount: '£20.00', destination: '1, 12345 TOWN' },
    ]);
  });
  it('shows both addresses and says when there are no fees or taxes', () => {
    expect(text.some((l) => l.startsWith('Billing address') && l.includes('Shipping address'))).toBe(true);
    expect(text.some((l) => l.includes('mailme@sebastiendumont.com'))).toBe(true);
    expect(text.filter((l) => l === '  (none)')).toHaveLength(2);
  });
  it('fits the width', () => {
    for (const l of cartLines(cart, 60)) expect(l.text.length).toBeLessThanOrEqual(60);
  });
  it('formats fees and taxes in either form', () => {
    const withFees = CartSchema.parse({
      ...cartFixture,
      fees: { gift: { name: 'Gift wrap', fee: '£1,234.50' }, rush: { name: 'Rush', fee: 3 } },
      taxes: { 'GB-VAT-1': { name: 'VAT', price: '£4.00' } },
    });
    const lines = cartLines(withFees, 78).map((l) => l.text);
    expect(lines.some((l) => /Gift wrap\s+£1,234\.50$/.test(l))).toBe(true);
    expect(lines.some((l) => /Rush\s+£3\.00$/.test(l))).toBe(true);
    expect(lines.some((l) => /VAT\s+£4\.00$/.test(l))).toBe(true);
  });
});

describe('items', () => {
  it('formats item money from the seed forms', () => {
    expect(itemMoney(cart.items[1]!, cart.currency)).toEqual({
      unit: '£12.00',
      line: '£12.00',
      subtotal: '£12.00',
    });
  });
  it('lists the items map with keys', () => {
    const lines = itemsLines('1', ItemsMapSchema.parse(itemsFixture), cart.currency).map((l) => l.text);
    expect(lines[0]).toBe('Items of cart 1 · 4 lines · 4 units');
    expect(lines.some((l) => l.includes('key 47686bc78b514a82756f71ddb661ea02'))).toBe(true);
    expect(lines.some((l) => /Virtual Product\s+£1\.00\s+£1\.00/.test(l))).toBe(true);
  });
  it('says when the cart is empty', () => {
    expect(itemsLines('x', {}, cart.currency).map((l) => l.text)).toContain('  (empty cart)');
  });
  it('addressLines skips blanks', () => {
    expect(addressLines(cart.customer.shipping_address, 'shipping')).toEqual([
      'Sebastien Dumont Dumont',
      '1',
      'Town 12345',
      'FR',
    ]);
  });
});
