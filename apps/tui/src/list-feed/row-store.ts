import { formatApiDate, type SessionSummary } from '@cocart-sessions/core';
import type { CartFigures } from '../cart-values/cart-figures.js';
import { compareByFigure, type FigureColumn, isFigureColumn } from '../cart-values/sort-by-figure.js';
import { EXPIRING_WINDOW_MS, type SessionStatus } from '../format/time.js';
import type { SortColumn } from '../sessions/sort.js';
import { KeyIndex } from './key-index.js';
import { sortByCodes, sortByWholeNumber } from './row-sort.js';
import { Field, type SessionRun } from './session-run.js';
import { TextColumn } from './text-column.js';

/** What the list shows: the rows matching a filter and a status, in one column's order. */
export interface ViewQuery {
  /** Case-insensitive substring of key, name or email ('' for every row). */
  filter: string;
  /** Only the rows of one status at the moment `at` (ms). */
  status?: { is: SessionStatus; at: number } | undefined;
  column: SortColumn;
  descending: boolean;
  /**
   * For the `items` and `value` columns: the carts read when that sort was chosen; `version` names
   * the set, so a view is sorted again only when the set changed.
   */
  figures?: { version: number; byKey: ReadonlyMap<string, CartFigures> } | undefined;
}

/**
 * Whether a view is read from its end for `descending`: the figure columns' views are built in the
 * order shown (carts not read yet stay last in both directions), the others ascending.
 */
export const readsBackwards = (query: ViewQuery): boolean =>
  query.descending && !isFigureColumn(query.column);

/** How many sessions each status view holds. */
export interface ViewCounts {
  all: number;
  active: number;
  expiring: number;
  expired: number;
}

/** A session of a window, with its mark. */
export interface WindowRow {
  summary: SessionSummary;
  marked: boolean;
}

/** The fields a row keeps only when they cannot be rebuilt from its columns. */
type OddFields = Partial<Pick<SessionSummary, 'cart_id' | 'cart_created' | 'cart_expiry' | 'link'>>;

interface CachedView {
  key: string;
  query: ViewQuery;
  version: number;
  rows: Int32Array;
  builtAt: number;
  /** Live rows when it was made. */
  size: number;
}

const NO_DATE = Number.NaN;

/** Sources compared one by one before the map of sources is asked. */
const FEW_SOURCES = 8;

/** Most rows {@link RowStore.reserve} makes room for ahead of them. */
const MAX_RESERVED = 1 << 24;

/** Text of ASCII alone: one byte a character in latin1, as in UTF-8. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: every ASCII character is meant.
const ASCII = /^[\u0000-\u007f]*$/;

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digit at `bytes[i]`, or a number far below any date's part for anything else. */
const digit = (bytes: Uint8Array, i: number): number => {
  const c = (bytes[i] as number) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
};

/** Start of each day met (`YYYYMMDD` → ms at 00:00 UTC, NaN for no such day): a store's dates share few days. */
const dayStarts = new Map<number, number>();

/** Days kept in {@link dayStarts} before it starts over. */
const MAX_DAYS = 4096;

/**
 * The API's date `MM/DD/YYYY HH:mm:ss` (UTC) in `bytes` from `at`, in ms; NaN for anything else:
 * without the regular expression and Date setters of the core's parser, which dominate reading a
 * million rows. A date this accepts formats back to the same text (`formatApiDate`).
 */
export function apiDateMsAt(bytes: Uint8Array, at: number): number {
  if (
    bytes[at + 2] !== 47 ||
    bytes[at + 5] !== 47 ||
    bytes[at + 10] !== 32 ||
    bytes[at + 13] !== 58 ||
    bytes[at + 16] !== 58
  ) {
    return NO_DATE;
  }
  const month = digit(bytes, at) * 10 + digit(bytes, at + 1);
  const day = digit(bytes, at + 3) * 10 + digit(bytes, at + 4);
  const year =
    digit(bytes, at + 6) * 1000 +
    digit(bytes, at + 7) * 100 +
    digit(bytes, at + 8) * 10 +
    digit(bytes, at + 9);
  const hour = digit(bytes, at + 11) * 10 + digit(bytes, at + 12);
  const minute = digit(bytes, at + 14) * 10 + digit(bytes, at + 15);
  const second = digit(bytes, at + 17) * 10 + digit(bytes, at + 18);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NO_DATE;
  const dayKey = year * 10000 + month * 100 + day;
  let start = dayStarts.get(dayKey);
  if (start === undefined) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const valid =
      year >= 1000 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= (month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] as number));
    start = valid ? Date.UTC(year, month - 1, day) : NO_DATE;
    if (dayStarts.size >= MAX_DAYS) dayStarts.clear();
    dayStarts.set(dayKey, start);
  }
  return start + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** {@link apiDateMsAt} of a string. */
export function apiDateMs(s: string): number {
  if (s.length !== 19 || !ASCII.test(s)) return NO_DATE;
  return apiDateMsAt(Buffer.from(s, 'latin1'), 0);
}

/**
 * Session `k`'s cart_id (digits, as the run holds it) as a number, and whether its text is that
 * number's: -1 when it is not (a leading zero, or too long to come back from the number).
 */
function plainIdOf(run: SessionRun, k: number): number {
  const bytes = run.bytes;
  const from = run.start(k, Field.Id);
  const n = run.end(k, Field.Id) - from;
  if (n > 15 || (n > 1 && bytes[from] === 48)) return -1;
  let id = 0;
  for (let p = from; p < from + n; p++) id = id * 10 + (bytes[p] as number) - 48;
  return id;
}

const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every session of the list, column by column (typed arrays for numbers, arrays of the strings
 * themselves), so a million rows cost their text and a few bytes each rather than an object per
 * row. A row keeps its index for life: removed rows are tombstones (compacted when they pile up),
 * new and changed rows go at the end. Views (filter, status, sort), status counts and marks are
 * computed here, over every session; callers ask for a window of a view.
 */
export class RowStore {
  /** Bumped by every change of the rows. */
  version = 0;
  #length = 0;
  #alive = 0;
  #capacity = 0;
  #ids = new Float64Array(0);
  #created = new Float64Array(0);
  #expiry = new Float64Array(0);
  #source = new Uint16Array(0);
  #live = new Uint8Array(0);
  #marks = new Uint8Array(0);
  #marked = 0;
  /** The sweep (full reload) that last listed each row. */
  #seen = new Uint32Array(0);
  #sweep = 0;
  /** Rows added, changed or removed so far, and the count at which each row was last written. */
  #changes = 0;
  #touched = new Uint32Array(0);
  #keys = new TextColumn();
  #names = new TextColumn();
  #emails = new TextColumn();
  #sources: string[] = [];
  #sourceIndex = new Map<string, number>();
  #odd = new Map<number, OddFields>();
  #linkPrefix: string | undefined;
  /** {@link #linkPrefix} as bytes, when it is ASCII alone. */
  #linkPrefixBytes: Buffer | undefined;
  #byKey = new KeyIndex(
    (row, key) => this.#keys.equals(row, key),
    (row) => this.#keys.get(row),
  );
  /** True while every live row is at an index in cart_id order. */
  #idOrdered = true;
  #lastId = Number.NEGATIVE_INFINITY;
  #orders = new Map<SortColumn, { version: number; changes: number; rows: Int32Array }>();
  #view: CachedView | undefined;
  #counts: { version: number; at: number; counts: ViewCounts; upTo: number; rewrites: number } | undefined;
  /** Rows removed or changed in place so far: while it holds still, rows were only added. */
  #rewrites = 0;
  #ids0 = new Int32Array(0);
  #ids0Filled = 0;
  /**
   * The rows of each run of the list (see `ArrayCutter`) by the digest of its bytes: those of the
   * last full load, and those of the load under way. A run read again unchanged marks its rows as
   * listed without a session parsed or compared.
   */
  #runs = new Map<string, Int32Array>();
  #nextRuns = new Map<string, Int32Array>();
  /** Bumped when rows move to other indices (compaction). */
  #layout = 0;

  /** Live sessions. */
  get size(): number {
    return this.#alive;
  }

  /** Marked live sessions. */
  get markedCount(): number {
    return this.#marked;
  }

  #grow(min: number): void {
    if (min <= this.#capacity) return;
    const capacity = Math.max(min, this.#capacity * 2, 1024);
    const grown = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.#ids = grown(this.#ids, (n) => new Float64Array(n));
    this.#created = grown(this.#created, (n) => new Float64Array(n));
    this.#expiry = grown(this.#expiry, (n) => new Float64Array(n));
    this.#source = grown(this.#source, (n) => new Uint16Array(n));
    this.#live = grown(this.#live, (n) => new Uint8Array(n));
    this.#marks = grown(this.#marks, (n) => new Uint8Array(n));
    this.#seen = grown(this.#seen, (n) => new Uint32Array(n));
    this.#touched = grown(this.#touched, (n) => new Uint32Array(n));
    for (const column of [this.#keys, this.#names, this.#emails]) column.grow(capacity);
    this.#capacity = capacity;
  }

  /** The index of session `k`'s cart_source in the sources met. */
  #sourceOf(run: SessionRun, k: number): number {
    // A store has a few sources: compared as bytes, a row costs no string.
    const sources = this.#sources;
    if (sources.length <= FEW_SOURCES) {
      for (let i = 0; i < sources.length; i++)
        if (run.equals(k, Field.Source, sources[i] as string)) return i;
    }
    const text = run.text(k, Field.Source);
    let i = this.#sourceIndex.get(text);
    if (i === undefined) {
      i = this.#sources.length;
      // Past 65,535 distinct sources the rest share the last slot's text through the odd fields.
      if (i > 0xffff) return -1;
      this.#sources.push(text);
      this.#sourceIndex.set(text, i);
    }
    return i;
  }

  /**
   * Makes room for `count` rows in all (the total a server announced), so that a long load grows
   * nothing as it goes. Capped: the announcement is the server's word.
   */
  reserve(count: number): void {
    const rows = Math.min(count, MAX_RESERVED);
    if (rows <= this.#capacity) return;
    this.#grow(rows);
    this.#byKey.reserve(rows);
  }

  /** Index of the live row of `key`, or -1. */
  indexOf(key: string): number {
    const i = this.#byKey.get(key);
    return i === -1 || this.#live[i] === 0 ? -1 : i;
  }

  /** True when session `k`'s link is the link prefix followed by its key. */
  #plainLink(run: SessionRun, k: number): boolean {
    const prefix = this.#linkPrefix;
    if (prefix === undefined) return false;
    if (!run.plain(k, Field.Link) || !run.plain(k, Field.Key)) {
      return run.text(k, Field.Link) === prefix + run.text(k, Field.Key);
    }
    const prefixBytes = this.#linkPrefixBytes;
    if (prefixBytes === undefined) return false;
    const bytes = run.bytes;
    const link = run.start(k, Field.Link);
    const key = run.start(k, Field.Key);
    const keyLength = run.end(k, Field.Key) - key;
    const n = prefixBytes.length;
    if (run.end(k, Field.Link) - link !== n + keyLength) return false;
    return (
      bytes.compare(prefixBytes, 0, n, link, link + n) === 0 &&
      bytes.compare(bytes, key, key + keyLength, link + n, link + n + keyLength) === 0
    );
  }

  /** Row `i`'s text column `column` set to value `f` of session `k`. */
  #setText(column: TextColumn, i: number, run: SessionRun, k: number, f: Field): void {
    if (run.plain(k, f)) column.setBytes(i, run.bytes, run.start(k, f), run.end(k, f));
    else column.set(i, run.text(k, f));
  }

  /** True when row `i`'s text in `column` is value `f` of session `k`. */
  #sameText(column: TextColumn, i: number, run: SessionRun, k: number, f: Field): boolean {
    if (run.plain(k, f)) return column.equalsBytes(i, run.bytes, run.start(k, f), run.end(k, f));
    return column.equals(i, run.text(k, f));
  }

  /** True when the row at `i` says what session `k` of `run` (cart_id `plainId`, see plainIdOf) says. */
  #same(i: number, run: SessionRun, k: number, plainId: number): boolean {
    if (!this.#sameText(this.#names, i, run, k, Field.Name)) return false;
    if (!this.#sameText(this.#emails, i, run, k, Field.Email)) return false;
    const source = this.#sources[this.#source[i] as number];
    if (source === undefined || !run.equals(k, Field.Source, source)) return false;
    if (this.#odd.has(i)) {
      const summary = this.summaryAt(i);
      return (
        run.equals(k, Field.Id, summary.cart_id) &&
        run.equals(k, Field.Created, summary.cart_created) &&
        run.equals(k, Field.Expiry, summary.cart_expiry) &&
        run.equals(k, Field.Link, summary.link)
      );
    }
    return (
      plainId === this.#ids[i] &&
      apiDateMsAt(run.bytes, run.start(k, Field.Created)) === this.#created[i] &&
      apiDateMsAt(run.bytes, run.start(k, Field.Expiry)) === this.#expiry[i] &&
      this.#plainLink(run, k)
    );
  }

  /**
   * Adds session `k` of `run`, or replaces the row of its key when it changed; returns its index.
   * The session is read from the run's bytes: only its key becomes a string.
   */
  put(run: SessionRun, k: number): number {
    const key = run.text(k, Field.Key);
    const found = this.#byKey.get(key);
    const old = found === -1 ? undefined : found;
    let indexed = found !== -1;
    // The number sorts (as the rows did, `Number(cart_id)`); an unusual text is kept beside it.
    const plainId = plainIdOf(run, k);
    const id = plainId === -1 ? Number(run.text(k, Field.Id)) : plainId;
    if (old !== undefined && this.#live[old] === 1) {
      if (this.#same(old, run, k, plainId)) {
        this.#seen[old] = this.#sweep;
        return old;
      }
      if (id === this.#ids[old]) {
        this.#update(old, run, k, plainId);
        return old;
      }
      // Its key leaves the index with it: the new row's goes in without a compare.
      this.#kill(old, false);
      indexed = false;
    }
    const i = this.#length;
    this.#grow(i + 1);
    this.#length++;
    this.#alive++;
    this.#ids[i] = id;
    this.#setText(this.#keys, i, run, k, Field.Key);
    this.#fill(i, run, k, plainId);
    this.#live[i] = 1;
    this.#marks[i] = old !== undefined && this.#marks[old] === 1 ? 1 : 0;
    if (this.#marks[i] === 1) this.#marked++;
    this.#changes++;
    this.#touched[i] = this.#changes;
    if (indexed) this.#byKey.set(key, i);
    else this.#byKey.add(key, i);
    if (!(id > this.#lastId)) this.#idOrdered = false;
    else this.#lastId = id;
    this.#seen[i] = this.#sweep;
    this.version++;
    return i;
  }

  /** Writes session `k` of `run` over the row at `i` (same key and id): its place in cart_id order holds. */
  #update(i: number, run: SessionRun, k: number, plainId: number): void {
    this.#rewrites++;
    this.#fill(i, run, k, plainId);
    this.#seen[i] = this.#sweep;
    this.#changes++;
    this.#touched[i] = this.#changes;
    this.version++;
  }

  /** Row `i`'s columns but its key and id, from session `k` of `run`. */
  #fill(i: number, run: SessionRun, k: number, plainId: number): void {
    const created = apiDateMsAt(run.bytes, run.start(k, Field.Created));
    const expiry = apiDateMsAt(run.bytes, run.start(k, Field.Expiry));
    let odd: OddFields | undefined;
    if (plainId === -1) odd = { cart_id: run.text(k, Field.Id) };
    if (Number.isNaN(created)) odd = { ...odd, cart_created: run.text(k, Field.Created) };
    if (Number.isNaN(expiry)) odd = { ...odd, cart_expiry: run.text(k, Field.Expiry) };
    if (this.#linkPrefix === undefined) {
      const link = run.text(k, Field.Link);
      const key = run.text(k, Field.Key);
      if (link.endsWith(key)) {
        const prefix = link.slice(0, link.length - key.length);
        this.#linkPrefix = prefix;
        if (ASCII.test(prefix)) this.#linkPrefixBytes = Buffer.from(prefix, 'latin1');
      }
    }
    if (!this.#plainLink(run, k)) odd = { ...odd, link: run.text(k, Field.Link) };
    if (odd) this.#odd.set(i, odd);
    else if (this.#odd.size > 0) this.#odd.delete(i);
    this.#created[i] = created;
    this.#expiry[i] = expiry;
    this.#source[i] = this.#sourceOf(run, k);
    this.#setText(this.#names, i, run, k, Field.Name);
    this.#setText(this.#emails, i, run, k, Field.Email);
  }

  /** Removes the live row at `i`; `unmark` drops its mark (a replaced row hands it on). */
  #kill(i: number, unmark = true): void {
    this.#live[i] = 0;
    this.#alive--;
    this.#rewrites++;
    if (this.#marks[i] === 1) this.#marked--;
    // A replaced row keeps its mark until `put` hands it to the new row.
    if (unmark) this.#marks[i] = 0;
    this.#byKey.delete(this.#keys.get(i), i);
    this.#odd.delete(i);
    this.#changes++;
    this.version++;
  }

  /** Removes the rows of `keys`; returns how many were there. */
  remove(keys: readonly string[]): number {
    let n = 0;
    for (const key of keys) {
      const i = this.indexOf(key);
      if (i === -1) continue;
      this.#kill(i);
      n++;
    }
    if (n > 0) this.#maybeCompact();
    return n;
  }

  /** Starts a full reload: `put` every session listed, then {@link removeUnseen}. */
  beginSweep(): void {
    this.#sweep++;
    this.#nextRuns = new Map();
  }

  /** Bumped whenever rows move to other indices: row indices taken before are then stale. */
  get layout(): number {
    return this.#layout;
  }

  /**
   * Records that the sessions of the run of `digest` are now the rows `rows` (as `put` placed them,
   * in this layout), so that the next load can find the run unchanged.
   */
  addRun(digest: string, rows: Int32Array): void {
    this.#nextRuns.set(digest, rows);
  }

  /**
   * When the last load had a run of `digest` and its rows are all still here, marks them as listed in
   * this load and returns how many they are; otherwise undefined (the run is to be read).
   */
  knownRun(digest: string): number | undefined {
    const rows = this.#runs.get(digest);
    if (rows === undefined) return undefined;
    for (const i of rows) if (this.#live[i] !== 1) return undefined;
    for (const i of rows) this.#seen[i] = this.#sweep;
    this.#nextRuns.set(digest, rows);
    return rows.length;
  }

  /**
   * Forgets every run: after a load that did not finish, rows may have changed under a run's digest.
   */
  forgetRuns(): void {
    this.#runs = new Map();
    this.#nextRuns = new Map();
  }

  /** Removes the live rows not `put` since {@link beginSweep} (no longer listed); returns how many. */
  removeUnseen(): number {
    this.#runs = this.#nextRuns;
    this.#nextRuns = new Map();
    let n = 0;
    for (let i = 0; i < this.#length; i++) {
      if (this.#live[i] === 1 && this.#seen[i] !== this.#sweep) {
        this.#kill(i);
        n++;
      }
    }
    if (n > 0) this.#maybeCompact();
    return n;
  }

  /** Index slots in use (live rows and tombstones). */
  get slots(): number {
    return this.#length;
  }

  /** Rebuilds the columns without tombstones once they are a quarter of the slots. */
  #maybeCompact(): void {
    const dead = this.#length - this.#alive;
    if (dead < 1024 || dead * 4 < this.#length) return;
    const moved = new Int32Array(this.#length).fill(-1);
    let j = 0;
    const odd = new Map<number, OddFields>();
    for (let i = 0; i < this.#length; i++) {
      if (this.#live[i] === 0) continue;
      moved[i] = j;
      this.#ids[j] = this.#ids[i] as number;
      this.#created[j] = this.#created[i] as number;
      this.#expiry[j] = this.#expiry[i] as number;
      this.#source[j] = this.#source[i] as number;
      this.#live[j] = 1;
      this.#marks[j] = this.#marks[i] as number;
      this.#seen[j] = this.#seen[i] as number;
      this.#touched[j] = this.#touched[i] as number;
      for (const column of [this.#keys, this.#names, this.#emails]) column.move(i, j);
      const o = this.#odd.get(i);
      if (o) odd.set(j, o);
      j++;
    }
    for (const column of [this.#keys, this.#names, this.#emails]) column.truncate(j);
    this.#live.fill(0, j);
    this.#marks.fill(0, j);
    this.#odd = odd;
    this.#length = j;
    this.#byKey.rebuild(j);
    for (const [column, order] of this.#orders) {
      const rows = new Int32Array(order.rows.length);
      let n = 0;
      for (const i of order.rows) {
        const to = moved[i] as number;
        if (to !== -1) rows[n++] = to;
      }
      this.#orders.set(column, { ...order, rows: rows.subarray(0, n) });
    }
    for (const runs of [this.#runs, this.#nextRuns]) {
      for (const [digest, rows] of runs) {
        for (let k = 0; k < rows.length; k++) rows[k] = moved[rows[k] as number] as number;
        if (rows.includes(-1)) runs.delete(digest);
      }
    }
    this.#layout++;
    this.#view = undefined;
  }

  /** The session at index `i`, as the API listed it. */
  summaryAt(i: number): SessionSummary {
    const odd = this.#odd.get(i);
    const key = this.#keys.get(i);
    const created = this.#created[i] as number;
    const expiry = this.#expiry[i] as number;
    return {
      cart_id: odd?.cart_id ?? String(this.#ids[i]),
      cart_key: key,
      customers_name: this.#names.get(i),
      customers_email: this.#emails.get(i),
      cart_created: odd?.cart_created ?? formatApiDate(created / 1000),
      cart_expiry: odd?.cart_expiry ?? formatApiDate(expiry / 1000),
      cart_source: this.#sources[this.#source[i] as number] ?? '',
      link: odd?.link ?? `${this.#linkPrefix ?? ''}${key}`,
    };
  }

  /** Key of the row at index `i`. */
  keyAt(i: number): string {
    return this.#keys.get(i);
  }

  #compare(column: SortColumn): (a: number, b: number) => number {
    const ids = this.#ids;
    const byId = (a: number, b: number) => (ids[a] as number) - (ids[b] as number) || a - b;
    const numeric = (values: Float64Array) => (a: number, b: number) => {
      const x = values[a] as number;
      const y = values[b] as number;
      // Rows whose date did not parse go last.
      if (x !== y) return Number.isNaN(x) ? 1 : Number.isNaN(y) ? -1 : x - y;
      return byId(a, b);
    };
    const text =
      (values: TextColumn, lower: boolean, tie = true) =>
      (a: number, b: number) =>
        values.compare(a, b, lower) || (tie ? byId(a, b) : a - b);
    switch (column) {
      case 'id':
        return byId;
      case 'created':
        return numeric(this.#created);
      case 'expiry':
        return numeric(this.#expiry);
      case 'customer':
        return text(this.#names, true);
      case 'email':
        return text(this.#emails, true);
      case 'key':
        return text(this.#keys, false, false);
      case 'source': {
        const sources = this.#sources;
        const source = this.#source;
        return (a, b) =>
          cmpText(sources[source[a] as number] ?? '', sources[source[b] as number] ?? '') || byId(a, b);
      }
      // Ordered by the carts read, in #figureView: here only cart_id order.
      case 'items':
      case 'value':
        return byId;
    }
  }

  /**
   * Sorts `rows` (in index order) by `column`, ties by cart_id: bucket sorts, whose ties keep index
   * order, while index order is cart_id order; a comparator otherwise.
   */
  #sort(rows: Int32Array, column: SortColumn): void {
    const byIndex = this.#idOrdered;
    const byText = (values: TextColumn, lower: boolean) =>
      sortByCodes(rows, (row, depth) => values.codeAt(row, depth, lower));
    switch (column) {
      case 'key':
        byText(this.#keys, false);
        return;
      case 'id':
        if (sortByWholeNumber(rows, (i) => this.#ids[i] as number)) return;
        break;
      case 'created':
        if (byIndex && sortByWholeNumber(rows, (i) => (this.#created[i] as number) / 1000)) return;
        break;
      case 'expiry':
        if (byIndex && sortByWholeNumber(rows, (i) => (this.#expiry[i] as number) / 1000)) return;
        break;
      case 'source': {
        const ranked = this.#sources.map((text, i) => [text, i] as const).sort((a, b) => cmpText(a[0], b[0]));
        const rank = new Uint32Array(this.#sources.length);
        ranked.forEach(([, i], r) => {
          rank[i] = r;
        });
        if (byIndex && sortByWholeNumber(rows, (i) => rank[this.#source[i] as number] as number)) return;
        break;
      }
      case 'customer':
        if (!byIndex) break;
        byText(this.#names, true);
        return;
      case 'email':
        if (!byIndex) break;
        byText(this.#emails, true);
        return;
    }
    rows.sort(this.#compare(column));
  }

  /** The live rows in ascending `column` order, kept between calls while the rows do not change. */
  order(column: SortColumn): Int32Array {
    const cached = this.#orders.get(column);
    if (cached && cached.version === this.version) return cached.rows;
    // Rows only added, in cart_id order (a list streaming in): the order is the indices themselves.
    if (column === 'id' && this.#idOrdered && this.#alive === this.#length) return this.#identity();
    let rows: Int32Array;
    if (cached && this.#changes - cached.changes < cached.rows.length / 20) {
      rows = this.#patch(cached.rows, cached.changes, column);
    } else {
      rows = new Int32Array(this.#alive);
      let n = 0;
      for (let i = 0; i < this.#length; i++) if (this.#live[i] === 1) rows[n++] = i;
      if (!(column === 'id' && this.#idOrdered)) this.#sort(rows, column);
    }
    this.#orders.set(column, { version: this.version, changes: this.#changes, rows });
    return rows;
  }

  /** 0, 1, 2… up to the rows held, grown as they are added rather than rebuilt per call. */
  #identity(): Int32Array {
    if (this.#ids0.length < this.#length) {
      const grown = new Int32Array(Math.max(this.#length, this.#ids0.length * 2, 1024));
      grown.set(this.#ids0.subarray(0, this.#ids0Filled));
      this.#ids0 = grown;
    }
    for (let i = this.#ids0Filled; i < this.#length; i++) this.#ids0[i] = i;
    this.#ids0Filled = Math.max(this.#ids0Filled, this.#length);
    return this.#ids0.subarray(0, this.#length);
  }

  /**
   * `rows` (an earlier order of `column`) without the rows since removed and with the rows since
   * added put in place: a refresh that changed a few rows costs a pass, not a sort.
   */
  #patch(rows: Int32Array, since: number, column: SortColumn): Int32Array {
    const known = new Uint8Array(this.#length);
    let kept = 0;
    const live = new Int32Array(rows.length);
    const touched = this.#touched;
    for (const i of rows) {
      known[i] = 1;
      if (this.#live[i] === 1 && (touched[i] as number) <= since) live[kept++] = i;
    }
    const added: number[] = [];
    for (let i = 0; i < this.#length; i++) {
      if (this.#live[i] === 1 && (known[i] === 0 || (touched[i] as number) > since)) added.push(i);
    }
    const compare = this.#compare(column);
    added.sort(compare);
    const out = new Int32Array(kept + added.length);
    let from = 0;
    let n = 0;
    const base = live.subarray(0, kept);
    for (const a of added) {
      let lo = from;
      let hi = kept;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(base[mid] as number, a) < 0) lo = mid + 1;
        else hi = mid;
      }
      out.set(base.subarray(from, lo), n);
      n += lo - from;
      out[n++] = a;
      from = lo;
    }
    out.set(base.subarray(from), n);
    return out;
  }

  /** True when the row at `i` is of `status` at `at`. */
  #statusIs(i: number, status: { is: SessionStatus; at: number }): boolean {
    const expiry = this.#expiry[i] as number;
    if (Number.isNaN(expiry)) return false;
    const left = expiry - status.at;
    if (status.is === 'expired') return left <= 0;
    if (status.is === 'expiring') return left > 0 && left <= EXPIRING_WINDOW_MS;
    return left > EXPIRING_WINDOW_MS;
  }

  #matches(i: number, needle: string): boolean {
    return (
      this.#keys.includesLower(i, needle) ||
      this.#names.includesLower(i, needle) ||
      this.#emails.includesLower(i, needle)
    );
  }

  /**
   * The rows of `query`, in ascending order of its column (`descending` reads it backwards). The
   * last view is kept, and a filter that only grew narrows it instead of the whole list.
   */
  view(query: ViewQuery, maxStaleMs = 0): Int32Array {
    if (isFigureColumn(query.column)) return this.#figureView(query, query.column, maxStaleMs);
    const needle = query.filter.trim().toLowerCase();
    const status = query.status;
    const key = `${query.column}\u0000${needle}\u0000${status?.is ?? ''}\u0000${status?.at ?? ''}`;
    const last = this.#view;
    // Rows only added, in cart_id order (a list streaming in), shown in that order: the view is the
    // indices themselves, never kept stale (one kept from before the rows arrived would be empty).
    const plain = needle === '' && status === undefined;
    if (plain && query.column === 'id' && this.#idOrdered && this.#alive === this.#length) {
      const rows = this.#identity();
      this.#view = { key, query, version: this.version, rows, builtAt: performance.now(), size: this.#alive };
      return rows;
    }
    // While the list streams in, a sorted or filtered view is redone only now and then (`maxStaleMs`),
    // unless it was made before any row arrived.
    if (
      last &&
      last.key === key &&
      (last.version === this.version || (last.size > 0 && performance.now() - last.builtAt < maxStaleMs))
    ) {
      return last.rows;
    }
    let rows: Int32Array;
    if (plain) {
      rows = this.order(query.column);
    } else {
      const lastNeedle = last?.query.filter.trim().toLowerCase() ?? '';
      const narrower =
        last !== undefined &&
        last.version === this.version &&
        last.query.column === query.column &&
        last.query.status?.is === status?.is &&
        last.query.status?.at === status?.at &&
        needle.includes(lastNeedle);
      const from = narrower ? last.rows : this.order(query.column);
      const out = new Int32Array(from.length);
      let n = 0;
      for (let k = 0; k < from.length; k++) {
        const i = from[k] as number;
        if (status !== undefined && !this.#statusIs(i, status)) continue;
        if (needle !== '' && !this.#matches(i, needle)) continue;
        out[n++] = i;
      }
      rows = out.subarray(0, n);
    }
    this.#view = { key, query, version: this.version, rows, builtAt: performance.now(), size: this.#alive };
    return rows;
  }

  #figureViewCache: { key: string; from: Int32Array; rows: Int32Array; read: number } | undefined;

  /** How many rows of `rows`, a view by items or value, had their cart read (they come first). */
  figuresReadIn(rows: Int32Array): number | undefined {
    const cached = this.#figureViewCache;
    return cached?.rows === rows ? cached.read : undefined;
  }

  /**
   * The rows of `query` (filter and status as for any column) ordered by the figures of the carts
   * read (`query.figures`), in the order shown: the rows whose cart is not read follow, by cart_id.
   */
  #figureView(query: ViewQuery, column: FigureColumn, maxStaleMs: number): Int32Array {
    const from = this.view({ ...query, column: 'id', descending: false, figures: undefined }, maxStaleMs);
    const key = `${column}\u0000${query.descending}\u0000${query.figures?.version ?? -1}`;
    const cached = this.#figureViewCache;
    if (cached && cached.key === key && cached.from === from) return cached.rows;
    const figures = query.figures?.byKey ?? new Map<string, CartFigures>();
    // The carts read are few beside the rows: each is looked up, rather than every row's key read.
    const inView = new Uint8Array(this.#length);
    for (const i of from) inView[i] = 1;
    const read: Array<{ key: string; id: number; i: number }> = [];
    for (const key of figures.keys()) {
      const i = this.indexOf(key);
      if (i === -1 || inView[i] !== 1) continue;
      inView[i] = 2;
      read.push({ key, id: this.#ids[i] as number, i });
    }
    read.sort(compareByFigure(figures, column, query.descending));
    const rows = new Int32Array(from.length);
    for (let k = 0; k < read.length; k++) rows[k] = (read[k] as { i: number }).i;
    // Not read: after them, in cart_id order.
    let n = read.length;
    for (const i of from) if (inView[i] === 1) rows[n++] = i;
    this.#figureViewCache = { key, from, rows, read: read.length };
    return rows;
  }

  /** The version of the rows the last view was made of (older than `version` when it was kept stale). */
  get viewVersion(): number {
    return this.#view?.version ?? this.version;
  }

  /** Index of the row at `position` of a view (`descending` counts from the end). */
  static at(rows: Int32Array, position: number, descending: boolean): number {
    return rows[descending ? rows.length - 1 - position : position] as number;
  }

  /** Position of the row of `key` in a view, or -1. */
  positionOf(rows: Int32Array, key: string, descending: boolean): number {
    const i = this.indexOf(key);
    if (i === -1) return -1;
    // In the order of the indices themselves (the cart_id order of a list streaming in) at once.
    const at = rows[i] === i ? i : rows.indexOf(i);
    if (at === -1) return -1;
    return descending ? rows.length - 1 - at : at;
  }

  /** The sessions at positions `from` to `from + count` of a view, with their marks. */
  window(rows: Int32Array, descending: boolean, from: number, count: number): WindowRow[] {
    const out: WindowRow[] = [];
    const end = Math.min(rows.length, from + count);
    for (let p = Math.max(0, from); p < end; p++) {
      const i = RowStore.at(rows, p, descending);
      out.push({ summary: this.summaryAt(i), marked: this.#marks[i] === 1 });
    }
    return out;
  }

  /** How many live sessions each status view holds at `at`. */
  counts(at: number): ViewCounts {
    const c = this.#counts;
    if (c && c.version === this.version && c.at === at) return c.counts;
    // Only rows added since the last count, at the same moment: count those alone.
    const from = c && c.at === at && c.rewrites === this.#rewrites && c.upTo <= this.#length ? c.upTo : 0;
    let active = from === 0 ? 0 : (c?.counts.active ?? 0);
    let expiring = from === 0 ? 0 : (c?.counts.expiring ?? 0);
    let expired = from === 0 ? 0 : (c?.counts.expired ?? 0);
    const soon = at + EXPIRING_WINDOW_MS;
    for (let i = from; i < this.#length; i++) {
      if (this.#live[i] === 0) continue;
      const e = this.#expiry[i] as number;
      if (e > soon) active++;
      else if (e > at) expiring++;
      else if (e <= at) expired++;
    }
    const counts = { all: this.#alive, active, expiring, expired };
    this.#counts = { version: this.version, at, counts, upTo: this.#length, rewrites: this.#rewrites };
    return counts;
  }

  /** Marks or unmarks the row of `key`; returns whether it is marked now. */
  toggleMark(key: string): boolean {
    const i = this.indexOf(key);
    if (i === -1) return false;
    const on = this.#marks[i] === 0;
    this.#marks[i] = on ? 1 : 0;
    this.#marked += on ? 1 : -1;
    return on;
  }

  /** Marks every row of a view, or unmarks them all when every one already is. */
  markView(rows: Int32Array): void {
    let all = true;
    for (const i of rows) {
      if (this.#marks[i] === 0) {
        all = false;
        break;
      }
    }
    for (const i of rows) {
      const was = this.#marks[i] as number;
      const now = all ? 0 : 1;
      this.#marks[i] = now;
      this.#marked += now - was;
    }
  }

  /** Marks exactly the live rows of `keys`. */
  setMarks(keys: readonly string[]): void {
    this.#marks.fill(0);
    this.#marked = 0;
    for (const key of keys) {
      const i = this.indexOf(key);
      if (i !== -1 && this.#marks[i] === 0) {
        this.#marks[i] = 1;
        this.#marked++;
      }
    }
  }

  /** Keys of the marked rows, in cart_id order. */
  markedKeys(): string[] {
    const out: number[] = [];
    for (let i = 0; i < this.#length; i++) if (this.#marks[i] === 1 && this.#live[i] === 1) out.push(i);
    if (!this.#idOrdered) out.sort(this.#compare('id'));
    return out.map((i) => this.#keys.get(i));
  }
}
