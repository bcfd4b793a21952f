import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SessionSummary } from '@cocart-sessions/core';
import { type Dispatch, useCallback, useMemo } from 'react';
import { DEFAULT_FIELDS, sessionsCsv } from '../../format/export.js';
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
export function useBulkActions(source: SessionSource, dispatch: Dispatch<Action>, url: string) {
  const deleteMany = useCallback(
    async (keys: readonly string[]) => {
      const results = await deleteCarts(keys, source, {
        url,
        onResult: (result) => dispatch({ type: 'bulk-progress', result }),
      });
      dispatch({ type: 'bulk-done', results });
    },
    [source, dispatch, url],
  );

  const exportCsv = useCallback(
    (sessions: readonly SessionSummary[], dir: string, view: StatusView, now: number) => {
      const path = resolve(dir, `cocart-sessions-${view}-${stamp(now)}.csv`);
      try {
        // With a byte order mark: spreadsheets open the file as UTF-8 only when it has one. Owner-only,
        // like the profiles file: it holds every customer's name and email.
        writeFileSync(path, sessionsCsv(sessions, DEFAULT_FIELDS, now, { bom: true }), {
          flag: 'wx',
          mode: 0o600,
        });
        const n = sessions.length.toLocaleString('en-US');
        dispatch({ type: 'notice', notice: { kind: 'info', text: `Exported ${n} sessions to ${path}` } });
      } catch (e) {
        const text = `Could not export to ${path}: ${e instanceof Error ? e.message : String(e)}`;
        dispatch({ type: 'notice', notice: { kind: 'error', text } });
      }
    },
    [dispatch],
  );

  return useMemo(() => ({ deleteMany, exportCsv }), [deleteMany, exportCsv]);
}
