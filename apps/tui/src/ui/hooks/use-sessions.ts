import { isCoCartApiError, type SessionPage } from '@cocart-sessions/client';
import { type Cart, itemsMapOf } from '@cocart-sessions/core';
import { type Dispatch, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../../errors.js';
import { applyDelta } from '../../list-feed/list-delta.js';
import { FIRST_PAGE_QUERY, type ListFeed } from '../../list-feed/list-feed.js';
import type { SessionRow } from '../../sessions/session-row.js';
import type { SessionSource } from '../../sessions/source.js';
import type { Action } from '../state/reducer.js';

/**
 * The side effects of the UI: each loads through the source and reports back as actions. The full
 * list comes through `feed` (in this thread, or the list worker), as what changed since the last.
 */
export function useSessions(
  source: SessionSource,
  feed: ListFeed,
  dispatch: Dispatch<Action>,
  url: string,
  now: () => number,
  /** Resolves once the last dispatch is on screen. */
  drawn: () => Promise<void> = async () => {},
  /** The first page (`FIRST_PAGE_QUERY`) already asked for, taken by the first load. */
  firstPage?: Promise<SessionPage>,
) {
  // Bumped per load so a slow, older load never overwrites a newer one.
  const generation = useRef(0);
  // The full list as last loaded through the feed (cart_id order) and its version: `r` and --watch
  // ask the feed what changed since, and only that is applied to these rows.
  const listRows = useRef<SessionRow[]>([]);
  const listVersion = useRef(-1);
  const prefetched = useRef(firstPage);

  const load = useCallback(
    async (mode: 'initial' | 'refresh') => {
      const gen = ++generation.current;
      const stale = () => gen !== generation.current;
      dispatch({ type: 'load-start', mode });
      try {
        let total: number | null = null;
        if (mode === 'initial') {
          // The screen shows the first page alone: the next load must bring the whole list.
          listRows.current = [];
          listVersion.current = -1;
          const request = prefetched.current ?? source.page(FIRST_PAGE_QUERY);
          prefetched.current = undefined;
          const first = await request;
          if (stale()) return;
          const complete = first.totalPages <= 1;
          dispatch({ type: 'first-page', sessions: first.items, total: first.total, complete, at: now() });
          if (complete) return;
          total = first.total;
        }
        const loading = feed.load({
          base: listVersion.current,
          // Only the list loading after the first page shows its progress: a refresh's would redraw
          // an unchanged screen.
          onProgress:
            mode === 'initial'
              ? ({ loaded, total: reported }) => {
                  if (!stale()) dispatch({ type: 'load-progress', loaded, total: reported ?? total });
                }
              : undefined,
          cancelled: stale,
        });
        if (mode === 'initial') {
          // Put the first page on screen while the rest of the list is on its way (its failure is
          // reported below, once drawn).
          loading.catch(() => {});
          await drawn();
        }
        const update = await loading;
        if (stale()) return;
        if (update.unchanged) {
          dispatch({ type: 'refresh-unchanged', at: now() });
          return;
        }
        const rows = await applyDelta(update.full ? [] : listRows.current, update, stale);
        if (rows === undefined || stale()) return;
        listRows.current = rows;
        listVersion.current = update.version;
        dispatch({ type: 'rows-loaded', rows, at: now() });
      } catch (e) {
        if (stale()) return;
        const err = describeError(e, { url });
        dispatch({ type: 'load-failed', message: err.message, exitCode: err.exitCode });
      }
    },
    [source, feed, dispatch, url, now, drawn],
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
