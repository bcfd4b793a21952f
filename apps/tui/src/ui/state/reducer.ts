import type { Cart, ItemsMap, SessionSummary } from '@cocart-sessions/core';
import type { CartFigures } from '../../cart-values/cart-figures.js';
import { SESSION_STATUSES, type SessionStatus } from '../../format/time.js';
import type { DeleteResult } from '../../sessions/bulk-delete.js';
import { type SessionRow, toSessionRow } from '../../sessions/session-row.js';
import { inIdOrder, nextSortColumn, type SortColumn, visibleRows } from '../../sessions/sort.js';

/** The screens of the TUI; `summary` reports a finished bulk delete. */
export type Screen = 'list' | 'cart' | 'items' | 'help' | 'summary';

/** Which sessions the list shows by status: the status key cycles all → active → expiring → expired. */
export type StatusView = 'all' | SessionStatus;

/** The y/N question: one cart (`d` on a row or the cart view), or every marked cart. */
export type Confirm = { key: string; name: string } | { keys: readonly string[] };

/** A bulk delete under way, or finished (then shown on the summary screen). */
export interface BulkDelete {
  total: number;
  done: number;
  deleted: number;
  gone: number;
  failures: Array<{ key: string; message: string }>;
}

/** Something fetched for one cart (the cart view or the items view). */
export type Detail<T> =
  | { key: string; status: 'loading' }
  | { key: string; status: 'loaded'; value: T }
  | { key: string; status: 'error'; message: string };

/** A line in the status bar: what just happened. */
export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

/** The whole UI state; the reducer is the only thing that changes it. */
export interface State {
  screen: Screen;
  /** Where `?` was pressed, so Esc returns there. */
  helpReturn: Screen;
  readOnly: boolean;
  rows: SessionRow[];
  /** `rows` filtered and sorted: what the table shows. */
  view: SessionRow[];
  /** 'initial' until the first page arrives; 'more' while the rest streams in. */
  loading: 'idle' | 'initial' | 'more' | 'refresh';
  /** Total sessions the server reported, when known before all rows are here. */
  total: number | null;
  /** Sessions received so far while the full list loads (`loading 41,200 of 99,903…`). */
  loaded: number | null;
  /** A failure of the list load (shown as the error screen when there are no rows). */
  loadError: { message: string; exitCode: number } | null;
  lastRefresh: number | null;
  filter: string;
  filterEditing: boolean;
  sortColumn: SortColumn;
  sortDescending: boolean;
  /** The carts read when the sort was last chosen: what sorting by items or value works over. */
  figures: ReadonlyMap<string, CartFigures>;
  cursor: number;
  /** First table row on screen. */
  offset: number;
  /** Table rows that fit on screen. */
  pageSize: number;
  cart: Detail<Cart> | null;
  items: Detail<{ items: ItemsMap; cart: Cart }> | null;
  /** Scroll offset of the cart and items views. */
  detailOffset: number;
  confirm: Confirm | null;
  deleting: string | null;
  notice: Notice | null;
  statusView: StatusView;
  /** The moment the status view is computed at (the last load or status change). */
  statusAt: number;
  /** Keys of the marked rows (space, `a`); kept across filters, sorts and status views. */
  marked: ReadonlySet<string>;
  /** The bulk delete running, or null. */
  bulk: BulkDelete | null;
  /** The last finished bulk delete, shown on the summary screen. */
  summary: BulkDelete | null;
}

/** Everything that can happen to the state. */
export type Action =
  | { type: 'load-start'; mode: 'initial' | 'refresh' }
  | { type: 'first-page'; sessions: SessionSummary[]; total: number; complete: boolean; at: number }
  | { type: 'all-loaded'; sessions: SessionSummary[]; at: number }
  /** The full list as rows already built (off the reducer, in time slices) and in cart_id order. */
  | { type: 'rows-loaded'; rows: SessionRow[]; at: number }
  | { type: 'load-progress'; loaded: number; total: number | null }
  /** A refresh the server answered 304: the rows on screen are current. */
  | { type: 'refresh-unchanged'; at: number }
  | { type: 'load-failed'; message: string; exitCode: number }
  | { type: 'resize'; pageSize: number }
  | { type: 'move'; delta: number }
  | { type: 'move-page'; direction: 1 | -1 }
  | { type: 'move-to'; where: 'first' | 'last' }
  | { type: 'filter-start' }
  | { type: 'filter-set'; text: string }
  | { type: 'filter-append'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-accept' }
  | { type: 'filter-cancel' }
  /** `figures`: the carts read so far, for sorting by items or value. */
  | { type: 'sort-next'; figures?: ReadonlyMap<string, CartFigures> }
  | { type: 'sort-reverse'; figures?: ReadonlyMap<string, CartFigures> }
  | { type: 'open-cart' }
  | { type: 'cart-loaded'; key: string; cart: Cart }
  | { type: 'cart-failed'; key: string; message: string }
  | { type: 'open-items' }
  | { type: 'items-loaded'; key: string; items: ItemsMap; cart: Cart }
  | { type: 'items-failed'; key: string; message: string }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'back' }
  | { type: 'help' }
  | { type: 'delete-ask' }
  | { type: 'delete-cancel' }
  | { type: 'delete-confirm' }
  | { type: 'delete-done'; key: string; outcome: 'deleted' | 'gone' }
  | { type: 'delete-failed'; key: string; message: string }
  | { type: 'notice'; notice: Notice | null }
  | { type: 'status-next'; now: number }
  | { type: 'mark-toggle' }
  | { type: 'mark-view' }
  | { type: 'marks-clear' }
  | { type: 'bulk-start' }
  | { type: 'bulk-progress'; result: DeleteResult }
  | { type: 'bulk-done'; results: readonly DeleteResult[] };

/** The state before anything has loaded. */
export function initialState(opts: { readOnly?: boolean; pageSize?: number } = {}): State {
  return {
    screen: 'list',
    helpReturn: 'list',
    readOnly: opts.readOnly ?? false,
    rows: [],
    view: [],
    loading: 'initial',
    total: null,
    loaded: null,
    loadError: null,
    lastRefresh: null,
    filter: '',
    filterEditing: false,
    sortColumn: 'id',
    sortDescending: false,
    figures: new Map(),
    cursor: 0,
    offset: 0,
    pageSize: opts.pageSize ?? 20,
    cart: null,
    items: null,
    detailOffset: 0,
    confirm: null,
    deleting: null,
    notice: null,
    statusView: 'all',
    statusAt: 0,
    marked: new Set(),
    bulk: null,
    summary: null,
  };
}

/** The keys the y/N question is about. */
export function confirmKeys(confirm: Confirm): readonly string[] {
  return 'keys' in confirm ? confirm.keys : [confirm.key];
}

/** The next status view of the cycle. */
export function nextStatusView(view: StatusView): StatusView {
  const order: StatusView[] = ['all', ...SESSION_STATUSES];
  return order[(order.indexOf(view) + 1) % order.length] ?? 'all';
}

/** The row under the cursor, if any. */
export function selectedRow(state: State): SessionRow | undefined {
  return state.view[state.cursor];
}

/** The cart `i` shows the items of: the open cart on the cart view, else the row under the cursor. */
export function itemsKey(state: State): string | undefined {
  return state.screen === 'cart' && state.cart ? state.cart.key : selectedRow(state)?.key;
}

/** Puts the cursor at `cursor` (clamped) and scrolls so it stays on screen. */
function place(state: State, cursor: number): State {
  const max = state.view.length - 1;
  const c = max < 0 ? 0 : Math.min(Math.max(cursor, 0), max);
  let offset = state.offset;
  if (c < offset) offset = c;
  if (c >= offset + state.pageSize) offset = c - state.pageSize + 1;
  offset = Math.max(0, Math.min(offset, Math.max(0, state.view.length - state.pageSize)));
  return { ...state, cursor: c, offset };
}

/**
 * Recomputes the view and keeps the cursor on the selected cart when it is still visible: across
 * refreshes, filters and sorts the cursor follows its cart_key. `state.view` is still the old view here.
 */
function reView(state: State, keepKey: string | null = selectedRow(state)?.key ?? null): State {
  const status = state.statusView === 'all' ? undefined : { is: state.statusView, at: state.statusAt };
  const view = visibleRows(
    state.rows,
    state.filter,
    state.sortColumn,
    state.sortDescending,
    status,
    state.figures,
  );
  let cursor = keepKey === null ? -1 : view.findIndex((r) => r.key === keepKey);
  if (cursor === -1) cursor = Math.min(state.cursor, Math.max(0, view.length - 1));
  return place({ ...state, view }, cursor);
}

/** The pure state machine of the TUI. */
export function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'load-start':
      return {
        ...state,
        loading: action.mode,
        loadError: action.mode === 'initial' ? null : state.loadError,
      };
    case 'first-page': {
      const rows = inIdOrder(action.sessions.map(toSessionRow));
      return reView({
        ...state,
        rows,
        total: action.total,
        loading: action.complete ? 'idle' : 'more',
        loadError: null,
        lastRefresh: action.at,
        statusAt: action.at,
        // A refresh's first page is not the whole list: marks are pruned when all of it is here.
        marked: action.complete ? keepPresent(state.marked, rows) : state.marked,
      });
    }
    case 'all-loaded': {
      const rows = inIdOrder(action.sessions.map(toSessionRow));
      return reView({
        ...state,
        rows,
        total: action.sessions.length,
        loaded: null,
        loading: 'idle',
        loadError: null,
        lastRefresh: action.at,
        statusAt: action.at,
        marked: keepPresent(state.marked, rows),
      });
    }
    case 'rows-loaded':
      return reView({
        ...state,
        rows: action.rows,
        total: action.rows.length,
        loaded: null,
        loading: 'idle',
        loadError: null,
        lastRefresh: action.at,
        statusAt: action.at,
        marked: keepPresent(state.marked, action.rows),
      });
    case 'load-progress':
      if (state.loading === 'idle') return state;
      return { ...state, loaded: action.loaded, total: action.total ?? state.total };
    case 'refresh-unchanged':
      return {
        ...state,
        loading: 'idle',
        loaded: null,
        loadError: null,
        lastRefresh: action.at,
      };
    case 'load-failed':
      return {
        ...state,
        loading: 'idle',
        loaded: null,
        loadError: { message: action.message, exitCode: action.exitCode },
        notice: { kind: 'error', text: action.message },
      };
    case 'resize':
      return place({ ...state, pageSize: Math.max(1, action.pageSize) }, state.cursor);
    case 'move':
      return place(state, state.cursor + action.delta);
    case 'move-page':
      return place(
        { ...state, offset: Math.max(0, state.offset + action.direction * state.pageSize) },
        state.cursor + action.direction * state.pageSize,
      );
    case 'move-to':
      return place(state, action.where === 'first' ? 0 : state.view.length - 1);
    case 'filter-start':
      return { ...state, filterEditing: true };
    case 'filter-set':
      return reView({ ...state, filter: action.text, offset: 0 });
    case 'filter-append':
      return reView({ ...state, filter: state.filter + action.text, offset: 0 });
    case 'filter-backspace':
      return reView({ ...state, filter: state.filter.slice(0, -1), offset: 0 });
    case 'filter-accept':
      return { ...state, filterEditing: false };
    case 'filter-cancel':
      return reView({ ...state, filter: '', filterEditing: false });
    case 'sort-next':
      return reView({
        ...state,
        sortColumn: nextSortColumn(state.sortColumn),
        figures: action.figures ?? state.figures,
      });
    case 'sort-reverse':
      return reView({
        ...state,
        sortDescending: !state.sortDescending,
        figures: action.figures ?? state.figures,
      });
    case 'open-cart': {
      const row = selectedRow(state);
      if (!row) return state;
      return { ...state, screen: 'cart', cart: { key: row.key, status: 'loading' }, detailOffset: 0 };
    }
    case 'cart-loaded':
      if (state.cart?.key !== action.key) return state;
      return { ...state, cart: { key: action.key, status: 'loaded', value: action.cart } };
    case 'cart-failed':
      if (state.cart?.key !== action.key) return state;
      return { ...state, cart: { key: action.key, status: 'error', message: action.message } };
    case 'open-items': {
      const key = itemsKey(state);
      if (key === undefined) return state;
      return { ...state, screen: 'items', items: { key, status: 'loading' }, detailOffset: 0 };
    }
    case 'items-loaded':
      if (state.items?.key !== action.key) return state;
      return {
        ...state,
        items: { key: action.key, status: 'loaded', value: { items: action.items, cart: action.cart } },
      };
    case 'items-failed':
      if (state.items?.key !== action.key) return state;
      return { ...state, items: { key: action.key, status: 'error', message: action.message } };
    case 'scroll':
      return {
        ...state,
        detailOffset: Math.max(0, Math.min(action.max, state.detailOffset + action.delta)),
      };
    case 'back':
      if (state.confirm) return { ...state, confirm: null };
      if (state.screen === 'help') return { ...state, screen: state.helpReturn };
      if (state.screen === 'summary') return { ...state, screen: 'list', detailOffset: 0 };
      if (state.screen === 'list' && state.marked.size > 0) return { ...state, marked: new Set() };
      if (state.screen === 'items' && state.cart?.key === state.items?.key && state.cart) {
        return { ...state, screen: 'cart', detailOffset: 0 };
      }
      if (state.screen !== 'list') return { ...state, screen: 'list', detailOffset: 0 };
      if (state.filter !== '') return reView({ ...state, filter: '' });
      return state;
    case 'help':
      if (state.screen === 'help') return { ...state, screen: state.helpReturn };
      return { ...state, screen: 'help', helpReturn: state.screen };
    case 'delete-ask': {
      if (state.readOnly || state.deleting || state.bulk) return state;
      if (state.screen === 'list' && state.marked.size > 0) {
        return {
          ...state,
          confirm: { keys: state.rows.filter((r) => state.marked.has(r.key)).map((r) => r.key) },
        };
      }
      const key = state.screen === 'list' ? selectedRow(state)?.key : state.cart?.key;
      if (key === undefined || state.screen === 'help') return state;
      const row = state.rows.find((r) => r.key === key);
      return { ...state, confirm: { key, name: row?.summary.customers_name ?? '' } };
    }
    case 'delete-cancel':
      return { ...state, confirm: null, notice: { kind: 'info', text: 'Delete cancelled.' } };
    case 'delete-confirm':
      if (!state.confirm || 'keys' in state.confirm || state.readOnly) return state;
      return {
        ...state,
        confirm: null,
        deleting: state.confirm.key,
        notice: { kind: 'info', text: `Deleting cart ${state.confirm.key}…` },
      };
    case 'delete-done': {
      const rows = state.rows.filter((r) => r.key !== action.key);
      const text =
        action.outcome === 'deleted'
          ? `Deleted cart ${action.key}.`
          : `Cart ${action.key} was already gone (deleted elsewhere or expired).`;
      const screen = state.screen === 'cart' || state.screen === 'items' ? 'list' : state.screen;
      return reView(
        {
          ...state,
          rows,
          total:
            state.total === null
              ? null
              : Math.max(0, state.total - (rows.length < state.rows.length ? 1 : 0)),
          deleting: null,
          screen,
          notice: { kind: 'info', text },
        },
        null,
      );
    }
    case 'delete-failed':
      return {
        ...state,
        deleting: null,
        notice: { kind: 'error', text: `Could not delete cart ${action.key}: ${action.message}` },
      };
    case 'notice':
      return { ...state, notice: action.notice };
    case 'status-next':
      return reView({ ...state, statusView: nextStatusView(state.statusView), statusAt: action.now });
    case 'mark-toggle': {
      const row = selectedRow(state);
      if (!row || state.readOnly || state.screen !== 'list') return state;
      const marked = new Set(state.marked);
      if (!marked.delete(row.key)) marked.add(row.key);
      // The cursor moves on, so space, space, space marks three rows.
      return place({ ...state, marked }, state.cursor + 1);
    }
    case 'mark-view': {
      if (state.readOnly || state.screen !== 'list' || state.view.length === 0) return state;
      const marked = new Set(state.marked);
      // Pressed again with the whole view marked, it unmarks the view.
      const all = state.view.every((r) => marked.has(r.key));
      for (const r of state.view) {
        if (all) marked.delete(r.key);
        else marked.add(r.key);
      }
      return { ...state, marked };
    }
    case 'marks-clear':
      return { ...state, marked: new Set() };
    case 'bulk-start': {
      if (!state.confirm || !('keys' in state.confirm) || state.readOnly) return state;
      const total = state.confirm.keys.length;
      return {
        ...state,
        confirm: null,
        bulk: { total, done: 0, deleted: 0, gone: 0, failures: [] },
        notice: null,
      };
    }
    case 'bulk-progress': {
      if (!state.bulk) return state;
      const r = action.result;
      const b = state.bulk;
      return {
        ...state,
        bulk: {
          ...b,
          done: b.done + 1,
          deleted: b.deleted + (r.outcome === 'deleted' ? 1 : 0),
          gone: b.gone + (r.outcome === 'gone' ? 1 : 0),
          failures: r.outcome === 'failed' ? [...b.failures, { key: r.key, message: r.message }] : b.failures,
        },
      };
    }
    case 'bulk-done': {
      // Rows go once, at the end: removing them per result would re-sort 100k rows per delete.
      const removed = new Set(action.results.filter((r) => r.outcome !== 'failed').map((r) => r.key));
      const rows = state.rows.filter((r) => !removed.has(r.key));
      const failed = action.results.filter((r) => r.outcome === 'failed');
      const summary: BulkDelete = {
        total: action.results.length,
        done: action.results.length,
        deleted: action.results.filter((r) => r.outcome === 'deleted').length,
        gone: action.results.filter((r) => r.outcome === 'gone').length,
        failures: failed.map((r) => ({ key: r.key, message: r.outcome === 'failed' ? r.message : '' })),
      };
      return reView(
        {
          ...state,
          rows,
          total: state.total === null ? null : Math.max(0, state.total - (state.rows.length - rows.length)),
          // The failed carts stay marked, ready for another try.
          marked: new Set(failed.map((r) => r.key)),
          bulk: null,
          summary,
          screen: 'summary',
          detailOffset: 0,
          notice: { kind: failed.length > 0 ? 'error' : 'info', text: summaryText(summary) },
        },
        null,
      );
    }
  }
}

/** "35 deleted, 1 already gone, 1 failed": one line for the status bar. */
export function summaryText(b: BulkDelete): string {
  return `${b.deleted} deleted, ${b.gone} already gone, ${b.failures.length} failed.`;
}

/** The marks whose row is still in `rows` (a refresh drops the rest). */
function keepPresent(marked: ReadonlySet<string>, rows: readonly SessionRow[]): ReadonlySet<string> {
  if (marked.size === 0) return marked;
  const present = new Set(rows.map((r) => r.key));
  return new Set([...marked].filter((k) => present.has(k)));
}
