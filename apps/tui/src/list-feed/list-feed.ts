import type { SessionPageOptions } from '@cocart-sessions/client';
import type { SessionSource } from '../sessions/source.js';
import { type ListCalls, type ListStatus, createListService } from './list-service.js';
import type { StreamOutcome } from './list-stream.js';

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
 * The list in this thread, read with `source.list()`: for a test that must see the list's requests;
 * the App's default is the list worker.
 */
export function inThreadListFeed(source: Pick<SessionSource, 'list'>): ListFeed {
  const listeners = new Set<(status: ListStatus) => void>();
  const calls = createListService(
    async (opts): Promise<StreamOutcome> => {
      const answer = await source.list({ ifNoneMatch: opts.etag });
      if (answer.notModified) return { notModified: true };
      await opts.onBatch(answer.data);
      opts.onProgress?.(answer.data.length, answer.data.length);
      return { notModified: false, etag: answer.etag };
    },
    (status) => {
      for (const l of listeners) l(status);
    },
  );
  return {
    ...calls,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {},
  };
}
