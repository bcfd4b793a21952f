import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedCurrency } from '../../test/load-fixture.js';
import { CoreError } from '../errors.js';
import type { Currency } from '../schemas/currency.js';
import { formatMoney, groupThousands } from './format.js';
import { parseFormattedMoney } from './parse.js';

const gbp: Currency = seedCurrency();

function currency(overrides: Partial<Currency>): Currency {
  return { ...gbp, ...overrides };
}

const jpy = currency({
  currency_code: 'JPY',
  currency_symbol: '¥',
  currency_prefix: '¥',
  currency_minor_unit: 0,
});
const kwd = currency({
  currency_code: 'KWD',
  currency_symbol: 'KD',
  currency_prefix: 'KD',
  currency_minor_unit: 3,
});
const kwdSuffix = currency({ ...kwd, currency_prefix: '', currency_suffix: ' KD' });
const eur = currency({
  currency_code: 'EUR',
  currency_symbol: '€',
  currency_prefix: '',
  currency_suffix: ' €',
  currency_decimal_separator: ',',
  currency_thousand_separator: '.',
});

describe('formatMoney', () => {
  it('formats the seed’s amounts with the seed’s currency', () => {
    expect(formatMoney(19200, gbp)).toBe('£192.00');
    expect(formatMoney(-500, gbp)).toBe('-£5.00');
    expect(formatMoney(123456, gbp)).toBe('£1,234.56');
    expect(formatMoney(2000, gbp)).toBe('£20.00');
  });

  it('groups every three digits and handles small amounts', () => {
    expect(formatMoney(0, gbp)).toBe('£0.00');
    expect(formatMoney(5, gbp)).toBe('£0.05');
    expect(formatMoney(-5, gbp)).toBe('-£0.05');
    expect(formatMoney(100000000, gbp)).toBe('£1,000,000.00');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, gbp)).toBe('£90,071,992,547,409.91');
  });

  it('formats 0- and 3-decimal currencies, prefix or suffix', () => {
    expect(formatMoney(1235, jpy)).toBe('¥1,235');
    expect(formatMoney(-1235, jpy)).toBe('-¥1,235');
    expect(formatMoney(1235, kwd)).toBe('KD1.235');
    expect(formatMoney(1235, kwdSuffix)).toBe('1.235 KD');
    expect(formatMoney(-123456789, eur)).toBe('-1.234.567,89 €');
  });

  it('formats with an empty or space thousands separator', () => {
    expect(formatMoney(123456, currency({ currency_thousand_separator: '' }))).toBe('£1234.56');
    expect(formatMoney(123456, currency({ currency_thousand_separator: ' ' }))).toBe('£1 234.56');
  });

  it('throws CoreError for amounts that are not safe integers', () => {
    expect(() => formatMoney(1.5, gbp)).toThrow(CoreError);
    expect(() => formatMoney(2 ** 53, gbp)).toThrow(expect.objectContaining({ code: 'unsafe_amount' }));
  });

  it('groupThousands counts groups from the right', () => {
    expect(groupThousands('1', ',')).toBe('1');
    expect(groupThousands('123', ',')).toBe('123');
    expect(groupThousands('1234', ',')).toBe('1,234');
    expect(groupThousands('123456', ',')).toBe('123,456');
    expect(groupThousands('1234567', ',')).toBe('1,234,567');
  });
});

const currencyArbitrary: fc.Arbitrary<Currency> = fc
  .record({
    symbol: fc.constantFrom('£', '$', '€', '¥', 'KD', 'R$', 'CHF', 'kr', 'zł'),
    asSuffix: fc.boolean(),
    space: fc.constantFrom('', ' ', '\u00a0'),
    decimals: fc.constantFrom(0, 2, 3),
    separators: fc.constantFrom(
      ['.', ','],
      [',', '.'],
      ['.', ' '],
      [',', ' '],
      ['.', ''],
      [',', "'"],
      ['.', '.'],
    ),
  })
  .map(({ symbol, asSuffix, space, decimals, separators: [point, group] }) =>
    currency({
      currency_symbol: symbol,
      currency_minor_unit: decimals,
      currency_decimal_separator: point,
      currency_thousand_separator: group,
      currency_prefix: asSuffix ? '' : `${symbol}${space}`,
      currency_suffix: asSuffix ? `${space}${symbol}` : '',
    }),
  );

describe('formatMoney / parseFormattedMoney', () => {
  it('round-trip any safe amount in any currency format', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        currencyArbitrary,
        (minor, cur) => {
          expect(parseFormattedMoney(formatMoney(minor, cur), cur)).toBe(minor);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trip small amounts too (where grouping and leading zeros matter)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100000, max: 100000 }), currencyArbitrary, (minor, cur) => {
        expect(parseFormattedMoney(formatMoney(minor, cur), cur)).toBe(minor);
      }),
    );
  });
});
