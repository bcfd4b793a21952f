import { eitherSignal } from '../abort.js';
import type { SessionPage } from './session-page.js';

/** How {@link walkPages} schedules its requests. */
export interface WalkPagesOptions {
  /** First page number. */
  start: number;
  /** Pages in flight at most (the awaited one included). */
  concurrency: number;
  /** Cancels every request of the walk. */
  signal?: AbortSignal | undefined;
}

/**
 * Yields pages `start`, `start + 1`, ... in order until one is empty or the last one (by the
 * `totalPages` of the latest page) is reached. The first page is fetched alone, so a loop that stops
 * after it costs one request; from then on, each time the loop asks for a page, that page and up to
 * `concurrency - 1` after it are in flight. Requests still in flight when the walk ends (or the loop
 * breaks) are aborted.
 *
 * Not p-map's `pMapIterable`: it refills a slot as soon as it hands a result over, so it would run
 * one page further ahead of the loop than this window, and it cannot hold back until the loop asks
 * for a second page. Feeding it page numbers gated on the loop's progress would keep this same
 * scheduling, plus a wake-up between the loop and the gate.
 */
export async function* walkPages(
  fetchPage: (pageNo: number, signal: AbortSignal) => Promise<SessionPage>,
  options: WalkPagesOptions,
): AsyncGenerator<SessionPage> {
  const controller = new AbortController();
  const signal = eitherSignal(options.signal, controller.signal);
  const inflight = new Map<number, Promise<SessionPage>>();
  const launch = (n: number): Promise<SessionPage> => {
    let pending = inflight.get(n);
    if (pending) return pending;
    pending = fetchPage(n, signal);
    // A page fetched ahead may fail after the walk stopped wanting it: not an unhandled rejection.
    pending.catch(() => {});
    inflight.set(n, pending);
    return pending;
  };
  let pageNo = options.start;
  let limit: number | undefined;
  try {
    for (;;) {
      const wanted = launch(pageNo);
      // Nothing goes ahead of the first page: the page count comes with it.
      if (limit !== undefined) {
        for (let n = pageNo + 1; n < pageNo + options.concurrency && n <= limit; n++) launch(n);
      }
      const current = await wanted;
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
