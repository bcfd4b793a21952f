import { API_DATE_MAX_SECONDS, API_DATE_MIN_SECONDS, formatApiDate } from '@cocart-sessions/core';
import type { SessionRow } from '../store/session-store.js';

const DAY = 86_400;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * `formatApiDate` with the `MM/DD/YYYY ` prefix of each day computed once: a list formats two dates
 * per row and most rows share a few days.
 */
export class ApiDateFormatter {
  readonly #days = new Map<number, string>();

  format(seconds: number): string {
    // Outside the bounds formatApiDate throws, so it decides.
    if (!Number.isInteger(seconds) || seconds < API_DATE_MIN_SECONDS || seconds > API_DATE_MAX_SECONDS) {
      return formatApiDate(seconds);
    }
    const day = Math.floor(seconds / DAY);
    let prefix = this.#days.get(day);
    if (prefix === undefined) {
      if (this.#days.size >= 4096) this.#days.clear();
      prefix = formatApiDate(day * DAY).slice(0, 11);
      this.#days.set(day, prefix);
    }
    const s = seconds - day * DAY;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s - h * 3600) / 60);
    return `${prefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s - h * 3600 - m * 60]}`;
  }
}

// Strings JSON.stringify would copy unchanged: no quote, backslash, control character or surrogate.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function quote(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

let lastBase = '';
let lastBaseOpen = '""';

/**
 * The JSON text of a row's session summary, byte for byte what `JSON.stringify(toSessionSummary(..))`
 * gives, without building the object. `sessionBase` ends with `/session/`.
 */
export function summaryJson(row: SessionRow, sessionBase: string, dates: ApiDateFormatter): string {
  if (sessionBase !== lastBase) {
    lastBase = sessionBase;
    lastBaseOpen = JSON.stringify(sessionBase).slice(0, -1);
  }
  const key = quote(row[1]);
  // The link is the base's JSON text without its closing quote, then the key's without its opening one.
  return (
    `{"cart_id":"${row[0]}","cart_key":${key},"customers_name":${quote(row[5])}` +
    `,"customers_email":${quote(row[6])},"cart_created":"${dates.format(row[3])}"` +
    `,"cart_expiry":"${dates.format(row[4])}","cart_source":${quote(row[2])}` +
    `,"link":${lastBaseOpen}${key.slice(1)}}`
  );
}
