import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreErrorCodeOf, seedCartJson, seedCurrency } from '../../test/load-fixture.js';
import { parseCartTotal, parseCouponSaving, parseItemTotal } from '../money/parse.js';
import { CartSchema } from '../schemas/cart.js';
import type { Currency } from '../schemas/currency.js';
import { type Customer, CustomerSchema } from '../schemas/customer.js';
import { serializeCart } from '../serialize.js';
import { type CartContents, calculateCart, itemKeyOf, type ProductSnapshot } from './calculate.js';
import { md5Hex } from './md5.js';

const seed = seedCartJson();
const gbp: Currency = seedCurrency();
const customer: Customer = CustomerSchema.parse(seed.customer);

// The seed's four products, as snapshots (prices in pence).
// biome-ignore lint/suspicious/noExplicitAny: seed items are plain JSON.
const seedProducts: Array<{ product: ProductSnapshot; itemKey: string }> = seed.items.map((item: any) => ({
  itemKey: item.item_key,
  product: {
    id: item.id,
    name: item.name,
    slug: item.slug,
    sku: item.meta.sku,
    price: { '1.00': 100, '12.00': 1200, '18.00': 1800, '2.00': 200 }[item.price as string],
    type: item.meta.product_type,
    weight: item.meta.weight,
    featuredImage: item.featured_image,
    dimensions: item.meta.dimensions,
  },
}));

function seedContents(): CartContents {
  return {
    cartKey: '1',
    currency: gbp,
    customer,
    items: seedProducts.map(({ product, itemKey }) => ({ product, itemKey, quantity: 1 })),
    coupons: [{ code: 'testcoupon', discount: { type: 'fixed_cart', amount: 500 } }],
    shipping: { methodId: 'flat_rate', instanceId: 1, label: 'Flat rate', cost: 2000 },
  };
}

const codeOf = coreErrorCodeOf;

function product(id: number, price: number, extra: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return { id, name: `Product ${id}`, slug: `product-${id}`, sku: `sku-${id}`, price, ...extra };
}

describe('calculateCart on the seed’s products', () => {
  const cart = calculateCart(seedContents());

  it('adds up: 1.00 + 12.00 + 18.00 + 2.00 - 5.00 coupon + 20.00 flat rate', () => {
    expect(cart.totals).toEqual({
      subtotal: '3300',
      subtotal_tax: '0',
      fee_total: '0',
      fee_tax: '0',
      discount_total: '500',
      discount_tax: '0',
      shipping_total: '2000',
      shipping_tax: '0',
      total: '4800',
      total_tax: '0',
    });
    expect(cart.item_count).toBe(4);
    expect(cart.items_weight).toBe(0);
    expect(cart.needs_payment).toBe(true);
    expect(cart.needs_shipping).toBe(true);
  });

  it('writes every money form as the seed does', () => {
    const wire = serializeCart(cart) as typeof seed;
    // Same products and keys: the item objects are the seed's, byte for byte.
    expect(wire.items).toEqual(seed.items);
    expect(wire.coupons).toEqual(seed.coupons);
    expect(wire.shipping).toEqual(seed.shipping);
    expect(wire.currency).toEqual(seed.currency);
    expect(wire.customer).toEqual(seed.customer);
    expect(wire.fees).toEqual([]);
    expect(wire.taxes).toEqual([]);
    expect(wire.removed_items).toEqual([]);
    expect(wire.cross_sells).toEqual([]);
    expect(wire.notices).toEqual([]);
  });

  it('has exactly the seed’s top-level keys and parses with CartSchema', () => {
    expect(Object.keys(serializeCart(cart) as object)).toEqual(Object.keys(seed));
    expect(CartSchema.parse(cart)).toEqual(cart);
    expect(cart.cart_hash).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('calculateCart', () => {
  it('derives WooCommerce-style item keys when none is given, and merges repeated products', () => {
    expect(itemKeyOf({ id: 1050 })).toBe(createHash('md5').update('1050').digest('hex'));
    expect(itemKeyOf({ id: 7, variation: { attribute_pa_color: 'blue' } })).toBe(
      createHash('md5').update('7_attribute_pa_colorblue').digest('hex'),
    );
    const cart = calculateCart({
      cartKey: 'k',
      currency: gbp,
      customer,
      items: [
        { product: product(5, 250), quantity: 2 },
        { product: product(6, 100), quantity: 1 },
        { product: product(5, 250), quantity: 3 },
      ],
    });
    expect(cart.items.map((i) => [i.item_key, i.quantity.value])).toEqual([
      [itemKeyOf({ id: 5 }), 5],
      [itemKeyOf({ id: 6 }), 1],
    ]);
    expect(cart.item_count).toBe(6);
    expect(cart.totals.subtotal).toBe('1350');
    expect(cart.items[0]?.totals).toEqual({ subtotal: 12.5, subtotal_tax: 0, total: 12.5, tax: 0 });
  });

  it('keys a line by its item data too (generate_cart_id), and keeps that data in cart_item_data', () => {
    const data = { gift: 'yes', engraving: 'A&B', wrapped: true };
    expect(itemKeyOf({ id: 7, variation: { attribute_size: 'L' } }, data)).toBe(
      createHash('md5').update('7_attribute_sizeL_giftyesengravingA&Bwrapped1').digest('hex'),
    );
    const cart = calculateCart({
      cartKey: 'k',
      currency: gbp,
      customer,
      items: [
        { product: product(5, 250), quantity: 1, cartItemData: data },
        { product: product(5, 250), quantity: 2 },
      ],
    });
    expect(cart.items.map((i) => [i.item_key, i.quantity.value, i.cart_item_data])).toEqual([
      [itemKeyOf({ id: 5 }, data), 1, data],
      [itemKeyOf({ id: 5 }), 2, {}],
    ]);
  });

  it('is deterministic, and the hash follows the contents', () => {
    const a = calculateCart(seedContents());
    expect(calculateCart(seedContents())).toEqual(a);
    const more = seedContents();
    more.items[0]!.quantity = 2;
    expect(calculateCart(more).cart_hash).not.toBe(a.cart_hash);
  });

  it('splits a percent coupon over the lines so the parts sum to the whole', () => {
    const cart = calculateCart({
      cartKey: 'k',
      currency: gbp,
      customer,
      items: [1, 2, 3].map((id) => ({ product: product(id, 33), quantity: 1 })),
      coupons: [{ code: 'ten', discount: { type: 'percent', percent: 10 } }],
    });
    // 10% of 99p is 9.9p → 10p, though each line's 3.3p would round to 3p.
    expect(cart.totals.discount_total).toBe('10');
    expect(cart.coupons[0]).toEqual({
      coupon: 'ten',
      label: 'Coupon: ten',
      saving: '-10',
      saving_html: '-£0.10',
    });
    expect(cart.totals.total).toBe('89');
  });

  it('caps fixed_cart coupons at what is left of the subtotal', () => {
    const contents = seedContents();
    contents.coupons = [
      { code: 'big', discount: { type: 'fixed_cart', amount: 3000 } },
      { code: 'bigger', discount: { type: 'fixed_cart', amount: 5000 } },
    ];
    const cart = calculateCart(contents);
    expect(cart.coupons.map((c) => c.saving)).toEqual(['-3000', '-300']);
    expect(cart.totals.discount_total).toBe('3300');
    expect(cart.totals.total).toBe('2000');
  });

  it('applies one tax rate to the discounted items, the shipping and the fees', () => {
    const cart = calculateCart({
      cartKey: 'k',
      currency: gbp,
      customer,
      items: [{ product: product(1, 1000), quantity: 1 }],
      coupons: [{ code: 'two', discount: { type: 'fixed_cart', amount: 200 } }],
      shipping: { methodId: 'flat_rate', instanceId: 3, label: 'Flat rate', cost: 500 },
      fees: [{ name: 'Gift wrap', amount: 150 }],
      taxRate: { label: 'VAT', percent: 20 },
    });
    expect(cart.totals).toEqual({
      subtotal: '1000',
      subtotal_tax: '200',
      fee_total: '150',
      fee_tax: '30',
      discount_total: '200',
      discount_tax: '40',
      shipping_total: '500',
      shipping_tax: '100',
      total: '1740',
      total_tax: '290',
    });
    expect(cart.taxes).toEqual({ 'VAT-1': { name: 'VAT', price: '£2.90' } });
    expect(cart.fees).toEqual({ 'gift-wrap': { name: 'Gift wrap', fee: '£1.50' } });
    expect(cart.items[0]?.tax_data).toEqual({ subtotal: { 1: 2 }, total: { 1: 2 } });
    expect(cart.shipping.packages.default?.rates['flat_rate:3']?.taxes).toEqual({ 1: 1 });
  });

  it('sums weights exactly and formats the destination like the seed', () => {
    const cart = calculateCart({
      cartKey: 'k',
      currency: gbp,
      customer,
      items: [
        { product: product(1, 100, { weight: 0.1 }), quantity: 1 },
        { product: product(2, 100, { weight: 0.2 }), quantity: 1 },
        { product: product(3, 100, { weight: 1.5 }), quantity: 3 },
      ],
      shipping: { methodId: 'free_shipping', instanceId: 2, label: 'Free shipping', cost: 0 },
    });
    expect(cart.items_weight).toBe(4.8);
    expect(cart.shipping.packages.default?.formatted_destination).toBe('1, 12345 TOWN');
    expect(cart.shipping.packages.default?.rates['free_shipping:2']?.html).toBe('Free shipping');
  });

  it('an empty cart needs neither payment nor shipping and serialises maps as []', () => {
    const cart = calculateCart({ cartKey: 'k', currency: gbp, customer, items: [] });
    expect(cart.totals.total).toBe('0');
    expect(cart.needs_payment).toBe(false);
    expect(cart.needs_shipping).toBe(false);
    expect(cart.item_count).toBe(0);
    const wire = serializeCart(CartSchema.parse(cart)) as typeof seed;
    expect(wire.shipping).toEqual({
      total_packages: 0,
      show_package_details: false,
      has_calculated_shipping: false,
      packages: [],
    });
  });

  it('rejects bad quantities, prices, coupons and negative totals with CoreError', () => {
    const base = { cartKey: 'k', currency: gbp, customer };
    expect(codeOf(() => calculateCart({ ...base, items: [{ product: product(1, 100), quantity: 0 }] }))).toBe(
      'invalid_amount',
    );
    expect(codeOf(() => calculateCart({ ...base, items: [{ product: product(1, 1.5), quantity: 1 }] }))).toBe(
      'invalid_amount',
    );
    expect(
      codeOf(() =>
        calculateCart({
          ...base,
          items: [{ product: product(1, 100), quantity: 1 }],
          coupons: [{ code: 'x', discount: { type: 'percent', percent: 150 } }],
        }),
      ),
    ).toBe('invalid_amount');
    expect(
      codeOf(() =>
        calculateCart({
          ...base,
          items: [{ product: product(1, 100), quantity: 1 }],
          fees: [{ name: 'refund', amount: -200 }],
        }),
      ),
    ).toBe('invalid_amount');
    expect(
      codeOf(() =>
        calculateCart({ ...base, items: [{ product: product(1, Number.MAX_SAFE_INTEGER), quantity: 2 }] }),
      ),
    ).toBe('unsafe_amount');
  });
});

const contentsArbitrary: fc.Arbitrary<CartContents> = fc
  .record({
    items: fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 1_000_000 }),
        price: fc.integer({ min: 0, max: 1_000_000 }),
        quantity: fc.integer({ min: 1, max: 50 }),
        weight: fc.option(fc.constantFrom(0, 0.1, 0.25, 1.5, 3), { nil: undefined }),
      }),
      { maxLength: 8 },
    ),
    coupons: fc.array(
      fc.oneof(
        fc.record({ type: fc.constant('fixed_cart' as const), amount: fc.integer({ min: 0, max: 200_000 }) }),
        fc.record({
          type: fc.constant('percent' as const),
          percent: fc.constantFrom(0, 5, 10, 12.5, 33.333, 100),
        }),
      ),
      { maxLength: 3 },
    ),
    shipping: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
    fees: fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 3 }),
    taxPercent: fc.option(fc.constantFrom(0, 5, 17.5, 20, 8.875), { nil: null }),
  })
  .map(({ items, coupons, shipping, fees, taxPercent }) => ({
    cartKey: 'prop',
    currency: gbp,
    customer,
    items: items.map(({ id, price, quantity, weight }) => ({
      product: product(id, price, weight === undefined ? {} : { weight }),
      quantity,
    })),
    coupons: coupons.map((discount, i) => ({ code: `c${i}`, discount })),
    shipping:
      shipping === null ? null : { methodId: 'flat_rate', instanceId: 1, label: 'Flat rate', cost: shipping },
    fees: fees.map((amount, i) => ({ name: `Fee ${i}`, amount })),
    taxRate: taxPercent === null ? null : { label: 'Tax', percent: taxPercent },
  }));

describe('calculateCart properties', () => {
  it('totals always add up, for random carts', () => {
    fc.assert(
      fc.property(contentsArbitrary, (contents) => {
        const cart = calculateCart(contents);
        const t = Object.fromEntries(
          Object.entries(cart.totals).map(([k, v]) => [k, parseCartTotal(String(v))]),
        );
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        expect(t.total).toBe(
          t.subtotal! - t.discount_total! + t.shipping_total! + t.fee_total! + t.total_tax!,
        );
        expect(t.total_tax).toBe(t.subtotal_tax! - t.discount_tax! + t.shipping_tax! + t.fee_tax!);
        expect(sum(cart.items.map((i) => parseItemTotal(i.totals.subtotal, gbp)))).toBe(t.subtotal);
        expect(sum(cart.items.map((i) => parseItemTotal(i.totals.total, gbp)))).toBe(t.subtotal);
        expect(cart.item_count).toBe(sum(contents.items.map((i) => i.quantity)));
        expect(sum(cart.coupons.map((c) => parseCouponSaving(c.saving))) + t.discount_total!).toBe(0);
        expect(t.discount_total).toBeGreaterThanOrEqual(0);
        expect(t.discount_total).toBeLessThanOrEqual(t.subtotal!);
        expect(t.shipping_total).toBe(contents.shipping?.cost ?? 0);
        expect(t.fee_total).toBe(sum((contents.fees ?? []).map((f) => f.amount)));
        expect(cart.needs_payment).toBe(t.total! > 0);
        expect(cart.needs_shipping).toBe(contents.shipping != null);
        expect(CartSchema.parse(JSON.parse(JSON.stringify(serializeCart(cart))))).toEqual(cart);
      }),
      { numRuns: 300 },
    );
  });
});

describe('md5Hex', () => {
  it('matches RFC 1321 test vectors', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex('The quick brown fox jumps over the lazy dog')).toBe('9e107d9d372bb6826bd81d3542a419d6');
  });

  it('agrees with node:crypto on any UTF-8 text and padding boundary', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 150 }), (text) => {
        expect(md5Hex(text)).toBe(createHash('md5').update(text, 'utf8').digest('hex'));
      }),
    );
    for (const n of [...Array.from({ length: 20 }, (_, i) => 50 + i), 119, 120, 128, 183, 184, 1000, 4096]) {
      const text = 'x£'.repeat(n).slice(0, n);
      expect(md5Hex(text)).toBe(createHash('md5').update(text).digest('hex'));
    }
  });
});
