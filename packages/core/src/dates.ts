import { CoreError } from './errors.js';

const API_DATE = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;
/** Unix seconds of 0000-01-01T00:00:00Z: the earliest instant a 4-digit year field can hold. */
export const API_DATE_MIN_SECONDS = -62167219200;
/** Unix seconds of 9999-12-31T23:59:59Z: the latest instant a 4-digit year field can hold. */
export const API_DATE_MAX_SECONDS = 253402300799;

const pad2 = (n: number): string => String(n).padStart(2, '0');

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function invalidDate(input: unknown): CoreError {
  return new CoreError('invalid_date', `Not a date in MM/DD/YYYY HH:mm:ss format: ${String(input)}`, input);
}

/**
 * Formats unix seconds as the plugin does (`gmdate('m/d/Y H:i:s')`, UTC).
 *
 * @example
 * formatApiDate(1619164019); // '04/23/2021 07:46:59'
 */
export function formatApiDate(unixSeconds: number): string {
  if (
    !Number.isInteger(unixSeconds) ||
    unixSeconds < API_DATE_MIN_SECONDS ||
    unixSeconds > API_DATE_MAX_SECONDS
  ) {
    throw invalidDate(unixSeconds);
  }
  const d = new Date(unixSeconds * 1000);
  const year = String(d.getUTCFullYear()).padStart(4, '0');
  return `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${year} ${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())}`;
}

/**
 * Parses `MM/DD/YYYY HH:mm:ss` (UTC) into unix seconds; throws CoreError `invalid_date` for
 * anything else, including impossible dates such as `02/30/2021 10:00:00`.
 */
export function parseApiDate(s: string): number {
  const m = typeof s === 'string' ? API_DATE.exec(s) : null;
  if (!m) throw invalidDate(s);
  const [month, day, year, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw invalidDate(s);
  if (hour > 23 || minute > 59 || second > 59) throw invalidDate(s);
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() / 1000;
}

/** {@link parseApiDate} as a `Date`. */
export function apiDateToDate(s: string): Date {
  return new Date(parseApiDate(s) * 1000);
}

/** {@link formatApiDate} of a `Date` (sub-second part dropped, as PHP's `gmdate` does). */
export function dateToApiDate(d: Date): string {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw invalidDate(d);
  return formatApiDate(Math.floor(ms / 1000));
}
