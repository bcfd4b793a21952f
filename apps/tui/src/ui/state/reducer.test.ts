import type { SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import listFixture from '../../../../../fixtures/sessions-list.json' with { type: 'json' };
import type { CartFigures } from '../../cart-values/cart-figures.js';
import { createListService, type ListCalls } from '../../list-feed/list-service.js';
import { SessionRun } from '../../list-feed/session-run.js';
import { SORT_COLUMNS } from '../../sessions/sort.js';
import {
  type Action,
  initialState,
  reducer,
  rowsOnScreen,
  type State,
  selectedRow,
  viewQuery,
} from './reducer.js';

const seed = listFixture as SessionSummary[];

/** n sessions after the seed's two, with increasing ids and created dates. */
function sessions(n: number): SessionSummary[] {
  const out: SessionSummary[] = [...seed];
  for (let i = 0; i < n; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    out.push({
      cart_id: String(5000 + i),
      cart_key: `k${String(i).padStart(5, '0')}`,
      customers_name: `Customer ${i}`,
      customers_email: `c${i}@example.com`,
      cart_created: `03/${day}/2021 10:00:00`,
      cart_expiry: `04/${day}/2021 10:00:00`,
      cart_source: i % 2 ? 'cocart' : 'woocommerce',
      link: `https://example.com/wp-json/cocart/v2/session/k${i}`,
    });
  }
  return out;
}

/** What the App does around the reducer, with `a` (mark the view) as it asks the list worker. */
type Step = Action | { type: 'mark-view' };

/**
 * The reducer with the list service the App talks to, in this thread: each step is dispatched with
 * the side effects the App adds (marks, deletes), then the window is asked for as `useWindow` does.
 */
class Driver {
  state: State;
  served: SessionSummary[] = [];
  #seq = -1;
  #tags = new WeakMap<SessionSummary[], string>();
  readonly list: ListCalls;

  constructor(opts: { pageSize?: number; readOnly?: boolean }) {
    this.state = initialState({ pageSize: opts.pageSize ?? 5, readOnly: opts.readOnly });
    this.list = createListService(
      // Each list the server serves has a tag of its own: the same list again answers 304.
      async ({ onBatch, etag }) => {
        const tag = this.#tags.get(this.served) ?? String(Math.random());
        this.#tags.set(this.served, tag);
        if (etag === tag) return { notModified: true };
        await onBatch(SessionRun.of(this.served));
        return { notModified: false, etag: tag };
      },
      () => {},
    );
  }

  /** The server now lists `list`: a load (a refresh once loaded) at `at`. */
  async load(list: SessionSummary[], at: number): Promise<this> {
    this.served = list;
    this.state = reducer(this.state, { type: 'load-start', mode: 'refresh' });
    const outcome = await this.list.load();
    this.state = reducer(
      this.state,
      outcome.unchanged ? { type: 'refresh-unchanged', at } : { type: 'list-loaded', at },
    );
    await this.sync();
    return this;
  }

  async sync(): Promise<void> {
    const s = this.state;
    if (s.firstRows !== null) return;
    const reposition = s.viewSeq !== this.#seq;
    const answer = await this.list.window({
      query: viewQuery(s),
      cursor: s.cursor,
      offset: s.offset,
      pageSize: s.pageSize,
      anchorKey: reposition ? s.anchorKey : null,
      margin: s.pageSize * 3,
      countsAt: s.statusAt,
    });
    this.#seq = s.viewSeq;
    this.state = reducer(this.state, { type: 'window', seq: s.viewSeq, reposition, answer });
  }

  async do(...steps: Step[]): Promise<State> {
    for (const step of steps) {
      const s = this.state;
      if (step.type === 'mark-view') {
        if (s.readOnly) continue;
        const count = await this.list.markView(viewQuery(s));
        this.state = reducer(s, { type: 'marks-changed', count, refetch: true });
      } else if (step.type === 'mark-toggle') {
        const key = selectedRow(s)?.key;
        this.state = reducer(s, step);
        if (key !== undefined && this.state !== s) await this.list.toggleMark(key);
      } else if (step.type === 'delete-ask' && s.markedCount > 0 && step.keys === undefined) {
        this.state = reducer(s, { type: 'delete-ask', keys: await this.list.markedKeys() });
      } else if (step.type === 'delete-done') {
        await this.list.remove([step.key]);
        this.state = reducer(s, step);
      } else if (step.type === 'bulk-done') {
        await this.list.remove(step.results.filter((r) => r.outcome !== 'failed').map((r) => r.key));
        await this.list.setMarks(step.results.filter((r) => r.outcome === 'failed').map((r) => r.key));
        this.state = reducer(s, step);
      } else {
        if (step.type === 'back' && s.screen === 'list' && !s.confirm && s.markedCount > 0) {
          await this.list.setMarks([]);
        }
        this.state = reducer(s, step);
      }
      await this.sync();
    }
    return this.state;
  }

  /** The keys of the whole view, in order. */
  async keys(): Promise<string[]> {
    return (await this.rows()).map((r) => r.summary.cart_key);
  }

  async rows() {
    const s = this.state;
    const answer = await this.list.window({
      query: viewQuery(s),
      cursor: 0,
      offset: 0,
      pageSize: 1_000_000,
      margin: 0,
      countsAt: s.statusAt,
    });
    return answer.rows;
  }
}

const loaded = (n = 0, pageSize = 5, readOnly = false) =>
  new Driver({ pageSize, readOnly }).load(sessions(n), 1);

describe('loading', () => {
  it('shows the first page, filtered and sorted here, until the list worker holds the rows', () => {
    const s0 = initialState();
    expect(s0.loading).toBe('initial');
    const s1 = reducer(s0, { type: 'first-page', sessions: seed, total: 1000, complete: false, at: 5 });
    expect(s1.loading).toBe('more');
    expect(rowsOnScreen(s1).map((r) => r.key)).toEqual(seed.map((x) => x.cart_key));
    expect([s1.lastRefresh, s1.size, s1.viewLength]).toEqual([5, 1000, 2]);
    const sorted = reducer(s1, { type: 'sort-reverse' });
    expect(sorted.window.rows.map((r) => r.summary.cart_id)).toEqual(['4335', '4038']);
    // The worker has fewer rows than the page: the page stays.
    const status = { version: 3, size: 1, loading: true, loaded: 1, total: 1000 };
    const s2 = reducer(s1, { type: 'list-status', status });
    expect([s2.firstRows, s2.loaded, s2.total]).toEqual([s1.firstRows, 1, 1000]);
    // As many: the worker's windows take over.
    const s3 = reducer(s2, { type: 'list-status', status: { ...status, version: 4, size: 2 } });
    expect(s3.firstRows).toBeNull();
    expect(s3.viewSeq).toBeGreaterThan(s2.viewSeq);
  });
  it('keeps the selection on the same cart_key across a refresh that reorders rows', async () => {
    const d = await loaded(3);
    await d.do({ type: 'move', delta: 1 });
    expect(selectedRow(d.state)?.key).toBe('8f36f08beca94f2b51faedcb7c6864b8');
    await d.load(sessions(3).reverse(), 9);
    expect(selectedRow(d.state)?.key).toBe('8f36f08beca94f2b51faedcb7c6864b8');
  });
  it('shows a list that a 4.x server sends newest first in cart_id order, as the id sort says', async () => {
    const d = await new Driver({}).load(sessions(3).reverse(), 9);
    expect(d.state.sortColumn).toBe('id');
    expect((await d.rows()).map((r) => r.summary.cart_id)).toEqual(['4038', '4335', '5000', '5001', '5002']);
  });
  it('follows the cart across a refresh that removed a row above it, and a 304 keeps everything', async () => {
    const d = await loaded(3);
    await d.do({ type: 'move', delta: 3 });
    expect(selectedRow(d.state)?.key).toBe('k00001');
    // Deleted elsewhere: the row above the cursor is gone from the fresh list.
    await d.load(
      sessions(3).filter((x) => x.cart_key !== 'k00000'),
      7,
    );
    expect([d.state.size, d.state.cursor, selectedRow(d.state)?.key]).toEqual([4, 2, 'k00001']);
    // Nothing changed: no new view is asked for.
    const seq = d.state.viewSeq;
    await d.load(d.served, 8);
    expect(d.state.viewSeq).toBe(seq);
    expect([d.state.loading, d.state.lastRefresh, selectedRow(d.state)?.key]).toEqual(['idle', 8, 'k00001']);
  });
  it('counts the sessions received while the rest of the list loads', () => {
    const s1 = reducer(initialState(), {
      type: 'first-page',
      sessions: seed,
      total: 99_903,
      complete: false,
      at: 5,
    });
    const status = { version: 1, size: 1, loading: true, loaded: 41_200, total: null };
    const s2 = reducer(s1, { type: 'list-status', status });
    expect([s2.loaded, s2.total]).toEqual([41_200, 99_903]);
    const s3 = reducer(s2, { type: 'list-loaded', at: 6 });
    expect([s3.loaded, s3.loading]).toEqual([null, 'idle']);
  });
  it('records a failure without losing rows', async () => {
    const d = await loaded(1);
    const s = await d.do({ type: 'load-failed', message: 'down', exitCode: 5 });
    expect(s.size).toBe(3);
    expect(s.loadError).toEqual({ message: 'down', exitCode: 5 });
    expect(s.notice).toEqual({ kind: 'error', text: 'down' });
  });
  it('gives the counts of every status view over every session', async () => {
    const at = Date.UTC(2021, 3, 3, 12, 0, 0);
    const d = await new Driver({}).load(sessions(4), at);
    // k00000-k00002 expired by 04/03 12:00; k00003 and the seed's two (end of April) active.
    expect(d.state.viewCounts).toEqual({ all: 6, active: 3, expiring: 0, expired: 3 });
    await d.do({ type: 'filter-set', text: 'k00003' });
    expect(d.state.viewCounts).toEqual({ all: 6, active: 3, expiring: 0, expired: 3 });
    await d.load(sessions(2), at);
    expect(d.state.viewCounts).toEqual({ all: 4, active: 2, expiring: 0, expired: 2 });
  });
});

describe('navigation', () => {
  it('moves, clamps and scrolls the window', async () => {
    const d = await loaded(20, 5);
    let s = await d.do({ type: 'move', delta: -1 });
    expect(s.cursor).toBe(0);
    s = await d.do(...Array.from({ length: 6 }, () => ({ type: 'move', delta: 1 }) as Action));
    expect(s.cursor).toBe(6);
    expect(s.offset).toBe(2);
    s = await d.do({ type: 'move-to', where: 'last' });
    expect(s.cursor).toBe(21);
    expect(s.offset).toBe(17);
    expect(rowsOnScreen(s).map((r) => r.key)).toEqual(['k00015', 'k00016', 'k00017', 'k00018', 'k00019']);
    s = await d.do({ type: 'move-page', direction: -1 });
    expect(s.cursor).toBe(16);
    s = await d.do({ type: 'move-to', where: 'first' });
    expect([s.cursor, s.offset]).toEqual([0, 0]);
    s = await d.do({ type: 'move-page', direction: 1 });
    expect(s.cursor).toBe(5);
  });
  it('keeps the cursor visible after a resize', async () => {
    const d = await loaded(20, 10);
    const s = await d.do({ type: 'move', delta: 9 }, { type: 'resize', pageSize: 4 });
    expect(s.cursor - s.offset).toBeLessThan(4);
  });
});

describe('filter and sort', () => {
  it('filters by key, name or email as you type, case-insensitively', async () => {
    const d = await loaded(30);
    await d.do({ type: 'filter-start' }, { type: 'filter-set', text: 'CLARK' });
    expect((await d.rows()).map((r) => r.summary.customers_name)).toEqual(['Clark Kent']);
    await d.do({ type: 'filter-set', text: 'afa399' });
    expect((await d.rows()).map((r) => r.summary.customers_name)).toEqual(['John Snow']);
    await d.do({ type: 'filter-set', text: 'c1' }, { type: 'filter-append', text: '2@' });
    expect(await d.keys()).toEqual(['k00012']);
    const s = await d.do(
      { type: 'filter-append', text: 'x' },
      { type: 'filter-backspace' },
      { type: 'filter-accept' },
    );
    expect(s.filterEditing).toBe(false);
    expect(s.filter).toBe('c12@');
    expect(s.viewLength).toBe(1);
    expect((await d.do({ type: 'back' })).viewLength).toBe(32);
  });
  it('cancelling the filter clears it', async () => {
    const d = await loaded(3);
    const s = await d.do(
      { type: 'filter-start' },
      { type: 'filter-set', text: 'zz' },
      { type: 'filter-cancel' },
    );
    expect([s.filter, s.filterEditing, s.viewLength]).toEqual(['', false, 5]);
  });
  it('cycles sort columns and reverses, keeping the selected cart', async () => {
    const d = await loaded(3);
    await d.do({ type: 'move-to', where: 'last' });
    const key = selectedRow(d.state)?.key;
    await d.do({ type: 'sort-next' });
    expect(d.state.sortColumn).toBe('created');
    expect((await d.keys())[0]).toBe('k00000');
    expect(selectedRow(d.state)?.key).toBe(key);
    await d.do({ type: 'sort-next' }, { type: 'sort-next' });
    expect(d.state.sortColumn).toBe('customer');
    expect((await d.rows()).map((r) => r.summary.customers_name)).toEqual([
      'Clark Kent',
      'Customer 0',
      'Customer 1',
      'Customer 2',
      'John Snow',
    ]);
    await d.do({ type: 'sort-reverse' });
    expect((await d.rows())[0]?.summary.customers_name).toBe('John Snow');
    expect(selectedRow(d.state)?.key).toBe(key);
  });
  it('sorts by every column as the rows it held did', async () => {
    const d = await loaded(6);
    const order = async () => (await d.keys()).join(' ');
    const seen: Record<string, string> = {};
    for (let i = 0; i < SORT_COLUMNS.length; i++) {
      seen[d.state.sortColumn] = await order();
      await d.do({ type: 'sort-next' });
    }
    expect(d.state.sortColumn).toBe('id');
    // No cart read: sorting by items or value keeps cart_id order.
    expect(seen.items).toBe(seen.id);
    expect(seen.value).toBe(seen.id);
    const [a, b] = seed.map((x) => x.cart_key);
    const ks = ['k00000', 'k00001', 'k00002', 'k00003', 'k00004', 'k00005'];
    expect(seen.id).toBe([a, b, ...ks].join(' '));
    expect(seen.key).toBe([...[a, b].sort(), ...ks].sort().join(' '));
    // 'cocart' before 'woocommerce', then by cart_id: the seed's second cart is a cocart one.
    expect(seen.source?.split(' ').slice(0, 4)).toEqual([b, 'k00001', 'k00003', 'k00005']);
  });

  it('sorts by value over the carts read: the list worker puts them first, the rest in cart_id order', async () => {
    const d = await loaded(6);
    const gbp = (minor: number, itemCount: number): CartFigures => ({
      itemCount,
      totalMinor: minor,
      currencyCode: 'GBP',
      total: `£${(minor / 100).toFixed(2)}`,
    });
    const figures = new Map([
      ['k00003', gbp(500, 1)],
      ['k00001', gbp(9900, 3)],
      ['k00004', gbp(2000, 9)],
    ]);
    while (d.state.sortColumn !== 'items') await d.do({ type: 'sort-next', figures });
    const [a, b] = seed.map((x) => x.cart_key);
    expect((await d.keys()).slice(0, 4)).toEqual(['k00003', 'k00001', 'k00004', a]);
    expect(d.state.figuresRead).toBe(3);
    await d.do({ type: 'sort-next', figures });
    expect(d.state.sortColumn).toBe('value');
    expect((await d.keys()).slice(0, 4)).toEqual(['k00003', 'k00004', 'k00001', a]);
    // Descending: the biggest cart first, and still the unread after every read one.
    await d.do({ type: 'sort-reverse' });
    expect((await d.keys()).slice(0, 5)).toEqual(['k00001', 'k00004', 'k00003', a, b]);
  });
});

describe('screens', () => {
  it('opens the cart of the selected row and goes back', async () => {
    const d = await loaded(0);
    let s = await d.do({ type: 'move', delta: 1 }, { type: 'open-cart' });
    expect(s.screen).toBe('cart');
    expect(s.cart).toEqual({ key: '8f36f08beca94f2b51faedcb7c6864b8', status: 'loading' });
    s = reducer(s, { type: 'cart-failed', key: 'other', message: 'x' });
    expect(s.cart?.status).toBe('loading');
    s = reducer(s, { type: 'cart-failed', key: '8f36f08beca94f2b51faedcb7c6864b8', message: 'gone' });
    expect(s.cart).toMatchObject({ status: 'error', message: 'gone' });
    s = reducer(s, { type: 'back' });
    expect(s.screen).toBe('list');
  });
  it('items from the cart view return to the cart', async () => {
    const d = await loaded(0);
    let s = await d.do({ type: 'open-cart' }, { type: 'open-items' });
    expect(s.items).toEqual({ key: seed[0]?.cart_key, status: 'loading' });
    s = reducer(s, { type: 'back' });
    expect(s.screen).toBe('cart');
  });
  it('help returns where it was opened', async () => {
    const d = await loaded(0);
    let s = await d.do({ type: 'open-cart' }, { type: 'help' });
    expect(s.screen).toBe('help');
    s = reducer(s, { type: 'back' });
    expect(s.screen).toBe('cart');
  });
  it('clamps detail scrolling', async () => {
    const d = await loaded(0);
    const s = await d.do({ type: 'open-cart' }, { type: 'scroll', delta: 50, max: 7 });
    expect(s.detailOffset).toBe(7);
    expect(reducer(s, { type: 'scroll', delta: -100, max: 7 }).detailOffset).toBe(0);
  });
});

describe('delete', () => {
  it('asks, naming the cart and customer, then removes the row on success', async () => {
    const d = await loaded(0);
    let s = await d.do({ type: 'move', delta: 1 }, { type: 'delete-ask' });
    expect(s.confirm).toEqual({ key: '8f36f08beca94f2b51faedcb7c6864b8', name: 'Clark Kent' });
    s = await d.do({ type: 'delete-confirm' });
    expect(s.deleting).toBe('8f36f08beca94f2b51faedcb7c6864b8');
    s = await d.do({ type: 'delete-done', key: '8f36f08beca94f2b51faedcb7c6864b8', outcome: 'deleted' });
    expect(await d.keys()).toEqual(['afa399e3a0647fe660438409d9ad7eb9']);
    expect(s.notice?.text).toBe('Deleted cart 8f36f08beca94f2b51faedcb7c6864b8.');
    expect(s.cursor).toBe(0);
  });
  it('reports a 404 as already gone and drops the row', async () => {
    const d = await loaded(0);
    const s = await d.do(
      { type: 'delete-ask' },
      { type: 'delete-confirm' },
      { type: 'delete-done', key: 'afa399e3a0647fe660438409d9ad7eb9', outcome: 'gone' },
    );
    expect(s.notice?.text).toMatch(/already gone/);
    expect(s.size).toBe(1);
  });
  it('keeps the list on failure and after a cancel', async () => {
    const d = await loaded(0);
    let s = await d.do({ type: 'delete-ask' }, { type: 'delete-cancel' });
    expect(s.confirm).toBeNull();
    s = await d.do(
      { type: 'delete-ask' },
      { type: 'delete-confirm' },
      { type: 'delete-failed', key: 'afa399e3a0647fe660438409d9ad7eb9', message: 'boom' },
    );
    expect(s.size).toBe(2);
    expect(s.deleting).toBeNull();
    expect(s.notice).toEqual({
      kind: 'error',
      text: 'Could not delete cart afa399e3a0647fe660438409d9ad7eb9: boom',
    });
  });
  it('never asks under read-only', async () => {
    const d = await new Driver({ readOnly: true }).load(seed, 1);
    expect((await d.do({ type: 'delete-ask' })).confirm).toBeNull();
  });
});

describe('status views', () => {
  // Expiries of sessions(n) are in April 2021 (day 1 + i); at 04/03 12:00 UTC, k00000 (04/01) and
  // k00001 (04/02) are expired, k00002 (04/03 10:00) too, k00003 (04/04 10:00) is active.
  const at = Date.UTC(2021, 3, 3, 12, 0, 0);
  it('cycles all → active → expiring → expired → all, combined with the filter and the sort', async () => {
    const d = await new Driver({ pageSize: 50 }).load(sessions(4), at);
    expect(d.state.statusView).toBe('all');
    const seedKeys = seed.map((x) => x.cart_key);
    await d.do({ type: 'status-next', now: at });
    expect(d.state.statusView).toBe('active');
    // The seed's sessions expire at the end of April.
    expect(await d.keys()).toEqual([...seedKeys, 'k00003']);
    await d.do({ type: 'status-next', now: Date.UTC(2021, 3, 4, 5, 0, 0) });
    expect(d.state.statusView).toBe('expiring');
    expect(await d.keys()).toEqual(['k00003']);
    await d.do({ type: 'status-next', now: at });
    expect(d.state.statusView).toBe('expired');
    expect(await d.keys()).toEqual(['k00000', 'k00001', 'k00002']);
    await d.do({ type: 'filter-set', text: 'customer' }, { type: 'sort-reverse' });
    expect(await d.keys()).toEqual(['k00002', 'k00001', 'k00000']);
    await d.do({ type: 'status-next', now: at });
    expect(d.state.statusView).toBe('all');
    expect(await d.keys()).toEqual(['k00003', 'k00002', 'k00001', 'k00000']);
    expect(d.state.viewLength).toBe(4);
  });
});

describe('marking and bulk delete', () => {
  it('marks with space (moving down), marks the whole view, and Esc clears the marks first', async () => {
    const d = await loaded(6, 20);
    let s = await d.do({ type: 'mark-toggle' }, { type: 'mark-toggle' }, { type: 'mark-toggle' });
    expect([...s.marked]).toEqual([seed[0]?.cart_key, seed[1]?.cart_key, 'k00000']);
    expect(await d.list.markedKeys()).toEqual([seed[0]?.cart_key, seed[1]?.cart_key, 'k00000']);
    expect(s.cursor).toBe(3);
    s = await d.do({ type: 'move', delta: -1 }, { type: 'mark-toggle' });
    expect(s.marked.has('k00000')).toBe(false);
    s = await d.do({ type: 'filter-set', text: 'customer 1' }, { type: 'mark-view' });
    expect((await d.list.markedKeys()).sort()).toEqual(
      [seed[0]?.cart_key, seed[1]?.cart_key, 'k00001'].sort(),
    );
    expect(s.markedCount).toBe(3);
    // Pressed again with the whole view marked, it unmarks the view.
    s = await d.do({ type: 'mark-view' });
    expect(s.marked.has('k00001')).toBe(false);
    expect(s.markedCount).toBe(2);
    s = await d.do({ type: 'mark-view' }, { type: 'back' });
    expect([s.marked.size, s.markedCount]).toEqual([0, 0]);
    expect(await d.list.markedKeys()).toEqual([]);
    expect(s.filter).toBe('customer 1');
    s = await d.do({ type: 'back' });
    expect(s.filter).toBe('');
  });

  it('asks once naming the count, then counts progress and ends on a summary; failed rows stay marked', async () => {
    const d = await loaded(4, 20);
    await d.do({ type: 'move-to', where: 'last' }, { type: 'mark-toggle' });
    await d.do({ type: 'move-to', where: 'first' }, { type: 'mark-toggle' }, { type: 'mark-toggle' });
    const keys = [seed[0]?.cart_key, seed[1]?.cart_key, 'k00003'] as string[];
    let s = await d.do({ type: 'delete-ask' });
    expect(s.confirm).toEqual({ keys });
    s = await d.do({ type: 'bulk-start' });
    expect(s.confirm).toBeNull();
    expect(s.bulk).toEqual({ total: 3, done: 0, deleted: 0, gone: 0, failures: [] });
    const results = [
      { key: keys[0] as string, outcome: 'deleted' as const },
      { key: keys[1] as string, outcome: 'gone' as const },
      { key: 'k00003', outcome: 'failed' as const, message: 'boom', exitCode: 1 },
    ];
    for (const result of results) s = await d.do({ type: 'bulk-progress', result });
    expect(s.bulk).toMatchObject({
      done: 3,
      deleted: 1,
      gone: 1,
      failures: [{ key: 'k00003', message: 'boom' }],
    });
    // The rows are still there until the end.
    expect(s.size).toBe(6);
    s = await d.do({ type: 'bulk-done', results });
    expect(s.bulk).toBeNull();
    expect(s.screen).toBe('summary');
    expect(s.summary).toMatchObject({ total: 3, deleted: 1, gone: 1 });
    expect(await d.keys()).toEqual(['k00000', 'k00001', 'k00002', 'k00003']);
    expect([...s.marked]).toEqual(['k00003']);
    expect(s.markedCount).toBe(1);
    expect(s.notice).toEqual({ kind: 'error', text: '1 deleted, 1 already gone, 1 failed.' });
    s = await d.do({ type: 'back' });
    expect(s.screen).toBe('list');
  });

  it('marks nothing and asks nothing about marks under read-only', async () => {
    const d = await new Driver({ readOnly: true, pageSize: 20 }).load(sessions(2), 1);
    const s = await d.do({ type: 'mark-toggle' }, { type: 'mark-view' }, { type: 'delete-ask' });
    expect([s.marked.size, s.markedCount]).toEqual([0, 0]);
    expect(s.confirm).toBeNull();
  });

  it('drops marks of rows a refresh no longer has', async () => {
    const d = await loaded(3, 20);
    await d.do({ type: 'move-to', where: 'last' }, { type: 'mark-toggle' });
    expect([...d.state.marked]).toEqual(['k00002']);
    await d.load(sessions(2), 2);
    expect([d.state.marked.size, d.state.markedCount]).toEqual([0, 0]);
  });
});
