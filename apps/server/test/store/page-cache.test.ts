import { describe, expect, it } from 'vitest';
import { CredentialCache } from '../../src/auth/credential-cache.js';
import { KEPT_PAGES, pageKey, RefreshingCache, StampedCache } from '../../src/store/page-cache.js';

// lru-cache reads the clock at most once per millisecond of real time: let one pass after moving it.
const settle = () => new Promise((r) => setTimeout(r, 5));

describe('StampedCache (SQLite counts and anchors)', () => {
  it('answers an entry only under the stamp it was stored with', () => {
    const cache = new StampedCache<number>(4);
    cache.set('all', '1:0', 25);
    expect(cache.get('all', '1:0')).toBe(25);
    expect(cache.get('all', '1:1')).toBeUndefined();
    expect(cache.get('other', '1:0')).toBeUndefined();
  });
});

describe('StampedCache (kept pages of both stores)', () => {
  it('keeps a page per statement and version, at most KEPT_PAGES of them, dropping the least recently used', () => {
    const pages = new StampedCache<string[]>(KEPT_PAGES);
    const page = (i: number) =>
      pageKey({ sql: 'SELECT cart_key FROM cocart_carts LIMIT $1 OFFSET $2', params: [10, i] });
    pages.set(page(0), 'e.1', ['a']);
    // A write moved the version: the old page stays answerable to a caller that read the old version.
    pages.set(page(0), 'e.2', ['b']);
    expect(pages.get(page(0), 'e.1')).toEqual(['a']);
    expect(pages.get(page(0), 'e.2')).toEqual(['b']);
    expect(pages.get(page(0), 'e.3')).toBeUndefined();
    // Statements differing only in a parameter are different pages.
    expect(pages.get(page(1), 'e.2')).toBeUndefined();

    // Fill the rest; a read keeps a page, so the one not asked for since goes first.
    for (let i = 1; i < KEPT_PAGES - 1; i++) pages.set(page(i), 'e.2', [String(i)]);
    expect(pages.get(page(0), 'e.1')).toEqual(['a']);
    pages.set(page(KEPT_PAGES), 'e.2', ['new']);
    expect(pages.get(page(0), 'e.2')).toBeUndefined();
    expect(pages.get(page(0), 'e.1')).toEqual(['a']);
    expect(pages.get(page(1), 'e.2')).toEqual(['1']);
    expect(pages.get(page(KEPT_PAGES), 'e.2')).toEqual(['new']);
  });
});

describe('RefreshingCache (PostgreSQL counts and anchors)', () => {
  const deferred = () => {
    let resolve!: (n: number) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<number>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };

  it('runs one query for concurrent requests, answers stale entries while one refresh runs, keeps them when it fails', async () => {
    let now = 1_000_000;
    const cache = new RefreshingCache<number>(8, 1000, () => now);
    const queries: Array<ReturnType<typeof deferred>> = [];
    const compute = () => {
      const d = deferred();
      queries.push(d);
      return d.promise;
    };
    const first = [cache.get('all', '0', compute), cache.get('all', '0', compute)];
    expect(queries).toHaveLength(1);
    queries[0]!.resolve(10);
    expect(await Promise.all(first)).toEqual([10, 10]);

    now += 500; // fresh: no query
    await settle();
    expect(await cache.get('all', '0', compute)).toBe(10);
    expect(queries).toHaveLength(1);

    now += 1000; // stale: answered at once, one refresh starts
    await settle();
    expect(await cache.get('all', '0', compute)).toBe(10);
    expect(await cache.get('all', '0', compute)).toBe(10);
    expect(queries).toHaveLength(2);
    queries[1]!.reject(new Error('database went away'));
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('all', '0', compute)).toBe(10); // kept; this request starts another refresh
    expect(queries).toHaveLength(3);
    queries[2]!.resolve(12);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('all', '0', compute)).toBe(12);

    // Our own write changes the stamp: that request waits for a fresh answer.
    const afterWrite = cache.get('all', '1', compute);
    expect(queries).toHaveLength(4);
    queries[3]!.resolve(13);
    expect(await afterWrite).toBe(13);
  });
});

describe('CredentialCache', () => {
  it('forgets a credential after its TTL on the clock it is given', async () => {
    let now = 1_000_000;
    const cache = new CredentialCache({ ttlMs: 30_000, clock: () => now });
    const key = cache.keyOf('Basic YWRtaW46cHc=');
    cache.set(key, { userId: 1, login: 'admin', role: 'administrator' });
    now += 29_999;
    await settle();
    expect(cache.get(key)?.login).toBe('admin');
    now += 2;
    await settle();
    expect(cache.get(key)).toBeUndefined();
  });
});
