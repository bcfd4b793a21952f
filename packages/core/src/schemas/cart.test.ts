import { describe, expect, it } from 'vitest';
import { type LooseJson, loadFixture, seedCartJson } from '../../test/load-fixture.js';
import { CartSchema, CouponSchema, NoticesSchema, ShippingRateSchema } from './cart.js';
import { CurrencySchema } from './currency.js';
import { CustomerSchema } from './customer.js';
import { CartItemSchema } from './item.js';
import { CartTotalsSchema } from './totals.js';

describe('CartSchema', () => {
  it("reads the seed's cart with each money form", () => {
    const cart = CartSchema.parse(loadFixture('session-cart'));
    expect(cart.currency).toEqual({
      currency_code: 'GBP',
      currency_symbol: '£',
      currency_minor_unit: 2,
      currency_decimal_separator: '.',
      currency_thousand_separator: ',',
      currency_prefix: '£',
      currency_suffix: '',
    });
    expect(cart.items).toHaveLength(4);
    expect(cart.items[1]?.price).toBe('12.00');
    expect(cart.items[1]?.totals.total).toBe(12);
    expect(cart.items[0]?.quantity).toEqual({ value: 1, min_purchase: 1, max_purchase: -1 });
    expect(cart.items[0]?.meta.dimensions.unit).toBe('cm');
    expect(cart.coupons[0]).toEqual({
      coupon: 'testcoupon',
      label: 'Coupon: testcoupon',
      saving: '-500',
      saving_html: '-£5.00',
    });
    const rate = cart.shipping.packages.default?.rates['flat_rate:1'];
    expect(rate?.cost).toBe('20.00');
    expect(rate?.html).toBe('Flat rate: £20.00');
    expect(rate?.chosen_method).toBe(true);
    expect(cart.totals.subtotal).toBe('19200');
    expect(cart.fees).toEqual({});
    expect(cart.notices).toEqual([]);
  });

  it('fails at ["totals"] when totals are missing', () => {
    const json = seedCartJson();
    delete json.totals;
    const result = CartSchema.safeParse(json);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(['totals']);
  });

  it('points at the bad field deep inside', () => {
    const json = seedCartJson();
    json.items[2].quantity.value = '1';
    json.shipping.packages.default.rates['flat_rate:1'].chosen_method = 'yes';
    const result = CartSchema.safeParse(json);
    const paths = result.error?.issues.map((i) => i.path);
    expect(paths).toContainEqual(['items', 2, 'quantity', 'value']);
    expect(paths).toContainEqual([
      'shipping',
      'packages',
      'default',
      'rates',
      'flat_rate:1',
      'chosen_method',
    ]);
  });

  it('keeps unknown keys (extension fields) everywhere', () => {
    const json = seedCartJson();
    json.extensions = { points: { earned: 3 } };
    json.items[0].backorders = '';
    json.items[0].meta.dimensions.volume = '';
    json.customer.billing_address.billing_vat = 'FR123';
    json.totals.total_points = '7';
    const cart = CartSchema.parse(json) as LooseJson;
    expect(cart.extensions).toEqual({ points: { earned: 3 } });
    expect(cart.items[0].backorders).toBe('');
    expect(cart.items[0].meta.dimensions.volume).toBe('');
    expect(cart.customer.billing_address.billing_vat).toBe('FR123');
    expect(cart.totals.total_points).toBe('7');
  });

  it('accepts notices as a map or a list', () => {
    expect(NoticesSchema.parse([])).toEqual([]);
    expect(NoticesSchema.parse({ success: ['Item added.'] })).toEqual({ success: ['Item added.'] });
    expect(NoticesSchema.parse(['Item added.'])).toEqual(['Item added.']);
    expect(NoticesSchema.safeParse('Item added.').success).toBe(false);
  });

  it('rejects wrong money forms', () => {
    expect(CartTotalsSchema.safeParse({ ...seedCartJson().totals, total: 20700 }).success).toBe(false);
    for (const total of ['abc', '', '12.00', '1e3', ' 12', '--5']) {
      expect(CartTotalsSchema.safeParse({ ...seedCartJson().totals, total }).success, total).toBe(false);
    }
    for (const total of ['0', '20700', '-500']) {
      expect(CartTotalsSchema.parse({ ...seedCartJson().totals, total }).total).toBe(total);
    }
    expect(CouponSchema.safeParse({ coupon: 'x', label: 'x', saving: -500, saving_html: '' }).success).toBe(
      false,
    );
    const rate = seedCartJson().shipping.packages.default.rates['flat_rate:1'];
    expect(ShippingRateSchema.safeParse({ ...rate, cost: 20 }).success).toBe(false);
    const item = seedCartJson().items[0];
    expect(CartItemSchema.safeParse({ ...item, price: 1 }).success).toBe(false);
  });

  it('needs every currency and customer field', () => {
    const { currency_suffix: _, ...currency } = seedCartJson().currency;
    expect(CurrencySchema.safeParse(currency).success).toBe(false);
    expect(
      CustomerSchema.safeParse({ billing_address: seedCartJson().customer.billing_address }).success,
    ).toBe(false);
  });
});
