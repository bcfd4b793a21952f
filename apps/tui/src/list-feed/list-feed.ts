import type { SessionPageOptions } from '@cocart-sessions/client';
import type { ListCalls, ListStatus } from './list-service.js';

/** First page size: one screen's worth arrives fast, the rest follows in one streamed call. */
export const FIRST_PAGE_SIZE = 100;

/** The page the TUI shows first, before the full list arrives. */
export const FIRST_PAGE_QUERY = {
  page: 1,
  perPage: FIRST_PAGE_SIZE,
  orderBy: 'cart_id',
  order: 'asc',
} as const satisfies SessionPageOptions;

/** Where the TUI's list lives: the list worker, or this thread (tests). */
export interface ListFeed extends ListCalls {
  /** Hears the list's status as it changes (loads, removals); returns the way to stop hearing. */
  onStatus(listener: (status: ListStatus) => void): () => void;
  /** Stops the feed (the worker ends); calls after that fail. */
  close(): Promise<void>;
}

/**
 * A feed that exists once `started` resolves: calls made before wait for it. The CLI starts the list
 * worker once the first page has answered, so that the two requests do not both pay for the login
 * (the server keeps a verified login a while) and the worker's start does not slow the first page.
 */
export function deferredFeed(started: Promise<ListFeed>): ListFeed {
  const later = <K extends keyof ListCalls>(method: K): ListCalls[K] =>
    ((...args: unknown[]) =>
      started.then((feed) =>
        (feed[method] as (...a: unknown[]) => Promise<unknown>)(...args),
      )) as ListCalls[K];
  return {
    load: later('load'),
    adopt: later('adopt'),
    window: later('window'),
    toggleMark: later('toggleMark'),
    markView: later('markView'),
    setMarks: later('setMarks'),
    markedKeys: later('markedKeys'),
    remove: later('remove'),
    exportCsv: later('exportCsv'),
    onStatus(listener) {
      let stop: (() => void) | undefined;
      let stopped = false;
      void started.then((feed) => {
        if (!stopped) stop = feed.onStatus(listener);
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
    async close() {
      await (await started).close();
    },
  };
}
