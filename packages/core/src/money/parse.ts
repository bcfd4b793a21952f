import { CoreError } from '../errors.js';
import type { Currency } from '../schemas/currency.js';
import { formatMoney, type MoneyFormat } from './format.js';
import { assertSafeMinor, fromMinorUnits, toMinorUnits } from './minor-units.js';

/*
 * One function per money form of the seed's cart payload, each with its inverse:
 *   item `price`            "12.00"   major-unit decimal string   parseItemPrice / toItemPrice
 *   item `totals.*`          12, 1.5   major-unit JSON number      parseItemTotal / toItemTotal
 *   cart `totals.*`          "19200"   minor-unit integer string   parseCartTotal / toCartTotal
 *   coupon `saving`          "-500"    minor-unit integer string   parseCouponSaving / toCartTotal
 *   rate `cost`              "20.00"   major-unit decimal string   parseRateCost / toRateCost
 *   `saving_html`            "-£5.00"  formatted with the currency parseFormattedMoney / formatMoney
 *   rate `html`  "Flat rate: £20.00"   label + formatted amount    parseShippingHtml / toShippingHtml
 */

type Decimals = Pick<Currency, 'currency_minor_unit'>;

const MINOR_UNIT_STRING = /^-?\d+$/;

function parseMinorUnitString(text: string, what: string): number {
  if (typeof text !== 'string' || !MINOR_UNIT_STRING.test(text)) {
    throw new CoreError('invalid_amount', `${what} must be a string of minor units, like "19200".`, text);
  }
  return toMinorUnits(text, 0, { rounding: 'reject' });
}

/**
 * Item `price`: a decimal string in major units → minor units (half-up past the currency's decimals).
 * @example parseItemPrice('12.00', gbp) // 1200
 */
export function parseItemPrice(price: string, currency: Decimals): number {
  if (typeof price !== 'string')
    throw new CoreError('invalid_amount', 'An item price must be a string.', price);
  return toMinorUnits(price, currency.currency_minor_unit);
}

/** Minor units → item `price` ("12.00"). */
export function toItemPrice(minor: number, currency: Decimals): string {
  return fromMinorUnits(minor, currency.currency_minor_unit);
}

/**
 * Item `totals.*`: a JSON number in major units → minor units.
 * @example parseItemTotal(12, gbp) // 1200
 * @example parseItemTotal(1.5, gbp) // 150
 */
export function parseItemTotal(total: number, currency: Decimals): number {
  if (typeof total !== 'number')
    throw new CoreError('invalid_amount', 'An item total must be a number.', total);
  return toMinorUnits(total, currency.currency_minor_unit);
}

/** Minor units → item `totals.*` number (1200 → 12, 150 → 1.5), the nearest double to the decimal. */
export function toItemTotal(minor: number, currency: Decimals): number {
  return Number(fromMinorUnits(minor, currency.currency_minor_unit));
}

/**
 * Cart `totals.*`: a string of minor units → minor units.
 * @example parseCartTotal('19200') // 19200 (£192.00)
 */
export function parseCartTotal(total: string): number {
  return parseMinorUnitString(total, 'A cart total');
}

/**
 * Coupon `saving`: a string of minor units, negative for a discount.
 * @example parseCouponSaving('-500') // -500
 */
export function parseCouponSaving(saving: string): number {
  return parseMinorUnitString(saving, 'A coupon saving');
}

/** Minor units → cart `totals.*` / coupon `saving` string (19200 → "19200", -500 → "-500"). */
export function toCartTotal(minor: number): string {
  return String(assertSafeMinor(minor));
}

/**
 * Shipping rate `cost`: a decimal string in major units → minor units.
 * @example parseRateCost('20.00', gbp) // 2000
 */
export function parseRateCost(cost: string, currency: Decimals): number {
  if (typeof cost !== 'string') throw new CoreError('invalid_amount', 'A rate cost must be a string.', cost);
  return toMinorUnits(cost, currency.currency_minor_unit);
}

/** Minor units → shipping rate `cost` ("20.00"). */
export function toRateCost(minor: number, currency: Decimals): string {
  return fromMinorUnits(minor, currency.currency_minor_unit);
}

function badFormat(text: unknown, why: string): never {
  throw new CoreError('invalid_formatted_money', `Not money in this currency's format (${why}).`, text);
}

/** Splits the number part into integer digits and fraction digits, checking the grouping. */
function splitFormattedNumber(body: string, currency: MoneyFormat, text: string): [string, string] {
  const decimals = currency.currency_minor_unit;
  const point = currency.currency_decimal_separator;
  const group = currency.currency_thousand_separator;
  let integer = body;
  let fraction = '';
  if (decimals > 0) {
    // With equal (or empty) separators only the position tells the decimal point apart.
    const at =
      point === group || point === '' ? body.length - decimals - point.length : body.lastIndexOf(point);
    if (at > 0 && body.slice(at, at + point.length) === point) {
      integer = body.slice(0, at);
      fraction = body.slice(at + point.length);
      if (!/^\d+$/.test(fraction)) badFormat(text, 'fraction digits');
    }
  }
  if (group !== '' && integer.includes(group)) {
    const groups = integer.split(group);
    const [head = '', ...tail] = groups;
    if (!/^\d{1,3}$/.test(head) || !tail.every((g) => /^\d{3}$/.test(g))) badFormat(text, 'digit grouping');
    integer = groups.join('');
  }
  if (!/^\d+$/.test(integer)) badFormat(text, 'digits');
  return [integer, fraction];
}

/**
 * Reads an amount formatted with the currency settings (as {@link formatMoney} writes it) back to minor
 * units. The sign may come before or after the prefix; digits past the currency's decimals are rejected.
 * @example parseFormattedMoney('-£5.00', gbp) // -500
 * @example parseFormattedMoney('£1,234.56', gbp) // 123456
 * @throws CoreError 'invalid_formatted_money' | 'too_many_decimals' | 'unsafe_amount'
 */
export function parseFormattedMoney(text: string, currency: MoneyFormat): number {
  if (typeof text !== 'string') badFormat(text, 'not a string');
  let rest = text.trim();
  let negative = false;
  if (rest.startsWith('-')) {
    negative = true;
    rest = rest.slice(1);
  }
  // Outer whitespace of the text is gone, so compare with the affixes' inner parts only.
  const prefix = currency.currency_prefix.trimStart();
  const suffix = currency.currency_suffix.trimEnd();
  if (prefix !== '') {
    if (!rest.startsWith(prefix)) badFormat(text, `missing prefix ${JSON.stringify(prefix)}`);
    rest = rest.slice(prefix.length);
  }
  if (!negative && rest.startsWith('-')) {
    negative = true;
    rest = rest.slice(1);
  }
  if (suffix !== '') {
    if (!rest.endsWith(suffix)) badFormat(text, `missing suffix ${JSON.stringify(suffix)}`);
    rest = rest.slice(0, rest.length - suffix.length);
  }
  if (rest === '') badFormat(text, 'no digits');
  const [integer, fraction] = splitFormattedNumber(rest, currency, text);
  const decimal = `${negative ? '-' : ''}${integer}${fraction === '' ? '' : `.${fraction}`}`;
  return toMinorUnits(decimal, currency.currency_minor_unit, { rounding: 'reject' });
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  pound: '£',
  euro: '€',
  yen: '¥',
  cent: '¢',
};

/** Strips tags and decodes the entities `wc_price` output may carry, as the plugin's html_entity_decode does. */
function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#')) {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\u00a0/g, ' ');
}

/**
 * Shipping rate `html` → its label and amount. The plugin appends ": <price>" only when the rate costs
 * something, so a label without a readable amount after its last ": " is a free rate (amount 0).
 * @example parseShippingHtml('Flat rate: £20.00', gbp) // { label: 'Flat rate', amount: 2000 }
 * @example parseShippingHtml('Free shipping', gbp) // { label: 'Free shipping', amount: 0 }
 */
export function parseShippingHtml(html: string, currency: MoneyFormat): { label: string; amount: number } {
  if (typeof html !== 'string') badFormat(html, 'not a string');
  const text = htmlToText(html).trim();
  const at = text.lastIndexOf(': ');
  if (at >= 0) {
    // A tax note such as "(ex. VAT)" may follow the price.
    const price = text.slice(at + 2).replace(/\s*\([^()]*\)$/, '');
    try {
      return { label: text.slice(0, at), amount: parseFormattedMoney(price, currency) };
    } catch (error) {
      if (!(error instanceof CoreError) || error.code !== 'invalid_formatted_money') throw error;
    }
  }
  return { label: text, amount: 0 };
}

/**
 * Label + amount → shipping rate `html`, as the plugin writes it: "Flat rate: £20.00", or the bare label
 * when the rate is free.
 */
export function toShippingHtml(label: string, minor: number, currency: MoneyFormat): string {
  return minor > 0 ? `${label}: ${formatMoney(minor, currency)}` : label;
}
