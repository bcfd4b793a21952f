import type { SessionSummary } from '@cocart-sessions/core';
import { type SessionRow, toSessionRow } from '../sessions/session-row.js';
import { inIdOrder } from '../sessions/sort.js';

/** What changed between two full lists of sessions. */
export interface ListDelta {
  /** Keys of the sessions no longer listed. */
  removed: string[];
  /** Rows (built with `toSessionRow`) of the sessions new to the list or whose summary changed. */
  upserted: SessionRow[];
}

/** Longest a loop over a whole list runs before letting keys through (ms). */
export const SLICE_MS = 12;

/** Resolves on the next turn of the event loop, after pending I/O (key presses) is handled. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls `step(i)` for every `i` below `n`, yielding to the event loop whenever `sliceMs` is used up
 * (100k steps take longer than a key press may wait). Resolves false if `cancelled()` became true.
 */
export async function forEachSliced(
  n: number,
  step: (i: number) => void,
  cancelled: () => boolean = () => false,
  sliceMs = SLICE_MS,
): Promise<boolean> {
  let since = performance.now();
  for (let i = 0; i < n; i++) {
    step(i);
    if ((i & 511) === 511 && performance.now() - since > sliceMs) {
      await nextTurn();
      if (cancelled()) return false;
      since = performance.now();
    }
  }
  return true;
}

/** True when a session's summary is what it was: its row can be kept as it is. */
export function sameSummary(a: SessionSummary, b: SessionSummary): boolean {
  return (
    a.cart_id === b.cart_id &&
    a.cart_created === b.cart_created &&
    a.cart_expiry === b.cart_expiry &&
    a.customers_name === b.customers_name &&
    a.customers_email === b.customers_email &&
    a.cart_source === b.cart_source &&
    a.link === b.link
  );
}

/** Options of {@link diffSessions}. */
export interface DiffOptions {
  cancelled?: () => boolean;
  /** Longest run between two turns of the event loop (ms; default {@link SLICE_MS}). */
  sliceMs?: number;
  /**
   * Called with the delta a part at a time, as it is found (at most `chunkSize` rows or keys per
   * part), so that a receiver can take the first parts while the rest is still being compared.
   */
  onChunk?: (part: ListDelta) => void;
  chunkSize?: number;
  /** Called once the last part has been handed out (before the new list is indexed). */
  onChunksDone?: () => void;
}

/**
 * What changed from `previous` (the list held, by cart_key) to `next` (the list just fetched), with
 * the rows of the new and changed sessions built, and `next` by cart_key for the comparison after.
 * Undefined when cancelled.
 */
export async function diffSessions(
  previous: ReadonlyMap<string, SessionSummary>,
  next: readonly SessionSummary[],
  options: DiffOptions = {},
): Promise<{ delta: ListDelta; byKey: Map<string, SessionSummary> } | undefined> {
  const { cancelled, sliceMs, onChunk, onChunksDone, chunkSize = Number.POSITIVE_INFINITY } = options;
  const byKey = new Map<string, SessionSummary>();
  const upserted: SessionRow[] = [];
  let sent = 0;
  // Compared with nothing, every session is new and none is removed: the parts go out first and
  // the index of the new list is built after (its 100k insertions would only delay them).
  const indexAfter = previous.size === 0;
  const listed = await forEachSliced(
    next.length,
    (i) => {
      const summary = next[i] as SessionSummary;
      if (!indexAfter) byKey.set(summary.cart_key, summary);
      const old = previous.get(summary.cart_key);
      if (old !== undefined && sameSummary(old, summary)) return;
      upserted.push(toSessionRow(summary));
      if (onChunk && upserted.length - sent >= chunkSize) {
        onChunk({ removed: [], upserted: upserted.slice(sent) });
        sent = upserted.length;
      }
    },
    cancelled,
    sliceMs,
  );
  if (!listed) return undefined;
  const removed: string[] = [];
  if (previous.size > 0) {
    const keys = [...previous.keys()];
    const compared = await forEachSliced(
      keys.length,
      (i) => {
        const key = keys[i] as string;
        if (!byKey.has(key)) removed.push(key);
      },
      cancelled,
      sliceMs,
    );
    if (!compared) return undefined;
  }
  if (onChunk) {
    for (let i = 0; i < removed.length || sent < upserted.length; i += chunkSize) {
      onChunk({ removed: removed.slice(i, i + chunkSize), upserted: upserted.slice(sent, sent + chunkSize) });
      sent = Math.min(upserted.length, sent + chunkSize);
    }
  }
  onChunksDone?.();
  if (indexAfter) {
    const indexed = await forEachSliced(
      next.length,
      (i) => {
        const summary = next[i] as SessionSummary;
        byKey.set(summary.cart_key, summary);
      },
      cancelled,
      sliceMs,
    );
    if (!indexed) return undefined;
  }
  return { delta: { removed, upserted }, byKey };
}

/**
 * `rows` (in cart_id order) with `delta` applied, in cart_id order: rows of unchanged sessions are
 * the same objects, removed ones are dropped, and the delta's rows take the place of the old rows
 * of their sessions. A slice at a time; undefined when cancelled.
 */
export async function applyDelta(
  rows: readonly SessionRow[],
  delta: ListDelta,
  cancelled?: () => boolean,
): Promise<SessionRow[] | undefined> {
  const { removed, upserted } = delta;
  let kept = rows as SessionRow[];
  if (rows.length > 0 && (removed.length > 0 || upserted.length > 0)) {
    const drop = new Set<string>(removed);
    if (!(await forEachSliced(upserted.length, (i) => drop.add(upserted[i]!.key), cancelled))) {
      return undefined;
    }
    kept = [];
    const filtered = await forEachSliced(
      rows.length,
      (i) => {
        const row = rows[i] as SessionRow;
        if (!drop.has(row.key)) kept.push(row);
      },
      cancelled,
    );
    if (!filtered) return undefined;
  }
  if (upserted.length === 0) return kept;
  return mergeById(kept, inIdOrder(upserted.slice()), cancelled);
}

/** Two lists of rows in cart_id order as one, a slice at a time. */
async function mergeById(
  a: SessionRow[],
  b: SessionRow[],
  cancelled?: () => boolean,
): Promise<SessionRow[] | undefined> {
  if (a.length === 0) return b;
  // The usual case: new carts have the highest ids.
  if ((a[a.length - 1] as SessionRow).id < (b[0] as SessionRow).id) return a.concat(b);
  const out: SessionRow[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  const merged = await forEachSliced(
    out.length,
    (k) => {
      const x = a[i];
      const y = b[j];
      if (y === undefined || (x !== undefined && x.id <= y.id)) {
        out[k] = x as SessionRow;
        i++;
      } else {
        out[k] = y;
        j++;
      }
    },
    cancelled,
  );
  return merged ? out : undefined;
}
