import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreErrorCodeOf } from '../../test/load-fixture.js';
import { CoreError } from '../errors.js';
import {
  addMinor,
  allocateMinor,
  fromMinorUnits,
  multiplyMinor,
  percentOfMinor,
  subtractMinor,
  toMinorUnits,
} from './minor-units.js';

const codeOf = coreErrorCodeOf;

const safeMinor = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

describe('toMinorUnits', () => {
  it('reads the seed’s major-unit forms', () => {
    expect(toMinorUnits('12.00', 2)).toBe(1200);
    expect(toMinorUnits('20.00', 2)).toBe(2000);
    expect(toMinorUnits(12, 2)).toBe(1200);
    expect(toMinorUnits(1.5, 2)).toBe(150);
    expect(toMinorUnits('-5.00', 2)).toBe(-500);
  });

  it('rounds half-up on the decimal string, where float math goes wrong', () => {
    expect(Math.round(1.005 * 100)).toBe(100);
    expect(toMinorUnits('1.005', 2)).toBe(101);
    expect(toMinorUnits(1.005, 2)).toBe(101);
    expect(toMinorUnits('1.0049', 2)).toBe(100);
    expect(toMinorUnits(0.285, 2)).toBe(29);
  });

  it('rounds negatives away from zero, like PHP round()', () => {
    expect(toMinorUnits('-1.005', 2)).toBe(-101);
    expect(toMinorUnits('-0.125', 2)).toBe(-13);
    expect(toMinorUnits('-0.004', 2)).toBe(0);
    expect(Object.is(toMinorUnits('-0.004', 2), -0)).toBe(false);
  });

  it('handles 0, 3 and 6 decimal currencies', () => {
    expect(toMinorUnits('1234.5', 0)).toBe(1235);
    expect(toMinorUnits('1234', 0)).toBe(1234);
    expect(toMinorUnits('1.235', 3)).toBe(1235);
    expect(toMinorUnits('0.000001', 6)).toBe(1);
  });

  it('accepts the loose decimal forms PHP and JS numbers produce', () => {
    expect(toMinorUnits('.5', 2)).toBe(50);
    expect(toMinorUnits('5.', 2)).toBe(500);
    expect(toMinorUnits('+3', 2)).toBe(300);
    expect(toMinorUnits('007.10', 2)).toBe(710);
    expect(toMinorUnits(1e-7, 2)).toBe(0);
    expect(codeOf(() => toMinorUnits(1e21, 0))).toBe('unsafe_amount');
    expect(toMinorUnits(1e15, 0)).toBe(10 ** 15);
  });

  it('shifts exponent forms exactly on the digits', () => {
    expect(toMinorUnits('1.5e2', 2)).toBe(15000);
    expect(toMinorUnits('125e-3', 2)).toBe(13);
    expect(toMinorUnits(1e-7, 6)).toBe(0);
    expect(codeOf(() => toMinorUnits(1e-7, 6, { rounding: 'reject' }))).toBe('too_many_decimals');
    expect(toMinorUnits('0.00000000000000000000000000000001e30', 2)).toBe(1);
    expect(toMinorUnits('1e-999999', 2)).toBe(0);
  });

  it("throws 'too_many_decimals' under rounding: 'reject' only for non-zero extra digits", () => {
    expect(codeOf(() => toMinorUnits('1.005', 2, { rounding: 'reject' }))).toBe('too_many_decimals');
    expect(codeOf(() => toMinorUnits('1.5', 0, { rounding: 'reject' }))).toBe('too_many_decimals');
    expect(toMinorUnits('1.2000', 2, { rounding: 'reject' })).toBe(120);
  });

  it.each([
    ['abc', 'invalid_amount'],
    ['', 'invalid_amount'],
    ['.', 'invalid_amount'],
    ['-', 'invalid_amount'],
    ['1.2.3', 'invalid_amount'],
    [' 1', 'invalid_amount'],
    ['1,000', 'invalid_amount'],
    ['0x10', 'invalid_amount'],
    ['1e', 'invalid_amount'],
    [Number.NaN, 'invalid_amount'],
    [Number.POSITIVE_INFINITY, 'invalid_amount'],
    [Number.NEGATIVE_INFINITY, 'invalid_amount'],
    ['Infinity', 'invalid_amount'],
    ['1e400', 'unsafe_amount'],
    [1e300, 'unsafe_amount'],
    ['90071992547409.92', 'unsafe_amount'],
    [String(2 ** 53), 'unsafe_amount'],
  ] as const)('rejects %j with %s', (input, code) => {
    expect(codeOf(() => toMinorUnits(input, 2))).toBe(code);
  });

  it('keeps the error’s input for callers', () => {
    const error = (() => {
      try {
        toMinorUnits('abc', 2);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).input).toBe('abc');
  });

  it('reads a whole number as it reads its digits', () => {
    fc.assert(
      fc.property(
        fc.oneof(safeMinor, fc.integer({ min: -1000, max: 1000 })),
        fc.integer({ min: 0, max: 6 }),
        (n, d) => {
          const code = codeOf(() => toMinorUnits(String(n), d));
          if (code === undefined) expect(toMinorUnits(n, d)).toBe(toMinorUnits(String(n), d));
          else expect(codeOf(() => toMinorUnits(n, d))).toBe(code);
        },
      ),
    );
    expect(Object.is(toMinorUnits(-0, 2), 0)).toBe(true);
  });

  it('treats 2**53 minor units as unsafe but MAX_SAFE_INTEGER as fine', () => {
    expect(codeOf(() => toMinorUnits(2 ** 53, 0))).toBe('unsafe_amount');
    expect(toMinorUnits(Number.MAX_SAFE_INTEGER, 0)).toBe(Number.MAX_SAFE_INTEGER);
    expect(toMinorUnits('90071992547409.91', 2)).toBe(Number.MAX_SAFE_INTEGER);
    // Rounding up past the limit is still unsafe, never silently clamped.
    expect(codeOf(() => toMinorUnits('90071992547409.915', 2))).toBe('unsafe_amount');
  });

  it.each([-1, 7, 2.5, Number.NaN])("throws 'invalid_decimals' for %s decimals", (decimals) => {
    expect(codeOf(() => toMinorUnits('1', decimals))).toBe('invalid_decimals');
    expect(codeOf(() => fromMinorUnits(1, decimals))).toBe('invalid_decimals');
  });
});

describe('fromMinorUnits', () => {
  it('writes plain major-unit decimals', () => {
    expect(fromMinorUnits(1200, 2)).toBe('12.00');
    expect(fromMinorUnits(-500, 2)).toBe('-5.00');
    expect(fromMinorUnits(5, 2)).toBe('0.05');
    expect(fromMinorUnits(-5, 3)).toBe('-0.005');
    expect(fromMinorUnits(1234, 0)).toBe('1234');
    expect(fromMinorUnits(-0, 2)).toBe('0.00');
  });

  it('rejects non-integers and unsafe amounts', () => {
    expect(codeOf(() => fromMinorUnits(1.5, 2))).toBe('invalid_amount');
    expect(codeOf(() => fromMinorUnits(Number.NaN, 2))).toBe('invalid_amount');
    expect(codeOf(() => fromMinorUnits(2 ** 53, 2))).toBe('unsafe_amount');
  });

  it('round-trips with toMinorUnits for any safe amount (decimals 0, 2, 3)', () => {
    fc.assert(
      fc.property(safeMinor, fc.constantFrom(0, 2, 3), (minor, decimals) => {
        const text = fromMinorUnits(minor, decimals);
        expect(toMinorUnits(text, decimals, { rounding: 'reject' })).toBe(minor);
      }),
    );
  });

  it('round-trips through the major-unit number when that number is exact enough', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
        fc.constantFrom(0, 2, 3),
        (minor, decimals) => {
          expect(toMinorUnits(Number(fromMinorUnits(minor, decimals)), decimals)).toBe(minor);
        },
      ),
    );
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and multiplies integers', () => {
    expect(addMinor()).toBe(0);
    expect(addMinor(100, 1200, 1800, 200)).toBe(3300);
    expect(subtractMinor(3300, 500)).toBe(2800);
    expect(multiplyMinor(1200, 3)).toBe(3600);
  });

  it("throws 'unsafe_amount' past MAX_SAFE_INTEGER instead of rounding", () => {
    expect(codeOf(() => addMinor(Number.MAX_SAFE_INTEGER, 1))).toBe('unsafe_amount');
    expect(codeOf(() => subtractMinor(Number.MIN_SAFE_INTEGER, 1))).toBe('unsafe_amount');
    expect(codeOf(() => multiplyMinor(2 ** 27, 2 ** 26))).toBe('unsafe_amount');
    expect(codeOf(() => multiplyMinor(3_000_000_000_000_001, 4))).toBe('unsafe_amount');
    expect(codeOf(() => addMinor(0.5))).toBe('invalid_amount');
  });

  it('addMinor agrees with BigInt arithmetic whenever it answers', () => {
    fc.assert(
      fc.property(fc.array(safeMinor, { maxLength: 5 }), (amounts) => {
        const exact = amounts.reduce((sum, a) => sum + BigInt(a), 0n);
        const code = codeOf(() => addMinor(...amounts));
        if (code === undefined) expect(BigInt(addMinor(...amounts))).toBe(exact);
        else expect(code).toBe('unsafe_amount');
      }),
    );
  });

  it('multiplyMinor agrees with BigInt arithmetic whenever it answers', () => {
    fc.assert(
      fc.property(safeMinor, fc.integer({ min: -1000, max: 1000 }), (amount, quantity) => {
        const exact = BigInt(amount) * BigInt(quantity);
        const fits = exact <= BigInt(Number.MAX_SAFE_INTEGER) && exact >= -BigInt(Number.MAX_SAFE_INTEGER);
        if (fits) expect(multiplyMinor(amount, quantity)).toBe(Number(exact));
        else expect(codeOf(() => multiplyMinor(amount, quantity))).toBe('unsafe_amount');
      }),
    );
  });

  it('percentOfMinor rounds half-up on the percent’s digits', () => {
    expect(percentOfMinor(1999, 20)).toBe(400);
    expect(percentOfMinor(1000, 17.5)).toBe(175);
    expect(percentOfMinor(5, 10)).toBe(1);
    expect(percentOfMinor(4, 10)).toBe(0);
    expect(percentOfMinor(-5, 10)).toBe(-1);
    expect(percentOfMinor(3300, 100)).toBe(3300);
  });

  it('percentOfMinor agrees with half-up BigInt arithmetic on the percent’s digits, small or large', () => {
    const divisor = 100n * 10n ** 6n;
    const reference = (minor: number, scaled: bigint): number | undefined => {
      const numerator = BigInt(minor) * scaled;
      const magnitude = numerator < 0n ? -numerator : numerator;
      let quotient = magnitude / divisor;
      if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
      if (quotient > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      const result = Number(quotient);
      return numerator < 0n && result !== 0 ? -result : result;
    };
    fc.assert(
      fc.property(
        fc.oneof(safeMinor, fc.integer({ min: -(10 ** 9), max: 10 ** 9 })),
        fc.integer({ min: -200_000_000, max: 200_000_000 }),
        (minor, scaled) => {
          const percent = fromMinorUnits(scaled, 6);
          const expected = reference(minor, BigInt(scaled));
          if (expected === undefined)
            expect(codeOf(() => percentOfMinor(minor, percent))).toBe('unsafe_amount');
          else {
            expect(percentOfMinor(minor, percent)).toBe(expected);
            expect(percentOfMinor(minor, Number(percent))).toBe(expected);
          }
        },
      ),
    );
  });

  it('allocateMinor splits so the parts sum to the whole', () => {
    expect(allocateMinor(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateMinor(500, [100, 1200, 1800, 200])).toEqual([15, 182, 273, 30]);
    expect(allocateMinor(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocateMinor(7, [0, 0])).toEqual([4, 3]);
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
        fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 1, maxLength: 8 }),
        (total, weights) => {
          const parts = allocateMinor(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((part, i) => {
            // Each part is within one unit of its exact share.
            const exact = sum === 0 ? total / weights.length : (total * (weights[i] ?? 0)) / sum;
            expect(Math.abs(part - exact)).toBeLessThan(1 + 1e-6 * Math.abs(total));
          });
        },
      ),
    );
  });
});
