import type { SessionSource } from '../sessions/source.js';
import type { ListFeed } from './list-feed.js';
import { createListService, type ListStatus } from './list-service.js';
import type { StreamOutcome } from './list-stream.js';
import { SessionRun } from './session-run.js';

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
      await opts.onBatch(SessionRun.of(answer.data));
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
