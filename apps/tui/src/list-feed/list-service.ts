import { closeSync, openSync, writeSync } from 'node:fs';
import type { SessionSummary } from '@cocart-sessions/core';
import { nextTurn, SLICE_MS, type StreamOptions, type StreamOutcome } from './list-stream.js';
import { RowStore, readsBackwards, type ViewCounts, type ViewQuery, type WindowRow } from './row-store.js';
import { SessionRun } from './session-run.js';

/** Least time between two reports of a load's progress (ms). */
export const PROGRESS_EVERY_MS = 250;

/** While the list streams in, a sorted or filtered view is redone at most this often (ms). */
const STALE_VIEW_MS = 1000;

/** A load looks at the clock once every this many rows plus one (a power of two, less one). */
const CLOCK_EVERY = 63;

/** Sessions per slice of a CSV export. */
const EXPORT_BATCH = 5000;

/** What the list holds now, told to the UI as it changes. */
export interface ListStatus {
  /** Bumped by every change of the rows. */
  version: number;
  /** Sessions held. */
  size: number;
  /** True while a load runs. */
  loading: boolean;
  /** Sessions received by the load under way, and how many the server said there are. */
  loaded: number | null;
  total: number | null;
}

/** What a load found. */
export type LoadOutcome = { unchanged: true } | { unchanged: false; size: number };

/** A window of a view, asked for by the UI. */
export interface WindowRequest {
  query: ViewQuery;
  /** Where the cursor is, and the first row on screen. */
  cursor: number;
  offset: number;
  pageSize: number;
  /** Put the cursor on this cart when it is in the view (a new view, a refresh). */
  anchorKey?: string | null;
  /** Rows to send before and after the screen. */
  margin: number;
  /** The moment the status counts are taken at. */
  countsAt: number;
}

/** The answer: where the cursor and screen go, the rows from `from`, and the counts. */
export interface WindowAnswer {
  /** The version of the rows the view was made of: a later status asks again. */
  version: number;
  viewLength: number;
  size: number;
  cursor: number;
  offset: number;
  from: number;
  rows: WindowRow[];
  marked: number;
  counts: ViewCounts;
  /** In a view by items or value: how many of its rows had their cart read (the rest follow). */
  figuresRead: number | undefined;
}

/** The list's calls, the same in the list worker and in a thread of their own (tests). */
export interface ListCalls {
  load(): Promise<LoadOutcome>;
  /** Takes `sessions` as the whole list (a first page that held the whole store), without a tag. */
  adopt(sessions: SessionSummary[]): Promise<LoadOutcome>;
  window(request: WindowRequest): Promise<WindowAnswer>;
  toggleMark(key: string): Promise<number>;
  markView(query: ViewQuery): Promise<number>;
  setMarks(keys: readonly string[]): Promise<number>;
  markedKeys(): Promise<string[]>;
  remove(keys: readonly string[]): Promise<void>;
  /** Writes the view's sessions as CSV to `path` (a new file, owner-only); resolves with the count. */
  exportCsv(query: ViewQuery, path: string, now: number): Promise<number>;
}

/** Reads the whole list (see `streamSessions`), with the tag of the copy held. */
export type ListReader = (opts: StreamOptions) => Promise<StreamOutcome>;

/**
 * The list of the TUI: the rows (a {@link RowStore}), their loads, views, marks and exports. Lives
 * in the list worker; the UI thread asks it for what is on screen.
 */
export function createListService(
  read: ListReader,
  onStatus: (status: ListStatus) => void,
  /** How many sessions the store said it holds (its first page), when known. */
  sizeHint?: number,
): ListCalls {
  const store = new RowStore();
  if (sizeHint !== undefined) store.reserve(sizeHint);
  let etag: string | undefined;
  let loading = false;
  // Views are kept stale only while the first load runs: rows are then only added, never removed.
  let firstDone = false;
  let loaded: number | null = null;
  let total: number | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let lastReport = 0;
  // Marks and exports wait for the first load: before it, the rows are a part of the list.
  let firstLoad: Promise<unknown> | undefined;
  const whole = async () => {
    await firstLoad?.catch(() => {});
  };

  const status = (): ListStatus => ({ version: store.version, size: store.size, loading, loaded, total });
  const report = (force = false) => {
    const t = performance.now();
    if (!force && t - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = t;
    onStatus(status());
  };

  async function load(from: ListReader = read): Promise<LoadOutcome> {
    loading = true;
    loaded = 0;
    total = null;
    store.beginSweep();
    let since = performance.now();
    let finished = false;
    try {
      const outcome = await from({
        etag,
        onBatch: async (batch: SessionRun, digest?: string) => {
          const layout = store.layout;
          const rows = digest === undefined ? undefined : new Int32Array(batch.count);
          for (let k = 0; k < batch.count; k++) {
            const i = store.put(batch, k);
            if (rows) rows[k] = i;
            // The clock is read every few rows: a row takes far less time than reading it.
            if ((k & CLOCK_EVERY) === CLOCK_EVERY && performance.now() - since > SLICE_MS) {
              await nextTurn();
              since = performance.now();
            }
          }
          // Rows that moved while the batch went in (a delete compacted them) are not recorded.
          if (rows && digest !== undefined && store.layout === layout) store.addRun(digest, rows);
        },
        // A first load has nothing to compare with: digesting it would only slow the load a user
        // waits for. The runs are digested from the first load that reads the list again.
        knownRun: store.size === 0 ? undefined : (digest) => store.knownRun(digest),
        onProgress: (n, all) => {
          if (all !== undefined) store.reserve(all);
          loaded = n;
          total = all ?? null;
          report();
        },
      });
      finished = true;
      if (outcome.notModified) return { unchanged: true };
      store.removeUnseen();
      etag = outcome.etag;
      return { unchanged: false, size: store.size };
    } finally {
      if (!finished) store.forgetRuns();
      firstDone = true;
      loading = false;
      loaded = null;
      total = null;
      report(true);
    }
  }

  const viewOf = (query: ViewQuery) => store.view(query, loading && !firstDone ? STALE_VIEW_MS : 0);

  return {
    load() {
      const run = queue.then(() => load());
      queue = run.catch(() => {});
      firstLoad ??= run;
      return run;
    },
    adopt(sessions) {
      const run = queue.then(() =>
        load(async (opts) => {
          await opts.onBatch(SessionRun.of(sessions));
          return { notModified: false, etag: undefined };
        }),
      );
      queue = run.catch(() => {});
      firstLoad ??= run;
      return run;
    },
    async window(r) {
      const rows = viewOf(r.query);
      const version = store.viewVersion;
      const n = rows.length;
      let cursor = r.cursor;
      if (r.anchorKey) {
        const at = store.positionOf(rows, r.anchorKey, readsBackwards(r.query));
        if (at !== -1) cursor = at;
      }
      cursor = n === 0 ? 0 : Math.min(Math.max(cursor, 0), n - 1);
      let offset = r.offset;
      if (cursor < offset) offset = cursor;
      if (cursor >= offset + r.pageSize) offset = cursor - r.pageSize + 1;
      offset = Math.max(0, Math.min(offset, Math.max(0, n - r.pageSize)));
      const from = Math.max(0, offset - r.margin);
      return {
        version,
        viewLength: n,
        size: store.size,
        cursor,
        offset,
        from,
        rows: store.window(rows, readsBackwards(r.query), from, offset - from + r.pageSize + r.margin),
        marked: store.markedCount,
        counts: store.counts(r.countsAt),
        figuresRead: store.figuresReadIn(rows),
      };
    },
    async toggleMark(key) {
      // Marks made on the first page, before the list is here, apply once it is.
      await whole();
      store.toggleMark(key);
      return store.markedCount;
    },
    async markView(query) {
      await whole();
      store.markView(viewOf(query));
      return store.markedCount;
    },
    async setMarks(keys) {
      await whole();
      store.setMarks(keys);
      return store.markedCount;
    },
    async markedKeys() {
      return store.markedKeys();
    },
    async remove(keys) {
      if (store.remove(keys) > 0) report(true);
    },
    async exportCsv(query, path, now) {
      await whole();
      // Loaded when first needed: the CSV writer is no part of showing the list.
      const { DEFAULT_FIELDS, sessionsCsv } = await import('../format/export.js');
      const rows = viewOf(query);
      // Owner-only and never over an existing file, like the profiles file: it holds every
      // customer's name and email. Written a slice at a time, so memory holds one slice.
      const fd = openSync(path, 'wx', 0o600);
      try {
        for (let p = 0; p < rows.length || p === 0; p += EXPORT_BATCH) {
          const batch = store.window(rows, readsBackwards(query), p, EXPORT_BATCH).map((w) => w.summary);
          // With a byte order mark: spreadsheets open the file as UTF-8 only when it has one.
          const csv = sessionsCsv(batch, DEFAULT_FIELDS, now, { bom: p === 0 });
          // Each slice comes with its header row; only the first keeps it.
          writeSync(fd, p === 0 ? csv : csv.slice(csv.indexOf('\r\n') + 2));
          await nextTurn();
        }
      } finally {
        closeSync(fd);
      }
      return rows.length;
    },
  };
}
