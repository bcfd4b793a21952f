import type { SessionPageOptions } from '@cocart-sessions/client';
import type { SessionSummary } from '@cocart-sessions/core';
import type { SessionSource } from '../sessions/source.js';
import { type DiffOptions, diffSessions, type ListDelta } from './list-delta.js';

/** First page size: one screen's worth arrives fast, the rest follows in one streamed call. */
export const FIRST_PAGE_SIZE = 100;

/** The page the TUI shows first, before the full list arrives. */
export const FIRST_PAGE_QUERY = {
  page: 1,
  perPage: FIRST_PAGE_SIZE,
  orderBy: 'cart_id',
  order: 'asc',
} as const satisfies SessionPageOptions;

/** Least time between two progress reports of one load (ms). */
export const PROGRESS_EVERY_MS = 100;

/** Sessions received so far and, when the server said it, how many in all. */
export interface ListProgress {
  loaded: number;
  total: number | undefined;
}

/**
 * What a load of the full list found: the list is the one held (the server answered 304), or what
 * changed since the list of version `base` (`full`: since an empty list), now version `version`.
 */
export type ListUpdate =
  | { unchanged: true }
  | ({ unchanged: false; version: number; full: boolean } & ListDelta);

/** Options of {@link ListFeed.load}. */
export interface ListLoadOptions {
  /**
   * The `version` of the last update the caller applied, or -1 for none: when it is not the feed's
   * latest, the list is fetched whole and the update is `full`.
   */
  base: number;
  /** Called at most every {@link PROGRESS_EVERY_MS} while the list arrives. */
  onProgress?: (progress: ListProgress) => void;
  /** Lets the caller's side stop early when it no longer wants the answer. */
  cancelled?: () => boolean;
}

/** Where the full list of the TUI comes from: in this thread, or from the list worker. */
export interface ListFeed {
  load(options: ListLoadOptions): Promise<ListUpdate>;
  /** Stops the feed (the worker ends); loads after that fail. */
  close(): Promise<void>;
}

/** Options of {@link ListTracker.refresh}. */
export type TrackerRefreshOptions = ListLoadOptions &
  Pick<DiffOptions, 'onChunk' | 'chunkSize'> & {
    onDelta?: (delta: { version: number; full: boolean }) => void;
  };

/** The loads of a {@link createListTracker}, one at a time. */
export interface ListTracker {
  /**
   * A load. `onChunk` hears the delta a part at a time, and `onDelta` when all of it is out, before
   * the load resolves (the tracker still indexes the new list for the next comparison).
   */
  refresh(options: TrackerRefreshOptions): Promise<ListUpdate>;
}

/**
 * Keeps the last full list fetched (by cart_key) and its ETag, and turns each load into what changed
 * since: the one place the list is fetched and compared, in the list worker and in-thread alike.
 * `sliceMs` bounds each run of the comparison and row building (the worker needs no bound).
 */
export function createListTracker(source: Pick<SessionSource, 'list'>, sliceMs?: number): ListTracker {
  let held: ReadonlyMap<string, SessionSummary> = new Map();
  let etag: string | undefined;
  let version = 0;
  let queue: Promise<unknown> = Promise.resolve();

  async function refresh({
    base,
    onProgress,
    onChunk,
    chunkSize,
    onDelta,
  }: TrackerRefreshOptions): Promise<ListUpdate> {
    const full = base !== version;
    if (full) {
      // Forgotten at once, and under a new version: no caller may take the next answer as a delta
      // of the list held before, even if this load fails.
      held = new Map();
      etag = undefined;
      version += 1;
    }
    let lastProgress = Number.NEGATIVE_INFINITY;
    const answer = await source.list({
      ifNoneMatch: etag,
      onProgress:
        onProgress &&
        ((progress) => {
          const t = performance.now();
          if (t - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = t;
          onProgress(progress);
        }),
    });
    if (answer.notModified) return { unchanged: true };
    const diff = await diffSessions(held, answer.data, {
      sliceMs,
      onChunk,
      chunkSize,
      onChunksDone: () => onDelta?.({ version: version + 1, full }),
    });
    if (diff === undefined) throw new Error('list comparison cancelled');
    held = diff.byKey;
    etag = answer.etag;
    version += 1;
    return { unchanged: false, version, full, ...diff.delta };
  }

  return {
    refresh(options) {
      const run = queue.then(() => refresh(options));
      queue = run.catch(() => {});
      return run;
    },
  };
}

/**
 * A feed that fetches through `source` and compares in this thread (in slices): for a test that must
 * see the list's requests; the App's default is the list worker.
 */
export function inThreadListFeed(source: Pick<SessionSource, 'list'>): ListFeed {
  const tracker = createListTracker(source);
  return { load: (options) => tracker.refresh(options), close: async () => {} };
}
