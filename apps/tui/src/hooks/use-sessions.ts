import { isCoCartApiError, type SessionsResource } from '@cocart-sessions/client';
import { type Cart, itemsMapOf, type SessionSummary } from '@cocart-sessions/core';
import { type Dispatch, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../errors.js';
import type { Action } from '../state/reducer.js';
import { type SessionRow, toSessionRow } from '../state/session-row.js';
import { inIdOrder } from '../state/sort.js';

/** The calls the TUI makes: `createClient(...).sessions` satisfies it. */
export type SessionSource = Pick<SessionsResource, 'page' | 'list' | 'get' | 'items' | 'delete'>;

/** First page size: one screen's worth arrives fast, the rest follows in one streamed call. */
export const FIRST_PAGE_SIZE = 100;

/** Longest the row building runs before letting keys through (ms). */
const SLICE_MS = 12;
/** Least time between two progress updates of the status bar (ms). */
const PROGRESS_EVERY_MS = 100;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Rows of the full list, built a slice at a time (100k rows take longer than a key press may wait),
 * in cart_id order. A row of an unchanged session is taken over from `previous` instead of rebuilt.
 */
export async function buildRows(
  sessions: readonly SessionSummary[],
  previous: ReadonlyMap<string, SessionRow>,
  cancelled: () => boolean,
): Promise<{ rows: SessionRow[]; byKey: Map<string, SessionRow> } | undefined> {
  const rows: SessionRow[] = new Array(sessions.length);
  // Built here, slice by slice: one `new Map` of 100k rows alone stalls for tens of ms.
  const byKey = new Map<string, SessionRow>();
  let since = performance.now();
  for (let i = 0; i < sessions.length; i++) {
    const summary = sessions[i] as SessionSummary;
    const old = previous.get(summary.cart_key);
    const row = old && sameSummary(old.summary, summary) ? old : toSessionRow(summary);
    rows[i] = row;
    byKey.set(row.key, row);
    if ((i & 511) === 511 && performance.now() - since > SLICE_MS) {
      await nextTurn();
      if (cancelled()) return undefined;
      since = performance.now();
    }
  }
  return { rows: inIdOrder(rows), byKey };
}

function sameSummary(a: SessionSummary, b: SessionSummary): boolean {
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

/** The side effects of the UI: each loads through the source and reports back as actions. */
export function useSessions(
  source: SessionSource,
  dispatch: Dispatch<Action>,
  url: string,
  now: () => number,
  /** Resolves once the last dispatch is on screen. */
  drawn: () => Promise<void> = async () => {},
) {
  // Bumped per load so a slow, older load never overwrites a newer one.
  const generation = useRef(0);
  // The ETag of the full list on screen: `r` and --watch ask the server whether it changed.
  const listTag = useRef<string | undefined>(undefined);
  // The rows on screen by key, so a refresh rebuilds only the sessions that changed.
  const rowsByKey = useRef<ReadonlyMap<string, SessionRow>>(new Map());

  const load = useCallback(
    async (mode: 'initial' | 'refresh') => {
      const gen = ++generation.current;
      const stale = () => gen !== generation.current;
      dispatch({ type: 'load-start', mode });
      try {
        let total: number | null = null;
        if (mode === 'initial') {
          listTag.current = undefined;
          const first = await source.page({
            page: 1,
            perPage: FIRST_PAGE_SIZE,
            orderBy: 'cart_id',
            order: 'asc',
          });
          if (stale()) return;
          const complete = first.totalPages <= 1;
          dispatch({ type: 'first-page', sessions: first.items, total: first.total, complete, at: now() });
          if (complete) return;
          total = first.total;
          // Put the first page on screen before the rest of the list arrives.
          await drawn();
        }
        let lastProgress = 0;
        const answer = await source.list({
          ifNoneMatch: listTag.current,
          onProgress: ({ loaded, total: reported }) => {
            const t = performance.now();
            if (stale() || t - lastProgress < PROGRESS_EVERY_MS) return;
            lastProgress = t;
            dispatch({ type: 'load-progress', loaded, total: reported ?? total });
          },
        });
        if (stale()) return;
        if (answer.notModified) {
          dispatch({ type: 'refresh-unchanged', at: now() });
          return;
        }
        const built = await buildRows(answer.data, rowsByKey.current, stale);
        if (built === undefined || stale()) return;
        listTag.current = answer.etag;
        rowsByKey.current = built.byKey;
        dispatch({ type: 'rows-loaded', rows: built.rows, at: now() });
      } catch (e) {
        if (stale()) return;
        const err = describeError(e, { url });
        dispatch({ type: 'load-failed', message: err.message, exitCode: err.exitCode });
      }
    },
    [source, dispatch, url, now, drawn],
  );

  /** What to say when a call about cart `key` failed. */
  const failure = useCallback(
    (e: unknown, key: string) => describeError(e, { url, cartKey: key }).message,
    [url],
  );

  const openCart = useCallback(
    async (key: string) => {
      try {
        dispatch({ type: 'cart-loaded', key, cart: await source.get(key) });
      } catch (e) {
        dispatch({ type: 'cart-failed', key, message: failure(e, key) });
      }
    },
    [source, dispatch, failure],
  );

  const openItems = useCallback(
    async (key: string, opened?: Cart) => {
      // The cart already open holds the items (and the currency): no request at all.
      if (opened) {
        dispatch({ type: 'items-loaded', key, items: itemsMapOf(opened), cart: opened });
        return;
      }
      try {
        // The items endpoint carries no currency: the cart's is needed to format its money.
        const [items, cart] = await Promise.all([source.items(key), source.get(key)]);
        dispatch({ type: 'items-loaded', key, items, cart });
      } catch (e) {
        dispatch({ type: 'items-failed', key, message: failure(e, key) });
      }
    },
    [source, dispatch, failure],
  );

  const deleteCart = useCallback(
    async (key: string) => {
      try {
        await source.delete(key);
        dispatch({ type: 'delete-done', key, outcome: 'deleted' });
      } catch (e) {
        if (isCoCartApiError(e) && e.status === 404) dispatch({ type: 'delete-done', key, outcome: 'gone' });
        else dispatch({ type: 'delete-failed', key, message: failure(e, key) });
      }
    },
    [source, dispatch, failure],
  );

  return useMemo(() => ({ load, openCart, openItems, deleteCart }), [load, openCart, openItems, deleteCart]);
}

/** A value that changes every `ms` (default 30 s): relative times and statuses redraw on their own. */
export function useTick(ms = 30_000): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}

/** Calls `refresh` every `seconds` (the --watch option); nothing when `seconds` is undefined. */
export function useWatch(seconds: number | undefined, refresh: () => void) {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (seconds === undefined || seconds <= 0) return;
    const timer = setInterval(() => latest.current(), seconds * 1000);
    return () => clearInterval(timer);
  }, [seconds]);
}
