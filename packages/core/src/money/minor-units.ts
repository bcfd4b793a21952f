/*
 * Rules of money, written down once for the whole toolkit:
 * - An amount is an integer number of minor units (pence, cents, fils) held in a JS number that must stay
 *   a safe integer; past Number.MAX_SAFE_INTEGER we throw 'unsafe_amount', we never round silently.
 * - A currency's exponent (`currency_minor_unit`) is an integer 0..6, else 'invalid_decimals'.
 * - Decimal input is converted on its decimal digits, never by a float multiply: a number is first turned
 *   into its shortest round-trip string (String(n)); an exponent form is shifted exactly on the digits;
 *   NaN, Infinity, empty and non-numeric text are 'invalid_amount'.
 * - Extra digits round half-up, away from zero for negatives (PHP round(), as wc_add_number_precision does);
 *   with `rounding: 'reject'` any non-zero extra digit is 'too_many_decimals'.
 * - add/subtract/multiply accept safe integers only and check the result is still safe.
 */
import { CoreError, type CoreErrorCode } from '../errors.js';

/** Largest currency exponent the toolkit accepts (`currency_minor_unit`). */
export const MAX_CURRENCY_DECIMALS = 6;

/** How extra fraction digits are handled by {@link toMinorUnits}. */
export type MinorUnitsRounding = 'half-up' | 'reject';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
// Sign, digits with an optional point (either side may be empty, not both), optional exponent.
const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
// An integer part longer than this is unsafe whatever the decimals; checked before building digit strings.
const MAX_INTEGER_DIGITS = 17;

function fail(code: CoreErrorCode, message: string, input: unknown): never {
  throw new CoreError(code, message, input);
}

function assertDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_CURRENCY_DECIMALS) {
    fail('invalid_decimals', `Decimals must be an integer from 0 to ${MAX_CURRENCY_DECIMALS}.`, decimals);
  }
}

/** Throws unless `minor` is a safe integer; returns it (normalising -0 to 0). */
export function assertSafeMinor(minor: number): number {
  if (typeof minor !== 'number' || !Number.isInteger(minor)) {
    fail('invalid_amount', 'A minor-unit amount must be an integer.', minor);
  }
  if (!Number.isSafeInteger(minor)) {
    fail('unsafe_amount', 'Amount is beyond Number.MAX_SAFE_INTEGER minor units.', minor);
  }
  return minor === 0 ? 0 : minor;
}

interface DecimalParts {
  negative: boolean;
  integer: string;
  fraction: string;
}

function splitDecimal(text: string, input: unknown): DecimalParts {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) fail('invalid_amount', `Not a decimal amount: ${JSON.stringify(text)}.`, input);
  const [, sign = '', rawInteger = '', rawFraction = '', rawExponent] = match;
  if (rawInteger === '' && rawFraction === '') {
    fail('invalid_amount', `Not a decimal amount: ${JSON.stringify(text)}.`, input);
  }
  let integer = rawInteger.replace(/^0+/, '');
  let fraction = rawFraction.replace(/0+$/, '');
  const isZero = integer === '' && fraction === '';
  if (rawExponent !== undefined && !isZero) {
    // Shift the point on the digits; first drop leading zeros so `point` says the value's magnitude.
    const all = integer + fraction;
    const digits = all.replace(/^0+/, '');
    const point = integer.length - (all.length - digits.length) + Number(rawExponent);
    if (point > MAX_INTEGER_DIGITS) fail('unsafe_amount', 'Amount is far beyond the safe range.', input);
    if (point < -MAX_CURRENCY_DECIMALS) {
      // Every digit sits past any currency's precision: rounds to zero, or has too many decimals.
      return { negative: sign === '-', integer: '', fraction: `${'0'.repeat(MAX_CURRENCY_DECIMALS + 1)}1` };
    }
    if (point <= 0) {
      integer = '';
      fraction = '0'.repeat(-point) + digits;
    } else if (point >= digits.length) {
      integer = digits + '0'.repeat(point - digits.length);
      fraction = '';
    } else {
      integer = digits.slice(0, point);
      fraction = digits.slice(point);
    }
  }
  return { negative: sign === '-' && !isZero, integer, fraction };
}

/**
 * Converts a decimal amount in major units to integer minor units, on the decimal digits.
 * @example toMinorUnits('12.00', 2) // 1200
 * @example toMinorUnits('1.005', 2) // 101 (half-up; float math would give 100)
 * @example toMinorUnits(-0.125, 2) // -13 (away from zero, like PHP round)
 * @throws CoreError 'invalid_amount' | 'too_many_decimals' | 'unsafe_amount' | 'invalid_decimals'
 */
export function toMinorUnits(
  amount: string | number,
  decimals: number,
  opts: { rounding?: MinorUnitsRounding } = {},
): number {
  assertDecimals(decimals);
  if (typeof amount === 'number' && Number.isSafeInteger(amount)) {
    // A whole number needs no digits: its product with 10^decimals is exact while it is a safe
    // integer (a larger one cannot round back into the safe range), so only that is checked.
    const minor = amount * 10 ** decimals;
    if (Number.isSafeInteger(minor)) return minor === 0 ? 0 : minor;
  }
  let text: string;
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount)) fail('invalid_amount', `Not a finite amount: ${String(amount)}.`, amount);
    // Shortest round-trip form: the decimal the number was written as, not its binary expansion.
    text = String(amount);
  } else if (typeof amount === 'string') {
    text = amount;
  } else {
    fail('invalid_amount', 'An amount must be a string or a number.', amount);
  }
  const { negative, integer, fraction } = splitDecimal(text, amount);
  const kept = fraction.slice(0, decimals).padEnd(decimals, '0');
  const extra = fraction.slice(decimals);
  let magnitude = BigInt(`${integer}${kept}` || '0');
  if (/[1-9]/.test(extra)) {
    if (opts.rounding === 'reject') {
      fail('too_many_decimals', `Amount has more than ${decimals} decimal places: ${text}.`, amount);
    }
    if (extra.charCodeAt(0) >= 53 /* '5' */) magnitude += 1n;
  }
  if (magnitude > MAX_SAFE)
    fail('unsafe_amount', 'Amount is beyond Number.MAX_SAFE_INTEGER minor units.', amount);
  const minor = Number(magnitude);
  return negative && minor !== 0 ? -minor : minor;
}

/**
 * Writes integer minor units as a plain decimal string in major units (no separators, `.` as point).
 * @example fromMinorUnits(1200, 2) // "12.00"
 * @example fromMinorUnits(-500, 2) // "-5.00"
 * @example fromMinorUnits(1234, 0) // "1234"
 */
export function fromMinorUnits(minor: number, decimals: number): string {
  assertDecimals(decimals);
  const value = assertSafeMinor(minor);
  const digits = String(Math.abs(value)).padStart(decimals + 1, '0');
  const sign = value < 0 ? '-' : '';
  if (decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Sums minor-unit amounts; throws 'unsafe_amount' when the sum leaves the safe range. */
export function addMinor(...amounts: number[]): number {
  let sum = 0;
  for (const amount of amounts) {
    // Safe + safe is exact unless the exact sum is >= 2^53, which then can't round back below it.
    sum = assertSafeMinor(sum + assertSafeMinor(amount));
  }
  return sum;
}

/** `a - b` in minor units; throws 'unsafe_amount' when the result leaves the safe range. */
export function subtractMinor(a: number, b: number): number {
  return assertSafeMinor(assertSafeMinor(a) - assertSafeMinor(b));
}

/** `amount × quantity` (both integers); throws 'unsafe_amount' when the product leaves the safe range. */
export function multiplyMinor(amount: number, quantity: number): number {
  // Exact while the product is a safe integer: a larger exact product cannot round back into the safe
  // range, so only those (and their error) take BigInt below.
  const quick = assertSafeMinor(amount) * assertSafeMinor(quantity);
  if (Number.isSafeInteger(quick)) return quick === 0 ? 0 : quick;
  const product = BigInt(amount) * BigInt(quantity);
  if (product > MAX_SAFE || product < -MAX_SAFE) {
    fail('unsafe_amount', 'Product is beyond Number.MAX_SAFE_INTEGER minor units.', [amount, quantity]);
  }
  return assertSafeMinor(Number(product));
}

/** What a percent scaled by 10^MAX_CURRENCY_DECIMALS is divided by: 100 × 10^6. */
const PERCENT_DIVISOR = 100 * 10 ** MAX_CURRENCY_DECIMALS;

/**
 * `percent`% of a minor-unit amount, rounded half-up (away from zero), computed on the percent's digits.
 * @example percentOfMinor(1999, 20) // 400
 * @example percentOfMinor(1000, 17.5) // 175
 */
export function percentOfMinor(minor: number, percent: number | string): number {
  assertSafeMinor(minor);
  // The percent as an exact integer over 10^MAX_CURRENCY_DECIMALS (so 17.5 → 17500000 / 10^6).
  const scaled = toMinorUnits(percent, MAX_CURRENCY_DECIMALS, { rounding: 'reject' });
  const quick = minor * scaled;
  if (Number.isSafeInteger(quick)) {
    // The same half-up division on doubles, exact while the product is a safe integer (as in
    // multiplyMinor): `%` of integers is exact, and so is dividing off the remainder.
    const magnitude = Math.abs(quick);
    const remainder = magnitude % PERCENT_DIVISOR;
    const quotient = (magnitude - remainder) / PERCENT_DIVISOR + (remainder * 2 >= PERCENT_DIVISOR ? 1 : 0);
    return quick < 0 && quotient !== 0 ? -quotient : quotient;
  }
  const amount = BigInt(minor);
  const scaledPercent = BigInt(scaled);
  const divisor = BigInt(PERCENT_DIVISOR);
  const numerator = amount * scaledPercent;
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  if (quotient > MAX_SAFE)
    fail('unsafe_amount', 'Result is beyond Number.MAX_SAFE_INTEGER minor units.', minor);
  const result = Number(quotient);
  return negative && result !== 0 ? -result : result;
}

/**
 * Splits a minor-unit `total` in proportion to non-negative integer `weights`, so the parts always sum to
 * `total`: each part gets its floor share, then the leftover units go to the largest remainders (earliest
 * first on ties). All-zero weights split evenly.
 * @example allocateMinor(100, [1, 1, 1]) // [34, 33, 33]
 */
export function allocateMinor(total: number, weights: readonly number[]): number[] {
  const whole = BigInt(assertSafeMinor(total));
  if (weights.length === 0) {
    if (whole !== 0n) fail('invalid_amount', 'Cannot allocate a non-zero amount to no parts.', total);
    return [];
  }
  const raw = weights.map((w) => {
    if (assertSafeMinor(w) < 0) fail('invalid_amount', 'Allocation weights must not be negative.', w);
    return BigInt(w);
  });
  const sumOfWeights = raw.reduce((a, b) => a + b, 0n);
  const effective = sumOfWeights === 0n ? raw.map(() => 1n) : raw;
  const divisor = sumOfWeights === 0n ? BigInt(raw.length) : sumOfWeights;
  const negative = whole < 0n;
  const magnitude = negative ? -whole : whole;
  const parts = effective.map((w) => (magnitude * w) / divisor);
  const remainders = effective.map((w, index) => ({ index, remainder: (magnitude * w) % divisor }));
  let leftover = magnitude - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts.map((part) => {
    const n = Number(part);
    return negative && n !== 0 ? -n : n;
  });
}
