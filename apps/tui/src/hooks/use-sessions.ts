import { isCoCartApiError, type SessionsResource } from '@cocart-sessions/client';
import { type Dispatch, useCallback, useEffect, useMemo, useRef } from 'react';
import { describeError } from '../errors.js';
import type { Action } from '../state/reducer.js';

/** The calls the TUI makes: `createClient(...).sessions` satisfies it. */
export type SessionSource = Pick<SessionsResource, 'page' | 'list' | 'get' | 'items' | 'delete'>;

/** First page size: one screen's worth arrives fast, the rest follows in one streamed call. */
export const FIRST_PAGE_SIZE = 100;

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

  const load = useCallback(
    async (mode: 'initial' | 'refresh') => {
      const gen = ++generation.current;
      dispatch({ type: 'load-start', mode });
      try {
        if (mode === 'initial') {
          const first = await source.page({
            page: 1,
            perPage: FIRST_PAGE_SIZE,
            orderBy: 'cart_id',
            order: 'asc',
          });
          if (gen !== generation.current) return;
          const complete = first.totalPages <= 1;
          dispatch({ type: 'first-page', sessions: first.items, total: first.total, complete, at: now() });
          if (complete) return;
          // Parsing the full list blocks the event loop for a while: put the first page on screen first.
          await drawn();
        }
        const all = await source.list();
        if (gen !== generation.current) return;
        dispatch({ type: 'all-loaded', sessions: all, at: now() });
      } catch (e) {
        if (gen !== generation.current) return;
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
    async (key: string) => {
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
