import type { SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import listFixture from '../../../../../fixtures/sessions-list.json' with { type: 'json' };
import { type Action, initialState, reducer, type State, selectedRow } from './reducer.js';

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

const run = (state: State, ...actions: Action[]) => actions.reduce(reducer, state);
const loaded = (n = 0, pageSize = 5) =>
  run(initialState({ pageSize }), { type: 'all-loaded', sessions: sessions(n), at: 1 });

describe('loading', () => {
  it('starts loading and shows the first page before the rest', () => {
    const s0 = initialState();
    expect(s0.loading).toBe('initial');
    const s1 = reducer(s0, { type: 'first-page', sessions: seed, total: 1000, complete: false, at: 5 });
    expect(s1.loading).toBe('more');
    expect(s1.view.map((r) => r.key)).toEqual(seed.map((s) => s.cart_key));
    expect(s1.lastRefresh).toBe(5);
    const s2 = reducer(s1, { type: 'all-loaded', sessions: sessions(3), at: 6 });
    expect(s2.loading).toBe('idle');
    expect(s2.total).toBe(5);
  });
  it('keeps the selection on the same cart_key across a refresh that reorders rows', () => {
    const s = run(loaded(3), { type: 'move', delta: 1 });
    expect(selectedRow(s)?.key).toBe('8f36f08beca94f2b51faedcb7c6864b8');
    const refreshed = reducer(s, { type: 'all-loaded', sessions: sessions(3).reverse(), at: 9 });
    expect(selectedRow(refreshed)?.key).toBe('8f36f08beca94f2b51faedcb7c6864b8');
  });
  it('shows a list that a 4.x server sends newest first in cart_id order, as the id sort says', () => {
    const s = loaded(0);
    const newestFirst = reducer(s, { type: 'all-loaded', sessions: sessions(3).reverse(), at: 9 });
    expect(newestFirst.sortColumn).toBe('id');
    expect(newestFirst.view.map((r) => r.summary.cart_id)).toEqual(['4038', '4335', '5000', '5001', '5002']);
  });
  it('applies prebuilt rows with the cursor on the same cart, and a 304 refresh keeps everything', async () => {
    const { applyDelta, diffSessions } = await import('../../list-feed/list-delta.js');
    const s = run(loaded(3), { type: 'move', delta: 3 });
    const key = selectedRow(s)?.key;
    expect(key).toBe('k00001');
    // Deleted elsewhere: the row above the cursor is gone from the fresh list.
    const fresh = sessions(3).filter((x) => x.cart_key !== 'k00000');
    const diff = await diffSessions(new Map(s.rows.map((r) => [r.key, r.summary])), fresh);
    const rows = diff && (await applyDelta(s.rows, diff.delta));
    const refreshing = reducer(s, { type: 'load-start', mode: 'refresh' });
    const after = reducer(refreshing, { type: 'rows-loaded', rows: rows ?? [], at: 7 });
    expect(after.rows).toHaveLength(4);
    expect(selectedRow(after)?.key).toBe('k00001');
    expect(after.cursor).toBe(2);
    // Unchanged sessions keep their row objects (nothing rebuilt).
    expect(after.rows.find((r) => r.key === 'k00002')).toBe(s.rows.find((r) => r.key === 'k00002'));
    const unchanged = reducer(reducer(after, { type: 'load-start', mode: 'refresh' }), {
      type: 'refresh-unchanged',
      at: 8,
    });
    expect(unchanged.rows).toBe(after.rows);
    expect([unchanged.loading, unchanged.lastRefresh, selectedRow(unchanged)?.key]).toEqual([
      'idle',
      8,
      'k00001',
    ]);
  });
  it('counts the sessions received while the rest of the list loads', () => {
    const s1 = reducer(initialState(), {
      type: 'first-page',
      sessions: seed,
      total: 99_903,
      complete: false,
      at: 5,
    });
    const s2 = reducer(s1, { type: 'load-progress', loaded: 41_200, total: null });
    expect([s2.loaded, s2.total]).toEqual([41_200, 99_903]);
    const s3 = reducer(s2, { type: 'all-loaded', sessions: sessions(3), at: 6 });
    expect(s3.loaded).toBeNull();
    // A late progress report after the load ended changes nothing.
    expect(reducer(s3, { type: 'load-progress', loaded: 5, total: 5 })).toBe(s3);
  });
  it('records a failure without losing rows', () => {
    const s = reducer(loaded(1), { type: 'load-failed', message: 'down', exitCode: 5 });
    expect(s.rows).toHaveLength(3);
    expect(s.loadError).toEqual({ message: 'down', exitCode: 5 });
    expect(s.notice).toEqual({ kind: 'error', text: 'down' });
  });
});

describe('navigation', () => {
  it('moves, clamps and scrolls the window', () => {
    let s = loaded(20, 5);
    s = reducer(s, { type: 'move', delta: -1 });
    expect(s.cursor).toBe(0);
    s = run(s, ...Array.from({ length: 6 }, () => ({ type: 'move', delta: 1 }) as Action));
    expect(s.cursor).toBe(6);
    expect(s.offset).toBe(2);
    s = reducer(s, { type: 'move-to', where: 'last' });
    expect(s.cursor).toBe(21);
    expect(s.offset).toBe(17);
    s = reducer(s, { type: 'move-page', direction: -1 });
    expect(s.cursor).toBe(16);
    s = reducer(s, { type: 'move-to', where: 'first' });
    expect([s.cursor, s.offset]).toEqual([0, 0]);
    s = reducer(s, { type: 'move-page', direction: 1 });
    expect(s.cursor).toBe(5);
  });
  it('keeps the cursor visible after a resize', () => {
    const s = run(loaded(20, 10), { type: 'move', delta: 9 }, { type: 'resize', pageSize: 4 });
    expect(s.cursor - s.offset).toBeLessThan(4);
  });
});

describe('filter and sort', () => {
  it('filters by key, name or email as you type, case-insensitively', () => {
    let s = run(loaded(30), { type: 'filter-start' }, { type: 'filter-set', text: 'CLARK' });
    expect(s.view.map((r) => r.summary.customers_name)).toEqual(['Clark Kent']);
    s = reducer(s, { type: 'filter-set', text: 'afa399' });
    expect(s.view.map((r) => r.summary.customers_name)).toEqual(['John Snow']);
    s = run(s, { type: 'filter-set', text: 'c1' }, { type: 'filter-append', text: '2@' });
    expect(s.view.map((r) => r.key)).toEqual(['k00012']);
    s = run(s, { type: 'filter-append', text: 'x' }, { type: 'filter-backspace' }, { type: 'filter-accept' });
    expect(s.filterEditing).toBe(false);
    expect(s.filter).toBe('c12@');
    s = reducer(s, { type: 'back' });
    expect(s.view).toHaveLength(32);
  });
  it('cancelling the filter clears it', () => {
    const s = run(
      loaded(3),
      { type: 'filter-start' },
      { type: 'filter-set', text: 'zz' },
      { type: 'filter-cancel' },
    );
    expect([s.filter, s.filterEditing, s.view.length]).toEqual(['', false, 5]);
  });
  it('cycles sort columns and reverses, keeping the selected cart', () => {
    let s = run(loaded(3), { type: 'move-to', where: 'last' });
    const key = selectedRow(s)?.key;
    s = reducer(s, { type: 'sort-next' });
    expect(s.sortColumn).toBe('created');
    expect(s.view[0]?.key).toBe('k00000');
    expect(selectedRow(s)?.key).toBe(key);
    s = run(s, { type: 'sort-next' }, { type: 'sort-next' });
    expect(s.sortColumn).toBe('customer');
    expect(s.view.map((r) => r.summary.customers_name)).toEqual([
      'Clark Kent',
      'Customer 0',
      'Customer 1',
      'Customer 2',
      'John Snow',
    ]);
    s = reducer(s, { type: 'sort-reverse' });
    expect(s.view[0]?.summary.customers_name).toBe('John Snow');
  });
});

describe('screens', () => {
  it('opens the cart of the selected row and goes back', () => {
    let s = run(loaded(0), { type: 'move', delta: 1 }, { type: 'open-cart' });
    expect(s.screen).toBe('cart');
    expect(s.cart).toEqual({ key: '8f36f08beca94f2b51faedcb7c6864b8', status: 'loading' });
    s = reducer(s, { type: 'cart-failed', key: 'other', message: 'x' });
    expect(s.cart?.status).toBe('loading');
    s = reducer(s, { type: 'cart-failed', key: '8f36f08beca94f2b51faedcb7c6864b8', message: 'gone' });
    expect(s.cart).toMatchObject({ status: 'error', message: 'gone' });
    s = reducer(s, { type: 'back' });
    expect(s.screen).toBe('list');
  });
  it('items from the cart view return to the cart', () => {
    let s = run(loaded(0), { type: 'open-cart' }, { type: 'open-items' });
    expect(s.items).toEqual({ key: seed[0]?.cart_key, status: 'loading' });
    s = reducer(s, { type: 'back' });
    expect(s.screen).toBe('cart');
  });
  it('help returns where it was opened', () => {
    let s = run(loaded(0), { type: 'open-cart' }, { type: 'help' });
    expect(s.screen).toBe('help');
    s = reducer(s, { type: 'back' });
    expect(s.screen).toBe('cart');
  });
  it('clamps detail scrolling', () => {
    const s = run(loaded(0), { type: 'open-cart' }, { type: 'scroll', delta: 50, max: 7 });
    expect(s.detailOffset).toBe(7);
    expect(reducer(s, { type: 'scroll', delta: -100, max: 7 }).detailOffset).toBe(0);
  });
});

describe('delete', () => {
  it('asks, naming the cart and customer, then removes the row on success', () => {
    let s = run(loaded(0), { type: 'move', delta: 1 }, { type: 'delete-ask' });
    expect(s.confirm).toEqual({ key: '8f36f08beca94f2b51faedcb7c6864b8', name: 'Clark Kent' });
    s = reducer(s, { type: 'delete-confirm' });
    expect(s.deleting).toBe('8f36f08beca94f2b51faedcb7c6864b8');
    s = reducer(s, { type: 'delete-done', key: '8f36f08beca94f2b51faedcb7c6864b8', outcome: 'deleted' });
    expect(s.view.map((r) => r.key)).toEqual(['afa399e3a0647fe660438409d9ad7eb9']);
    expect(s.notice?.text).toBe('Deleted cart 8f36f08beca94f2b51faedcb7c6864b8.');
    expect(s.cursor).toBe(0);
  });
  it('reports a 404 as already gone and drops the row', () => {
    const s = run(
      loaded(0),
      { type: 'delete-ask' },
      { type: 'delete-confirm' },
      {
        type: 'delete-done',
        key: 'afa399e3a0647fe660438409d9ad7eb9',
        outcome: 'gone',
      },
    );
    expect(s.notice?.text).toMatch(/already gone/);
    expect(s.rows).toHaveLength(1);
  });
  it('keeps the list on failure and after a cancel', () => {
    let s = run(loaded(0), { type: 'delete-ask' }, { type: 'delete-cancel' });
    expect(s.confirm).toBeNull();
    s = run(
      s,
      { type: 'delete-ask' },
      { type: 'delete-confirm' },
      {
        type: 'delete-failed',
        key: 'afa399e3a0647fe660438409d9ad7eb9',
        message: 'boom',
      },
    );
    expect(s.rows).toHaveLength(2);
    expect(s.deleting).toBeNull();
    expect(s.notice).toEqual({
      kind: 'error',
      text: 'Could not delete cart afa399e3a0647fe660438409d9ad7eb9: boom',
    });
  });
  it('never asks under read-only', () => {
    const s = reducer(run(initialState({ readOnly: true }), { type: 'all-loaded', sessions: seed, at: 1 }), {
      type: 'delete-ask',
    });
    expect(s.confirm).toBeNull();
  });
});

describe('status views', () => {
  // Expiries of sessions(n) are in April 2021 (day 1 + i); at 04/03 12:00 UTC, k00000 (04/01) and
  // k00001 (04/02) are expired, k00002 (04/03 10:00) too, k00003 (04/04 10:00) is active.
  const at = Date.UTC(2021, 3, 3, 12, 0, 0);
  it('cycles all → active → expiring → expired → all, combined with the filter and the sort', () => {
    let s = run(initialState({ pageSize: 50 }), { type: 'all-loaded', sessions: sessions(4), at });
    expect(s.statusView).toBe('all');
    const seedKeys = seed.map((x) => x.cart_key);
    s = reducer(s, { type: 'status-next', now: at });
    expect(s.statusView).toBe('active');
    // The seed's sessions expire at the end of April.
    expect(s.view.map((r) => r.key)).toEqual([...seedKeys, 'k00003']);
    s = reducer(s, { type: 'status-next', now: Date.UTC(2021, 3, 4, 5, 0, 0) });
    expect(s.statusView).toBe('expiring');
    expect(s.view.map((r) => r.key)).toEqual(['k00003']);
    s = reducer(s, { type: 'status-next', now: at });
    expect(s.statusView).toBe('expired');
    expect(s.view.map((r) => r.key)).toEqual(['k00000', 'k00001', 'k00002']);
    s = run(s, { type: 'filter-set', text: 'customer' }, { type: 'sort-reverse' });
    expect(s.view.map((r) => r.key)).toEqual(['k00002', 'k00001', 'k00000']);
    s = reducer(s, { type: 'status-next', now: at });
    expect(s.statusView).toBe('all');
    expect(s.view.map((r) => r.key)).toEqual(['k00003', 'k00002', 'k00001', 'k00000']);
    expect(s.view).toHaveLength(4);
  });
});

describe('marking and bulk delete', () => {
  it('marks with space (moving down), marks the whole view, and Esc clears the marks first', () => {
    let s = loaded(6, 20);
    s = run(s, { type: 'mark-toggle' }, { type: 'mark-toggle' }, { type: 'mark-toggle' });
    expect([...s.marked]).toEqual([seed[0]?.cart_key, seed[1]?.cart_key, 'k00000']);
    expect(s.cursor).toBe(3);
    s = run(s, { type: 'move', delta: -1 }, { type: 'mark-toggle' });
    expect(s.marked.has('k00000')).toBe(false);
    s = run(s, { type: 'filter-set', text: 'customer 1' }, { type: 'mark-view' });
    expect([...s.marked].sort()).toEqual([seed[0]?.cart_key, seed[1]?.cart_key, 'k00001'].sort());
    // Pressed again with the whole view marked, it unmarks the view.
    s = reducer(s, { type: 'mark-view' });
    expect(s.marked.has('k00001')).toBe(false);
    s = run(s, { type: 'mark-view' }, { type: 'back' });
    expect(s.marked.size).toBe(0);
    expect(s.filter).toBe('customer 1');
    s = reducer(s, { type: 'back' });
    expect(s.filter).toBe('');
  });

  it('asks once naming the count, then counts progress and ends on a summary; failed rows stay marked', () => {
    let s = loaded(4, 20);
    s = run(s, { type: 'move-to', where: 'last' }, { type: 'mark-toggle' });
    s = run(s, { type: 'move-to', where: 'first' }, { type: 'mark-toggle' }, { type: 'mark-toggle' });
    const keys = [seed[0]?.cart_key, seed[1]?.cart_key, 'k00003'] as string[];
    s = reducer(s, { type: 'delete-ask' });
    expect(s.confirm).toEqual({ keys });
    s = reducer(s, { type: 'bulk-start' });
    expect(s.confirm).toBeNull();
    expect(s.bulk).toEqual({ total: 3, done: 0, deleted: 0, gone: 0, failures: [] });
    const results = [
      { key: keys[0] as string, outcome: 'deleted' as const },
      { key: keys[1] as string, outcome: 'gone' as const },
      { key: 'k00003', outcome: 'failed' as const, message: 'boom', exitCode: 1 },
    ];
    for (const result of results) s = reducer(s, { type: 'bulk-progress', result });
    expect(s.bulk).toMatchObject({
      done: 3,
      deleted: 1,
      gone: 1,
      failures: [{ key: 'k00003', message: 'boom' }],
    });
    // The rows are still there until the end.
    expect(s.rows).toHaveLength(6);
    s = reducer(s, { type: 'bulk-done', results });
    expect(s.bulk).toBeNull();
    expect(s.screen).toBe('summary');
    expect(s.summary).toMatchObject({ total: 3, deleted: 1, gone: 1 });
    expect(s.rows.map((r) => r.key)).toEqual(['k00000', 'k00001', 'k00002', 'k00003']);
    expect([...s.marked]).toEqual(['k00003']);
    expect(s.notice).toEqual({ kind: 'error', text: '1 deleted, 1 already gone, 1 failed.' });
    s = reducer(s, { type: 'back' });
    expect(s.screen).toBe('list');
  });

  it('marks nothing and asks nothing about marks under read-only', () => {
    let s = run(initialState({ readOnly: true, pageSize: 20 }), {
      type: 'all-loaded',
      sessions: sessions(2),
      at: 1,
    });
    s = run(s, { type: 'mark-toggle' }, { type: 'mark-view' }, { type: 'delete-ask' });
    expect(s.marked.size).toBe(0);
    expect(s.confirm).toBeNull();
  });

  it('drops marks of rows a refresh no longer has', () => {
    let s = loaded(3, 20);
    s = run(s, { type: 'move-to', where: 'last' }, { type: 'mark-toggle' });
    expect([...s.marked]).toEqual(['k00002']);
    s = reducer(s, { type: 'all-loaded', sessions: sessions(2), at: 2 });
    expect(s.marked.size).toBe(0);
  });
});
