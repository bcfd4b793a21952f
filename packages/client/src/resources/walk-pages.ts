import type { SessionPage } from './session-page.js';

/** How {@link walkPages} schedules its requests. */
export interface WalkPagesOptions {
  /** First page number. */
  start: number;
  /** Pages in flight at most (the awaited one included). */
  concurrency: number;
  /**
   * True: nothing is fetched ahead until the loop asks for the page after the first one (a loop that
   * stops early costs one request). False: as soon as the first page gives the page count.
   */
  lazy: boolean;
  /** Cancels every request of the walk. */
  signal?: AbortSignal | undefined;
}

/**
 * Yields pages `start`, `start + 1`, ... in order until one is empty or the last one (by the
 * `totalPages` of the latest page) is reached, keeping up to `concurrency` requests in flight.
 * Requests still in flight when the walk ends (or the loop breaks) are aborted.
 */
export async function* walkPages(
  fetchPage: (pageNo: number, signal: AbortSignal) => Promise<SessionPage>,
  options: WalkPagesOptions,
): AsyncGenerator<SessionPage> {
  const controller = new AbortController();
  const signal =
    options.signal && typeof AbortSignal.any === 'function'
      ? AbortSignal.any([options.signal, controller.signal])
      : (options.signal ?? controller.signal);
  const inflight = new Map<number, Promise<SessionPage>>();
  const launch = (n: number) => {
    if (inflight.has(n)) return;
    const pending = fetchPage(n, signal);
    // A page fetched ahead may fail after the walk stopped wanting it: not an unhandled rejection.
    pending.catch(() => {});
    inflight.set(n, pending);
  };
  let pageNo = options.start;
  let limit: number | undefined;
  try {
    for (;;) {
      launch(pageNo);
      if (limit !== undefined && (!options.lazy || pageNo > options.start)) {
        for (let n = pageNo + 1; n < pageNo + options.concurrency && n <= limit; n++) launch(n);
      }
      const current = await (inflight.get(pageNo) as Promise<SessionPage>);
      inflight.delete(pageNo);
      limit = current.totalPages;
      yield current;
      if (current.items.length === 0 || pageNo >= limit) return;
      pageNo++;
    }
  } finally {
    if (inflight.size > 0) controller.abort();
  }
}
