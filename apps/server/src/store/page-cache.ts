import { LRUCache } from 'lru-cache';
import type { ListQuery, SessionFilter } from './session-store.js';
import type { BuiltSql } from './sql-dialect.js';

/** Positions of every ANCHOR_STEP-th row of one ordering, so deep pages start near their offset. */
export interface AnchorSet {
  anchors: Array<{ value: string | number; id: number }>;
}

// The change stamp is part of every key: after a write no older entry can be reached, and the LRU
// bound drops them.
const keyOf = (key: string, stamp: string): string => `${stamp}\n${key}`;

/**
 * Entries answered only under the stamp they were stored with: the counts and anchor sets of a store
 * that sees every write (SQLite, stamped with its commits), and both stores' kept pages (stamped
 * with the change version they were read at, which any process's commit moves).
 */
export class StampedCache<T extends {}> {
  readonly #lru: LRUCache<string, T>;
  constructor(max: number) {
    this.#lru = new LRUCache<string, T>({ max });
  }

  get(key: string, stamp: string): T | undefined {
    return this.#lru.get(keyOf(key, stamp));
  }

  set(key: string, stamp: string, value: T): void {
    this.#lru.set(keyOf(key, stamp), value);
  }
}

/**
 * Counts or anchor sets of a store other processes write to without changing our stamp
 * (PostgreSQL): an entry is fresh for `ttlMs`; past that it is still answered while one query
 * refreshes it, and one query per key runs at a time however many requests want it (lru-cache's
 * `fetch`). A failed refresh keeps the old entry; the next request tries again.
 */
export class RefreshingCache<T extends {}> {
  readonly #lru: LRUCache<string, T, () => Promise<T>>;
  constructor(max: number, ttlMs: number, clock: () => number = performance.now.bind(performance)) {
    this.#lru = new LRUCache<string, T, () => Promise<T>>({
      max,
      ttl: ttlMs,
      allowStale: true,
      noDeleteOnFetchRejection: true,
      perf: { now: clock },
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  }

  /** The entry of `key` under `stamp`, computed by `compute` when there is none. */
  async get(key: string, stamp: string, compute: () => Promise<T>): Promise<T> {
    const value = await this.#lru.fetch(keyOf(key, stamp), { context: compute });
    // fetch gives undefined only when fetchMethod does, or when aborted: neither happens here.
    return value as T;
  }
}

/** Pages kept by each store (at most 100 rows each): a {@link StampedCache} of this many. */
export const KEPT_PAGES = 64;

/** A kept page's cache key: its statement and parameters. */
export function pageKey(page: BuiltSql): string {
  return `${page.sql}\u0000${page.params.join('\u0000')}`;
}

export function filterKey(filter: SessionFilter): string {
  return JSON.stringify([filter.search ?? '', filter.source ?? null]);
}

/** The cache key of the anchor set of one ordering under one filter. */
export function anchorKey(q: ListQuery): string {
  return `${q.orderBy}:${q.order}:${filterKey(q)}`;
}
