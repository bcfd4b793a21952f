import { isCoCartApiError } from '@cocart-sessions/client';
import { type Cart, itemsMapOf, type SessionSummary } from '@cocart-sessions/core';
import { type Dispatch, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../../errors.js';
import { FIRST_PAGE_QUERY, type ListFeed } from '../../list-feed/list-feed.js';
import type { FirstPage } from '../../list-feed/list-stream.js';
import type { SessionSource } from '../../sessions/source.js';
import { type Action, type State, viewQuery } from '../state/reducer.js';

/** Screens of rows asked for before and after the one shown: moving within them needs no request. */
const WINDOW_MARGIN_PAGES = 3;

/**
 * The side effects of the UI: each loads through the source and reports back as actions. The full
 * list lives in `feed` (the list worker, or this thread in tests): loads go there, and the rows on
 * screen are asked of it.
 */
export function useSessions(
  source: SessionSource,
  feed: ListFeed,
  dispatch: Dispatch<Action>,
  url: string,
  now: () => number,
  /** The first page (`FIRST_PAGE_QUERY`) already asked for, taken by the first load. */
  firstPage?: Promise<FirstPage | undefined>,
) {
  // Bumped per load so a slow, older load never overwrites a newer one.
  const generation = useRef(0);
  const prefetched = useRef(firstPage);

  useEffect(() => feed.onStatus((status) => dispatch({ type: 'list-status', status })), [feed, dispatch]);

  const load = useCallback(
    async (mode: 'initial' | 'refresh') => {
      const gen = ++generation.current;
      const stale = () => gen !== generation.current;
      dispatch({ type: 'load-start', mode });
      try {
        let whole: readonly SessionSummary[] | undefined;
        if (mode === 'initial') {
          // One screen's worth first, shown while the worker reads the whole list.
          const request = prefetched.current ?? source.page(FIRST_PAGE_QUERY);
          prefetched.current = undefined;
          try {
            const first = await request;
            if (first === undefined) throw new Error('no first page');
            const complete = first.totalPages <= 1;
            if (!stale()) {
              dispatch({
                type: 'first-page',
                sessions: first.items,
                total: first.total,
                complete,
                at: now(),
              });
            }
            // A page that holds the whole store is the list: the worker takes it as it is.
            if (complete && first.items.length <= FIRST_PAGE_QUERY.perPage) whole = first.items;
          } catch {
            // The full list's load reports the failure.
          }
        }
        const loading = whole === undefined ? feed.load() : feed.adopt([...whole]);
        const outcome = await loading;
        if (stale()) return;
        if (outcome.unchanged) dispatch({ type: 'refresh-unchanged', at: now() });
        else dispatch({ type: 'list-loaded', at: now() });
      } catch (e) {
        if (stale()) return;
        const err = describeError(e, { url });
        dispatch({ type: 'load-failed', message: err.message, exitCode: err.exitCode });
      }
    },
    [source, feed, dispatch, url, now],
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
      let outcome: 'deleted' | 'gone';
      try {
        await source.delete(key);
        outcome = 'deleted';
      } catch (e) {
        if (!(isCoCartApiError(e) && e.status === 404)) {
          dispatch({ type: 'delete-failed', key, message: failure(e, key) });
          return;
        }
        outcome = 'gone';
      }
      await feed.remove([key]).catch(() => {});
      dispatch({ type: 'delete-done', key, outcome });
    },
    [source, feed, dispatch, failure],
  );

  return useMemo(() => ({ load, openCart, openItems, deleteCart }), [load, openCart, openItems, deleteCart]);
}

/**
 * Keeps the window of rows around the screen current: asks the list worker for it when the view
 * changed (`viewSeq`) or the screen moved near the window's edge, and dispatches what it answers.
 */
export function useWindow(feed: ListFeed, state: State, dispatch: Dispatch<Action>) {
  const { viewSeq, windowSeq, anchorKey, cursor, offset, pageSize, viewLength, window, firstRows, statusAt } =
    state;
  // The last request: for which view, and (scrolling within a view) which rows.
  const asked = useRef<{ seq: number; from: number; to: number } | null>(null);
  const latest = useRef(state);
  latest.current = state;
  useEffect(() => {
    if (firstRows !== null) return;
    const margin = pageSize * WINDOW_MARGIN_PAGES;
    const last = asked.current;
    // A new view: one request, which also places the cursor (on the cart it follows).
    const reposition = windowSeq !== viewSeq;
    if (reposition && last?.seq === viewSeq) return;
    if (!reposition) {
      // Within the rows held or asked for, a screen away from their edges (or at the view's ends).
      const covered = (r: { from: number; to: number }) =>
        r.from <= Math.max(0, offset - (r.from > 0 ? pageSize : 0)) &&
        r.to >= Math.min(viewLength, offset + pageSize + (r.to < viewLength ? pageSize : 0));
      if (covered({ from: window.from, to: window.from + window.rows.length })) return;
      if (last?.seq === viewSeq && covered(last)) return;
    }
    asked.current = reposition
      ? { seq: viewSeq, from: 0, to: 0 }
      : { seq: viewSeq, from: Math.max(0, offset - margin), to: offset + pageSize + margin };
    const s = latest.current;
    void feed
      .window({
        query: viewQuery(s),
        cursor,
        offset,
        pageSize,
        anchorKey: reposition ? anchorKey : null,
        margin,
        countsAt: statusAt,
      })
      .then(
        (answer) => dispatch({ type: 'window', seq: viewSeq, reposition, answer }),
        () => {
          // The worker failed or was closed: the load reports why.
        },
      );
  }, [
    feed,
    dispatch,
    viewSeq,
    windowSeq,
    anchorKey,
    cursor,
    offset,
    pageSize,
    viewLength,
    window,
    firstRows,
    statusAt,
  ]);
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
