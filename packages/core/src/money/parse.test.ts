import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreErrorCodeOf, seedCartJson, seedCurrency } from '../../test/load-fixture.js';
import type { Currency } from '../schemas/currency.js';
import { formatMoney } from './format.js';
import {
  parseCartTotal,
  parseCouponSaving,
  parseFormattedMoney,
  parseItemPrice,
  parseItemTotal,
  parseRateCost,
  parseShippingHtml,
  toCartTotal,
  toItemPrice,
  toItemTotal,
  toRateCost,
  toShippingHtml,
} from './parse.js';

const seedCart = seedCartJson();
const gbp: Currency = seedCurrency();
const kwd: Currency = { ...gbp, currency_prefix: '', currency_suffix: ' KD', currency_minor_unit: 3 };

const codeOf = coreErrorCodeOf;

describe('the seed’s money forms', () => {
  it('item price: "12.00" major-unit string', () => {
    expect(parseItemPrice('12.00', gbp)).toBe(1200);
    expect(parseItemPrice(seedCart.items[0].price, gbp)).toBe(100);
    expect(toItemPrice(1200, gbp)).toBe('12.00');
    expect(toItemPrice(1235, kwd)).toBe('1.235');
  });

  it('item totals: 12 major-unit number', () => {
    expect(parseItemTotal(12, gbp)).toBe(1200);
    expect(parseItemTotal(1.5, gbp)).toBe(150);
    expect(parseItemTotal(seedCart.items[2].totals.total, gbp)).toBe(1800);
    expect(toItemTotal(1200, gbp)).toBe(12);
    expect(toItemTotal(150, gbp)).toBe(1.5);
    expect(toItemTotal(-1235, kwd)).toBe(-1.235);
  });

  it('cart totals and coupon saving: minor-unit strings', () => {
    expect(parseCartTotal('19200')).toBe(19200);
    expect(parseCartTotal(seedCart.totals.total)).toBe(20700);
    expect(parseCouponSaving('-500')).toBe(-500);
    expect(parseCouponSaving(seedCart.coupons[0].saving)).toBe(-500);
    expect(toCartTotal(19200)).toBe('19200');
    expect(toCartTotal(-500)).toBe('-500');
    expect(formatMoney(parseCartTotal('19200'), gbp)).toBe('£192.00');
  });

  it('saving_html: formatted with the cart’s currency', () => {
    expect(parseFormattedMoney('-£5.00', gbp)).toBe(-500);
    expect(parseFormattedMoney(seedCart.coupons[0].saving_html, gbp)).toBe(-500);
    expect(parseFormattedMoney('£1,234.56', gbp)).toBe(123456);
  });

  it('rate cost: "20.00" major-unit string', () => {
    const rate = seedCart.shipping.packages.default.rates['flat_rate:1'];
    expect(parseRateCost('20.00', gbp)).toBe(2000);
    expect(parseRateCost(rate.cost, gbp)).toBe(2000);
    expect(toRateCost(2000, gbp)).toBe('20.00');
  });

  it('rate html: "Flat rate: £20.00"', () => {
    const rate = seedCart.shipping.packages.default.rates['flat_rate:1'];
    expect(parseShippingHtml('Flat rate: £20.00', gbp)).toEqual({ label: 'Flat rate', amount: 2000 });
    expect(parseShippingHtml(rate.html, gbp)).toEqual({ label: rate.label, amount: 2000 });
    expect(toShippingHtml('Flat rate', 2000, gbp)).toBe('Flat rate: £20.00');
  });
});

describe('parseShippingHtml', () => {
  it('reads a free rate as the bare label', () => {
    expect(parseShippingHtml('Free shipping', gbp)).toEqual({ label: 'Free shipping', amount: 0 });
    expect(parseShippingHtml('Local pickup: in store', gbp)).toEqual({
      label: 'Local pickup: in store',
      amount: 0,
    });
    expect(toShippingHtml('Free shipping', 0, gbp)).toBe('Free shipping');
  });

  it('strips wc_price markup, entities and a trailing tax note', () => {
    const html =
      'Flat rate: <span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&pound;</span>1,020.00</bdi></span> <small class="tax_label">(ex. VAT)</small>';
    expect(parseShippingHtml(html, gbp)).toEqual({ label: 'Flat rate', amount: 102000 });
    expect(parseShippingHtml('Rate: a: &#163;3.50', gbp)).toEqual({ label: 'Rate: a', amount: 350 });
  });

  it('round-trips label and amount', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.replace(/[<&]/g, '').trim() || 'Rate'),
        fc.integer({ min: 1, max: 10 ** 12 }),
        (label, amount) => {
          expect(parseShippingHtml(toShippingHtml(label, amount, gbp), gbp)).toEqual({ label, amount });
        },
      ),
    );
  });
});

describe('parseFormattedMoney', () => {
  it('accepts the sign after the prefix and surrounding whitespace', () => {
    expect(parseFormattedMoney('£-5.00', gbp)).toBe(-500);
    expect(parseFormattedMoney('  £5.00 ', gbp)).toBe(500);
    expect(parseFormattedMoney('£1234.56', gbp)).toBe(123456);
    expect(parseFormattedMoney('£5', gbp)).toBe(500);
    expect(parseFormattedMoney('-1.235 KD', kwd)).toBe(-1235);
  });

  it.each([
    ['', 'invalid_formatted_money'],
    ['£', 'invalid_formatted_money'],
    ['5.00', 'invalid_formatted_money'],
    ['$5.00', 'invalid_formatted_money'],
    ['£5.0a', 'invalid_formatted_money'],
    ['£1,23.00', 'invalid_formatted_money'],
    ['£1,2345.00', 'invalid_formatted_money'],
    ['£abc', 'invalid_formatted_money'],
    ['£1.2.3', 'invalid_formatted_money'],
    ['£5.001', 'too_many_decimals'],
    ['£90,071,992,547,409.92', 'unsafe_amount'],
  ] as const)('rejects %j with %s', (text, code) => {
    expect(codeOf(() => parseFormattedMoney(text, gbp))).toBe(code);
  });
});

describe('bad input', () => {
  it.each([
    ['abc', 'invalid_amount'],
    ['', 'invalid_amount'],
    ['1.2.3', 'invalid_amount'],
    ['12.00', 'invalid_amount'],
    ['+5', 'invalid_amount'],
    ['1e400', 'invalid_amount'],
    [String(2 ** 53), 'unsafe_amount'],
    ['-9007199254740993', 'unsafe_amount'],
  ] as const)('parseCartTotal(%j) throws %s', (text, code) => {
    expect(codeOf(() => parseCartTotal(text))).toBe(code);
    expect(codeOf(() => parseCouponSaving(text))).toBe(code);
  });

  it.each([
    ['abc', 'invalid_amount'],
    ['', 'invalid_amount'],
    ['1.2.3', 'invalid_amount'],
    ['1e400', 'unsafe_amount'],
    ['90071992547409.92', 'unsafe_amount'],
  ] as const)('parseItemPrice / parseRateCost(%j) throw %s', (text, code) => {
    expect(codeOf(() => parseItemPrice(text, gbp))).toBe(code);
    expect(codeOf(() => parseRateCost(text, gbp))).toBe(code);
  });

  it.each([
    [Number.NaN, 'invalid_amount'],
    [Number.POSITIVE_INFINITY, 'invalid_amount'],
    [2 ** 53, 'unsafe_amount'],
  ] as const)('parseItemTotal(%s) throws %s', (total, code) => {
    expect(codeOf(() => parseItemTotal(total, gbp))).toBe(code);
  });

  it('rejects values of the wrong JSON type', () => {
    expect(codeOf(() => parseItemPrice(12 as unknown as string, gbp))).toBe('invalid_amount');
    expect(codeOf(() => parseItemTotal('12' as unknown as number, gbp))).toBe('invalid_amount');
    expect(codeOf(() => parseCartTotal(19200 as unknown as string))).toBe('invalid_amount');
    expect(codeOf(() => toCartTotal(2 ** 53))).toBe('unsafe_amount');
  });
});
