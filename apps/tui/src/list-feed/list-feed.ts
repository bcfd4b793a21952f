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
