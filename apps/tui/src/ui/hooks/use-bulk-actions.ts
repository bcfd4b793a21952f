import { resolve } from 'node:path';
import { type Dispatch, useCallback, useMemo } from 'react';
import type { ListFeed } from '../../list-feed/list-feed.js';
import type { ViewQuery } from '../../list-feed/row-store.js';
import { deleteCarts } from '../../sessions/bulk-delete.js';
import type { SessionSource } from '../../sessions/source.js';
import type { Action, StatusView } from '../state/reducer.js';

/** "20260130-140509": a file-name-safe local timestamp. */
function stamp(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The list's actions on many carts at once: the bulk delete of the marked carts and the CSV export. */
export function useBulkActions(
  source: SessionSource,
  feed: ListFeed,
  dispatch: Dispatch<Action>,
  url: string,
) {
  const deleteMany = useCallback(
    async (keys: readonly string[]) => {
      const results = await deleteCarts(keys, source, {
        url,
        onResult: (result) => dispatch({ type: 'bulk-progress', result }),
      });
      // The list worker drops the deleted rows and keeps the failed ones marked.
      const gone = results.filter((r) => r.outcome !== 'failed').map((r) => r.key);
      await feed.remove(gone).catch(() => {});
      await feed.setMarks(results.filter((r) => r.outcome === 'failed').map((r) => r.key)).catch(() => {});
      dispatch({ type: 'bulk-done', results });
    },
    [source, feed, dispatch, url],
  );

  const exportCsv = useCallback(
    async (query: ViewQuery, dir: string, view: StatusView, now: number) => {
      const path = resolve(dir, `cocart-sessions-${view}-${stamp(now)}.csv`);
      try {
        // Written by the list worker, which holds the rows: the view's sessions, a slice at a time.
        const count = await feed.exportCsv(query, path, now);
        const n = count.toLocaleString('en-US');
        dispatch({ type: 'notice', notice: { kind: 'info', text: `Exported ${n} sessions to ${path}` } });
      } catch (e) {
        const text = `Could not export to ${path}: ${e instanceof Error ? e.message : String(e)}`;
        dispatch({ type: 'notice', notice: { kind: 'error', text } });
      }
    },
    [feed, dispatch],
  );

  return useMemo(() => ({ deleteMany, exportCsv }), [deleteMany, exportCsv]);
}
