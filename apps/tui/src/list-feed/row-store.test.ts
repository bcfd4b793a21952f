import type { SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import listFixture from '../../../../fixtures/sessions-list.json' with { type: 'json' };
import { SORT_COLUMNS } from '../sessions/sort.js';
import { sortByText, sortByWholeNumber } from './row-sort.js';
import { apiDateMs, RowStore, readsBackwards, type ViewQuery } from './row-store.js';
import { SessionRun } from './session-run.js';

const seed = listFixture as SessionSummary[];

const put = (store: RowStore, s: SessionSummary) => store.put(SessionRun.of([s]), 0);

const summary = (i: number, over: Partial<SessionSummary> = {}): SessionSummary => ({
  cart_id: String(100 + i),
  cart_key: `key${String(i).padStart(4, '0')}`,
  customers_name: `Name ${(i * 37) % 101}`,
  customers_email: `e${(i * 53) % 97}@shop.test`,
  cart_created: `01/${String((i % 28) + 1).padStart(2, '0')}/2026 10:00:00`,
  cart_expiry: `02/${String(((i * 7) % 28) + 1).padStart(2, '0')}/2026 1${i % 10}:00:00`,
  cart_source: ['woocommerce', 'cocart', 'app'][i % 3] as string,
  link: `https://shop.test/wp-json/cocart/v2/session/key${String(i).padStart(4, '0')}`,
  ...over,
});

const keysOf = (store: RowStore, q: ViewQuery) => {
  const rows = store.view(q);
  return store.window(rows, readsBackwards(q), 0, rows.length).map((w) => w.summary.cart_key);
};

describe('RowStore', () => {
  it('gives back every session exactly as listed, odd fields included', () => {
    const store = new RowStore();
    const odd: SessionSummary[] = [
      summary(1, { cart_id: '0042' }),
      summary(2, { cart_created: '02/30/2021 10:00:00', cart_expiry: '13/45/2026 99:00:00' }),
      summary(3, { link: 'https://elsewhere.test/x' }),
      summary(4, { customers_name: '', customers_email: '' }),
    ];
    for (const s of [...seed, ...odd]) put(store, s);
    const all = store.view({ filter: '', column: 'id', descending: false });
    expect(store.window(all, false, 0, 100).map((w) => w.summary)).toEqual(
      [...seed, ...odd]
        .map(
          ({
            cart_id,
            cart_key,
            customers_name,
            customers_email,
            cart_created,
            cart_expiry,
            cart_source,
            link,
          }) => ({
            cart_id,
            cart_key,
            customers_name,
            customers_email,
            cart_created,
            cart_expiry,
            cart_source,
            link,
          }),
        )
        .sort((a, b) => Number(a.cart_id) - Number(b.cart_id)),
    );
  });

  it('parses the API date as the core does, and nothing else', () => {
    expect(apiDateMs('04/23/2021 07:46:59')).toBe(Date.UTC(2021, 3, 23, 7, 46, 59));
    expect(apiDateMs('02/29/2024 00:00:00')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of [
      '02/29/2023 00:00:00',
      '13/01/2021 00:00:00',
      '04/23/2021 24:00:00',
      '4/23/2021 07:46:59',
    ])
      expect(apiDateMs(bad)).toBeNaN();
  });

  it('keeps every sort order right through changes, removals, additions and compaction', () => {
    const store = new RowStore();
    for (let i = 0; i < 3000; i++) put(store, summary(i));
    const naive = (column: (typeof SORT_COLUMNS)[number], live: SessionSummary[]) => {
      const id = (a: SessionSummary, b: SessionSummary) => Number(a.cart_id) - Number(b.cart_id);
      const t = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
      const by: Record<string, (a: SessionSummary, b: SessionSummary) => number> = {
        id,
        created: (a, b) => apiDateMs(a.cart_created) - apiDateMs(b.cart_created) || id(a, b),
        expiry: (a, b) => apiDateMs(a.cart_expiry) - apiDateMs(b.cart_expiry) || id(a, b),
        customer: (a, b) => t(a.customers_name.toLowerCase(), b.customers_name.toLowerCase()) || id(a, b),
        email: (a, b) => t(a.customers_email.toLowerCase(), b.customers_email.toLowerCase()) || id(a, b),
        key: (a, b) => t(a.cart_key, b.cart_key),
        source: (a, b) => t(a.cart_source, b.cart_source) || id(a, b),
      };
      return [...live].sort(by[column]).map((s) => s.cart_key);
    };
    let live = Array.from({ length: 3000 }, (_, i) => summary(i));
    const check = () => {
      for (const column of SORT_COLUMNS) {
        expect(keysOf(store, { filter: '', column, descending: false })).toEqual(naive(column, live));
      }
    };
    check();
    // A refresh: a few changed in place, a few gone, a few new (patched orders).
    store.beginSweep();
    live = live
      .filter((_, i) => i % 500 !== 7)
      .map((s, i) =>
        i % 400 === 3 ? { ...s, customers_name: `Changed ${i}`, cart_expiry: '03/01/2026 00:00:00' } : s,
      );
    live.push(summary(5000), summary(5001, { customers_name: 'aaa first' }));
    for (const s of live) put(store, s);
    expect(store.removeUnseen()).toBe(6);
    check();
    // The names changed in place are searched by their new text (the search columns follow them).
    expect(keysOf(store, { filter: 'CHANGED', column: 'id', descending: false })).toEqual(
      live.filter((s) => s.customers_name.startsWith('Changed')).map((s) => s.cart_key),
    );
    // Most rows gone: the columns are compacted, the orders kept.
    store.remove(live.filter((_, i) => i % 5 !== 0).map((s) => s.cart_key));
    live = live.filter((_, i) => i % 5 === 0);
    expect(store.slots).toBe(live.length);
    check();
    expect(keysOf(store, { filter: 'NAME 1', column: 'key', descending: true })).toEqual(
      naive(
        'key',
        live.filter((s) => s.customers_name.toLowerCase().includes('name 1')),
      ).reverse(),
    );
  });

  it('keeps a view stale while rows stream in, but never one made before any row, nor the cart_id order', () => {
    const store = new RowStore();
    const byCreated: ViewQuery = { filter: '', column: 'created', descending: false };
    const byId: ViewQuery = { filter: '', column: 'id', descending: false };
    // Asked for before the list arrived (the screen's first window): empty.
    expect(store.view(byCreated, 60_000)).toHaveLength(0);
    for (let i = 0; i < 50; i++) put(store, summary(i));
    expect(store.view(byCreated, 60_000)).toHaveLength(50);
    for (let i = 50; i < 60; i++) put(store, summary(i));
    // A sort redone now and then while the list streams in: the 50-row view is still the one shown.
    expect(store.view(byCreated, 60_000)).toHaveLength(50);
    expect(store.view(byCreated)).toHaveLength(60);
    // The cart_id order of rows streaming in is the indices themselves: always whole.
    expect(store.view(byId, 60_000)).toHaveLength(60);
    put(store, summary(60));
    expect(keysOf(store, byId)).toEqual(Array.from({ length: 61 }, (_, i) => summary(i).cart_key));
    expect(store.view(byId, 60_000)).toHaveLength(61);
  });

  it('orders a view by the carts read, the rest after them by cart_id, within the filter', () => {
    const store = new RowStore();
    for (let i = 0; i < 50; i++) put(store, summary(i));
    const figure = (itemCount: number, totalMinor: number, currencyCode = 'GBP') => ({
      itemCount,
      totalMinor,
      currencyCode,
      total: String(totalMinor),
    });
    const byKey = new Map([
      [summary(7).cart_key, figure(3, 900)],
      [summary(3).cart_key, figure(1, 5000)],
      [summary(40).cart_key, figure(2, Number.NaN)],
      ['no-such-key', figure(9, 1)],
    ]);
    const q = (column: 'items' | 'value', descending: boolean, filter = ''): ViewQuery => ({
      filter,
      column,
      descending,
      figures: { version: 1, byKey },
    });
    const rest = (except: number[]) =>
      Array.from({ length: 50 }, (_, i) => i)
        .filter((i) => !except.includes(i))
        .map((i) => summary(i).cart_key);
    const k = (...is: number[]) => is.map((i) => summary(i).cart_key);
    expect(keysOf(store, q('items', true))).toEqual([...k(7, 40, 3), ...rest([3, 7, 40])]);
    expect(keysOf(store, q('items', false))).toEqual([...k(3, 40, 7), ...rest([3, 7, 40])]);
    // A total that does not parse goes after the totals that do, before the carts not read.
    expect(keysOf(store, q('value', true))).toEqual([...k(3, 7, 40), ...rest([3, 7, 40])]);
    // Within a filter: key0003 and key0007 are not in it.
    expect(keysOf(store, q('items', true, 'key004'))).toEqual(k(40, ...[41, 42, 43, 44, 45, 46, 47, 48, 49]));
  });

  it('counts each status over every session and keeps marks across refreshes', () => {
    const store = new RowStore();
    for (let i = 0; i < 30; i++) put(store, summary(i));
    const at = Date.UTC(2026, 1, 10, 12);
    const counts = store.counts(at);
    const expired = Array.from({ length: 30 }, (_, i) => summary(i)).filter(
      (s) => apiDateMs(s.cart_expiry) <= at,
    );
    expect(counts.all).toBe(30);
    expect(counts.expired).toBe(expired.length);
    expect(counts.active + counts.expiring + counts.expired).toBe(30);
    store.toggleMark('key0003');
    store.toggleMark('key0004');
    put(store, summary(3, { customers_name: 'Renamed' }));
    store.remove(['key0004']);
    expect(store.markedKeys()).toEqual(['key0003']);
    expect(store.markedCount).toBe(1);
  });
});

describe('the bucket sorts', () => {
  it('order strings as < does, prefixes first, ties in input order, any script', () => {
    const words = ['', 'a', 'ab', 'abc', 'b', 'Zoë', 'zoe', 'émile', '東京', '😀', 'a\uffff', 'a\u0000x'];
    const values = Array.from(
      { length: 5000 },
      (_, i) => `${words[i % words.length]}${words[(i * 7) % words.length]}`,
    );
    const rows = Int32Array.from(values.keys());
    sortByText(rows, values);
    const naive = [...values.keys()].sort((a, b) => {
      const x = values[a] as string;
      const y = values[b] as string;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    expect([...rows]).toEqual(naive);
  });
  it('order whole numbers with NaN last and ties in input order, and refuse what does not fit', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 11 === 0 ? Number.NaN : (i * 7919) % 101));
    const rows = Int32Array.from(values.keys());
    expect(sortByWholeNumber(rows, (i) => values[i] as number)).toBe(true);
    const key = (i: number) => (Number.isNaN(values[i]) ? Number.POSITIVE_INFINITY : (values[i] as number));
    expect([...rows]).toEqual([...values.keys()].sort((a, b) => key(a) - key(b) || a - b));
    const fractions = Int32Array.from([0, 1]);
    expect(sortByWholeNumber(fractions, (i) => 0.5 - i)).toBe(false);
    expect([...fractions]).toEqual([0, 1]);
  });
});
