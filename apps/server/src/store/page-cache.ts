import type { ListQuery, SessionFilter } from './session-store.js';

/** Positions of every ANCHOR_STEP-th row of one ordering, so deep pages start near their offset. */
export interface AnchorSet {
  anchors: Array<{ value: string | number; id: number }>;
}

interface Entry<T> {
  stamp: string;
  at: number;
  value: T;
}

/**
 * A small LRU of counts and anchor sets, valid while the store's change stamp is unchanged and,
 * when `ttlMs` is set, for at most that long (other processes may write without changing our stamp).
 */
export class PageCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  constructor(
    readonly maxEntries = 64,
    readonly ttlMs = 0,
  ) {}

  get(key: string, stamp: string, now = Date.now()): T | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.stamp !== stamp || !this.#fresh(e, now)) {
      this.#entries.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e.value;
  }

  /**
   * Like {@link get}, but an entry past its `ttlMs` (same stamp) is still given, marked not fresh,
   * so a caller may answer with it while it refreshes the entry.
   */
  lookup(key: string, stamp: string, now = Date.now()): { value: T; fresh: boolean } | undefined {
    const e = this.#entries.get(key);
    if (!e || e.stamp !== stamp) return undefined;
    return { value: e.value, fresh: this.#fresh(e, now) };
  }

  #fresh(e: Entry<T>, now: number): boolean {
    return this.ttlMs <= 0 || now - e.at <= this.ttlMs;
  }

  set(key: string, stamp: string, value: T, now = Date.now()): void {
    this.#entries.delete(key);
    this.#entries.set(key, { stamp, at: now, value });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

export function filterKey(filter: SessionFilter): string {
  return JSON.stringify([filter.search ?? '', filter.source ?? null]);
}

/** The cache key of the anchor set of one ordering under one filter. */
export function anchorKey(q: ListQuery): string {
  return `${q.orderBy}:${q.order}:${filterKey(q)}`;
}
