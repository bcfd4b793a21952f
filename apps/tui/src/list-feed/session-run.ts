import { SESSION_SUMMARY_FIELDS as FIELDS, type SessionSummary } from '@cocart-sessions/core';

/** A field of a session, by its place in {@link FIELDS}. */
export const Field = { Id: 0, Key: 1, Name: 2, Email: 3, Created: 4, Expiry: 5, Source: 6, Link: 7 } as const;
export type Field = (typeof Field)[keyof typeof Field];

/** The text before each field's value: the element's opening brace, or the end of the last value. */
const OPENERS = FIELDS.map((name, f) => Buffer.from(`${f === 0 ? '{' : '",'}"${name}":"`));

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE = 0x7d;

/** `MM/DD/YYYY HH:mm:ss`: where the separators go, `0` for the digits. */
const DATE_SHAPE = Buffer.from('00/00/0000 00:00:00');

/** Where the date at `p` ends (its closing quote) when it is the API's date shape (`isSessionSummary`'s pattern), else -1. */
function dateEnd(bytes: Buffer, p: number): number {
  for (let k = 0; k < DATE_SHAPE.length; k++) {
    const c = bytes[p + k];
    const want = DATE_SHAPE[k] as number;
    if (c === undefined || (want === 0x30 ? c < 0x30 || c > 0x39 : c !== want)) return -1;
  }
  const end = p + DATE_SHAPE.length;
  return bytes[end] === QUOTE ? end : -1;
}

/** Where the cart_id at `p` ends (its closing quote) when it is digits (`isSessionSummary`'s pattern), else -1. */
function digitsEnd(bytes: Buffer, p: number): number {
  const from = p;
  let c = bytes[p];
  while (c !== undefined && c >= 0x30 && c <= 0x39) c = bytes[++p];
  return c === QUOTE && p > from ? p : -1;
}

/** Set by {@link stringEnd}: whether the string it read is its bytes (ASCII, no escape). */
let plainString = true;

/** Where the string whose text starts at `p` ends (its closing quote), or -1 when it holds a raw control character or does not end. */
function stringEnd(bytes: Buffer, p: number): number {
  // Any byte of 0x80 and up, or a backslash: not plain.
  let mixed = 0;
  for (let c = bytes[p]; c !== QUOTE; c = bytes[++p]) {
    if (c === undefined || c < 0x20) return -1;
    if (c === BACKSLASH) {
      mixed = 0x80;
      p++;
    }
    mixed |= c;
  }
  plainString = mixed < 0x80;
  return p;
}

/**
 * Sessions as the bytes of their JSON text, a run of array elements at a time, with where each
 * value lies: a million sessions are read without a million objects and eight million strings. Only
 * the form our server writes is read here (these fields in this order, no blanks); `of` gives any
 * other list of sessions that form. A value is "plain" when its bytes are its text (ASCII, no
 * escape); the others are decoded once, when read.
 */
export class SessionRun {
  readonly bytes: Buffer;
  readonly count: number;
  /** Start and end of each value (without quotes): `[2 * (8 * k + f)]`, `[2 * (8 * k + f) + 1]`. */
  readonly #at: Int32Array;
  /** The values that are not plain (escaped, or not ASCII), by `8 * k + f`: their texts once decoded. */
  readonly #odd: Map<number, string | undefined>;

  private constructor(bytes: Buffer, count: number, at: Int32Array, odd: Map<number, string | undefined>) {
    this.bytes = bytes;
    this.count = count;
    this.#at = at;
    this.#odd = odd;
  }

  /**
   * The sessions of `bytes`, the text of array elements separated by commas (no brackets), or
   * undefined when that text is not such elements in our server's form, each a session as
   * `isSessionSummary` holds it. So a run that reads here is valid JSON: a cut that is not the end of
   * an element, or a session in another form, is undefined (for `JSON.parse` to decide).
   */
  static scan(bytes: Buffer): SessionRun | undefined {
    const end = bytes.length;
    let at = new Int32Array(16 * 64);
    let odd: Map<number, string | undefined> | undefined;
    let count = 0;
    let p = 0;
    while (p < end) {
      if (at.length < 16 * (count + 1)) {
        const grown = new Int32Array(at.length * 2);
        grown.set(at);
        at = grown;
      }
      for (let f = 0; f < 8; f++) {
        const opener = OPENERS[f] as Buffer;
        if (p + opener.length > end) return undefined;
        for (let k = 0; k < opener.length; k++) if (bytes[p + k] !== opener[k]) return undefined;
        p += opener.length;
        const from = p;
        const plain = f === Field.Id || f === Field.Created || f === Field.Expiry;
        if (f === Field.Id) p = digitsEnd(bytes, p);
        else if (plain) p = dateEnd(bytes, p);
        else p = stringEnd(bytes, p);
        if (p === -1) return undefined;
        const slot = 2 * (8 * count + f);
        at[slot] = from;
        at[slot + 1] = p;
        if (!plain && !plainString) {
          odd ??= new Map();
          odd.set(8 * count + f, undefined);
        }
      }
      if (bytes[p + 1] !== CLOSE) return undefined;
      p += 2;
      count++;
      if (p < end) {
        if (bytes[p] !== COMMA || p + 1 === end) return undefined;
        p++;
      }
    }
    const run = new SessionRun(bytes, count, at, odd ?? new Map());
    // An escape JSON does not allow makes the text invalid: found here, not when the value is read.
    for (const slot of run.#odd.keys()) {
      try {
        run.#decode(slot);
      } catch {
        return undefined;
      }
    }
    return run;
  }

  /** `sessions` in our server's form (any key order or extra keys in, the eight fields out). */
  static of(sessions: readonly SessionSummary[]): SessionRun {
    const text = sessions
      .map((s) => `{${FIELDS.map((name) => `"${name}":${JSON.stringify(s[name])}`).join(',')}}`)
      .join(',');
    const run = SessionRun.scan(Buffer.from(text, 'utf8'));
    if (run === undefined) throw new TypeError('not a list of sessions');
    return run;
  }

  #decode(slot: number): string {
    let text = this.#odd.get(slot);
    if (text === undefined) {
      const from = this.#at[2 * slot] as number;
      const to = this.#at[2 * slot + 1] as number;
      text = JSON.parse(this.bytes.toString('utf8', from - 1, to + 1)) as string;
      this.#odd.set(slot, text);
    }
    return text;
  }

  /** True when value `f` of session `k` is its bytes ({@link start} to {@link end}), ASCII alone. */
  plain(k: number, f: Field): boolean {
    return this.#odd.size === 0 || !this.#odd.has(8 * k + f);
  }

  start(k: number, f: Field): number {
    return this.#at[2 * (8 * k + f)] as number;
  }

  end(k: number, f: Field): number {
    return this.#at[2 * (8 * k + f) + 1] as number;
  }

  /** Value `f` of session `k`. */
  text(k: number, f: Field): string {
    const slot = 8 * k + f;
    if (!this.plain(k, f)) return this.#decode(slot);
    return this.bytes.toString('latin1', this.#at[2 * slot] as number, this.#at[2 * slot + 1] as number);
  }

  /** True when value `f` of session `k` is `text`. */
  equals(k: number, f: Field, text: string): boolean {
    if (!this.plain(k, f)) return this.#decode(8 * k + f) === text;
    const from = this.start(k, f);
    const n = this.end(k, f) - from;
    if (n !== text.length) return false;
    const bytes = this.bytes;
    for (let i = 0; i < n; i++) if (bytes[from + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  /** Session `k` as an object. */
  summary(k: number): SessionSummary {
    const s: Record<string, string> = {};
    for (let f = 0; f < 8; f++) s[FIELDS[f] as string] = this.text(k, f as Field);
    return s as SessionSummary;
  }
}
