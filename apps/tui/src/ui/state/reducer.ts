import type { Cart, ItemsMap, SessionSummary } from '@cocart-sessions/core';
import type { CartFigures } from '../../cart-values/cart-figures.js';
import { isFigureColumn } from '../../cart-values/sort-by-figure.js';
import { SESSION_STATUSES, type SessionStatus } from '../../format/time.js';
import type { ListStatus, WindowAnswer } from '../../list-feed/list-service.js';
import type { ViewCounts, ViewQuery } from '../../list-feed/row-store.js';
import type { DeleteResult } from '../../sessions/bulk-delete.js';
import { type SessionRow, toSessionRow } from '../../sessions/session-row.js';
import { inIdOrder, nextSortColumn, type SortColumn, visibleRows } from '../../sessions/sort.js';
import { viewCountsOf } from '../../sessions/view-counts.js';

export type { ViewCounts } from '../../list-feed/row-store.js';

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
  /**
   * Sessions held: the list worker's count, or the first page's before the worker has the list.
   * The rows themselves stay in the worker; this thread holds the window around the screen.
   */
  size: number;
  /** Rows of the current view (filter, status, sort), over every session held. */
  viewLength: number;
  /** Rows of the view from position `from` (the screen and a margin around it). */
  window: { from: number; rows: SessionRow[] };
  /** Bumped whenever the view's rows may have changed (filter, sort, status, data): asks for a new window. */
  viewSeq: number;
  /** The `viewSeq` of the window held (the view's rows have arrived once it equals `viewSeq`). */
  windowSeq: number;
  /** The cart the cursor follows when the next window arrives (the one selected when the view changed). */
  anchorKey: string | null;
  /** The first page, shown (filtered and sorted here) until the list worker holds rows. */
  firstRows: SessionRow[] | null;
  /** How many sessions each status view holds (over every session), kept current by every window. */
  viewCounts: ViewCounts | null;
  /** The list worker's version of the rows the window shows. */
  lastVersion: number;
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
  /** Counts the sets of `figures`: the list worker sorts again only for a new one. */
  figuresVersion: number;
  /** Sorted by items or value: how many rows of the view had their cart read (they sort first). */
  figuresRead: number | null;
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
  /** Keys of the marked rows of the window (the marks of every session live in the list worker). */
  marked: ReadonlySet<string>;
  /** How many sessions are marked (space, `a`); kept across filters, sorts and status views. */
  markedCount: number;
  /** The bulk delete running, or null. */
  bulk: BulkDelete | null;
  /** The last finished bulk delete, shown on the summary screen. */
  summary: BulkDelete | null;
}

/** Everything that can happen to the state. */
export type Action =
  | { type: 'load-start'; mode: 'initial' | 'refresh' }
  /** `complete`: the page holds the whole store. */
  | { type: 'first-page'; sessions: SessionSummary[]; total: number; complete: boolean; at: number }
  /** The list worker's status changed (rows arrived, were removed, a load started or ended). */
  | { type: 'list-status'; status: ListStatus }
  /** A load of the full list ended with changes. */
  | { type: 'list-loaded'; at: number }
  /** A window of the view; `seq` is the `viewSeq` it was asked for, `reposition` when it places the cursor. */
  | { type: 'window'; seq: number; reposition: boolean; answer: WindowAnswer }
  /** The marks changed in the list worker (`refetch`: the window's marks too). */
  | { type: 'marks-changed'; count: number; refetch: boolean }
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
  /** `keys`: every marked cart (asked of the list worker); else the selected one. */
  | { type: 'delete-ask'; keys?: readonly string[] }
  | { type: 'delete-cancel' }
  | { type: 'delete-confirm' }
  | { type: 'delete-done'; key: string; outcome: 'deleted' | 'gone' }
  | { type: 'delete-failed'; key: string; message: string }
  | { type: 'notice'; notice: Notice | null }
  | { type: 'status-next'; now: number }
  | { type: 'mark-toggle' }
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
    size: 0,
    viewLength: 0,
    window: { from: 0, rows: [] },
    viewSeq: 0,
    windowSeq: -1,
    anchorKey: null,
    firstRows: null,
    viewCounts: null,
    lastVersion: -1,
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
    figuresVersion: 0,
    figuresRead: null,
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
    markedCount: 0,
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

/** The row under the cursor, if it is in the window. */
export function selectedRow(state: State): SessionRow | undefined {
  return state.window.rows[state.cursor - state.window.from];
}

/** The rows on screen: the window's rows from `offset` (fewer while a window is on its way). */
export function rowsOnScreen(state: State): SessionRow[] {
  const start = state.offset - state.window.from;
  if (start < 0 || start >= state.window.rows.length) return [];
  return state.window.rows.slice(start, start + state.pageSize);
}

/** The query of the current view, as the list worker takes it. */
export function viewQuery(state: State): ViewQuery {
  return {
    filter: state.filter,
    status: state.statusView === 'all' ? undefined : { is: state.statusView, at: state.statusAt },
    column: state.sortColumn,
    descending: state.sortDescending,
    figures: isFigureColumn(state.sortColumn)
      ? { version: state.figuresVersion, byKey: state.figures }
      : undefined,
  };
}

/** The cart the items view is of: the open cart on the cart view, else the row under the cursor. */
export function itemsKey(state: State): string | undefined {
  return state.screen === 'cart' && state.cart ? state.cart.key : selectedRow(state)?.key;
}

/** Puts the cursor at `cursor` (clamped) and scrolls so it stays on screen. */
function place(state: State, cursor: number): State {
  const max = state.viewLength - 1;
  const c = max < 0 ? 0 : Math.min(Math.max(cursor, 0), max);
  let offset = state.offset;
  if (c < offset) offset = c;
  if (c >= offset + state.pageSize) offset = c - state.pageSize + 1;
  offset = Math.max(0, Math.min(offset, Math.max(0, state.viewLength - state.pageSize)));
  return { ...state, cursor: c, offset };
}

/**
 * The view changed (filter, sort, status, rows): a new window is asked for, and the cursor follows
 * the selected cart_key when it is still in the view. Before the list worker holds rows, the first
 * page is filtered and sorted here.
 */
function reView(state: State, keepKey: string | null = selectedRow(state)?.key ?? null): State {
  const next = { ...state, viewSeq: state.viewSeq + 1, anchorKey: keepKey };
  if (state.firstRows === null) return next;
  const status = state.statusView === 'all' ? undefined : { is: state.statusView, at: state.statusAt };
  const view = visibleRows(
    state.firstRows,
    state.filter,
    state.sortColumn,
    state.sortDescending,
    status,
    state.figures,
  );
  let cursor = keepKey === null ? -1 : view.findIndex((r) => r.key === keepKey);
  if (cursor === -1) cursor = Math.min(state.cursor, Math.max(0, view.length - 1));
  const figuresRead = isFigureColumn(state.sortColumn)
    ? view.filter((r) => state.figures.has(r.key)).length
    : null;
  return place(
    {
      ...next,
      window: { from: 0, rows: view },
      viewLength: view.length,
      figuresRead,
      // Until the worker holds rows it has no counts: a first page that is the whole store has them.
      viewCounts:
        state.firstRows.length >= state.size
          ? viewCountsOf(state.firstRows, state.statusAt)
          : state.viewCounts,
    },
    cursor,
  );
}

/** The carts read that a sort action brings, as a new set of figures; none keeps the current set. */
function figuresOf(
  state: State,
  figures: ReadonlyMap<string, CartFigures> | undefined,
): Pick<State, 'figures' | 'figuresVersion'> {
  return figures === undefined
    ? { figures: state.figures, figuresVersion: state.figuresVersion }
    : { figures, figuresVersion: state.figuresVersion + 1 };
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
      // The list worker may already hold rows (a refresh, or a worker faster than the page).
      if (state.firstRows === null && state.size > 0) return state;
      const rows = inIdOrder(action.sessions.map(toSessionRow));
      return reView({
        ...state,
        firstRows: rows,
        size: Math.max(rows.length, action.total),
        total: action.total,
        // A store that fits in the page is all on screen: the worker's copy follows unseen.
        loading: action.complete ? 'idle' : 'more',
        loadError: null,
        lastRefresh: action.at,
        statusAt: action.at,
      });
    }
    case 'list-status': {
      const { status } = action;
      const loaded = status.loading && state.loading !== 'idle' ? status.loaded : null;
      const total = status.loading && status.total !== null ? status.total : state.total;
      const next = { ...state, loaded, total };
      // The first page stays until the worker holds as many rows, or has them all.
      const first = state.firstRows;
      if (first !== null && status.loading && status.size < first.length) return next;
      if (first === null && state.size === status.size && !changedSince(state, status)) return next;
      return reView({ ...next, firstRows: null, size: status.size, lastVersion: status.version });
    }
    case 'list-loaded':
      return reView({
        ...state,
        firstRows: null,
        loaded: null,
        loading: 'idle',
        loadError: null,
        lastRefresh: action.at,
        statusAt: action.at,
      });
    case 'window': {
      if (action.seq !== state.viewSeq || state.firstRows !== null) return state;
      const a = action.answer;
      const rows = a.rows.map((w) => toSessionRow(w.summary));
      const marked = new Set(a.rows.filter((w) => w.marked).map((w) => w.summary.cart_key));
      const next: State = {
        ...state,
        size: a.size,
        total: state.loading === 'idle' ? a.size : state.total,
        viewLength: a.viewLength,
        window: { from: a.from, rows },
        windowSeq: action.seq,
        marked,
        markedCount: a.marked,
        viewCounts: a.counts,
        figuresRead: a.figuresRead ?? null,
        lastVersion: a.version,
      };
      // A cursor moved since the view changed stays where the user put it.
      if (action.reposition && state.anchorKey !== null) {
        return place({ ...next, offset: a.offset, anchorKey: null }, a.cursor);
      }
      return place(next, state.cursor);
    }
    case 'marks-changed':
      return action.refetch
        ? reView({ ...state, markedCount: action.count })
        : { ...state, markedCount: action.count };
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
      return place({ ...state, anchorKey: null }, state.cursor + action.delta);
    case 'move-page':
      return place(
        { ...state, anchorKey: null, offset: Math.max(0, state.offset + action.direction * state.pageSize) },
        state.cursor + action.direction * state.pageSize,
      );
    case 'move-to':
      return place({ ...state, anchorKey: null }, action.where === 'first' ? 0 : state.viewLength - 1);
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
        ...figuresOf(state, action.figures),
      });
    case 'sort-reverse':
      return reView({
        ...state,
        sortDescending: !state.sortDescending,
        ...figuresOf(state, action.figures),
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
      if (state.screen === 'list' && state.markedCount > 0)
        return { ...state, marked: new Set(), markedCount: 0 };
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
      if (state.screen === 'list' && state.markedCount > 0) {
        if (action.keys === undefined || action.keys.length === 0) return state;
        return { ...state, confirm: { keys: action.keys } };
      }
      const key = state.screen === 'list' ? selectedRow(state)?.key : state.cart?.key;
      if (key === undefined || state.screen === 'help') return state;
      const row = state.window.rows.find((r) => r.key === key);
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
      const text =
        action.outcome === 'deleted'
          ? `Deleted cart ${action.key}.`
          : `Cart ${action.key} was already gone (deleted elsewhere or expired).`;
      const screen = state.screen === 'cart' || state.screen === 'items' ? 'list' : state.screen;
      const firstRows = state.firstRows?.filter((r) => r.key !== action.key) ?? null;
      return reView(
        {
          ...withoutRows(state, new Set([action.key])),
          firstRows,
          total: state.total === null ? null : Math.max(0, state.total - 1),
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
      // Drawn at once; the list worker, which holds every mark, is told by the App.
      const marked = new Set(state.marked);
      const on = !marked.delete(row.key);
      if (on) marked.add(row.key);
      // The cursor moves on, so space, space, space marks three rows.
      return place({ ...state, marked, markedCount: state.markedCount + (on ? 1 : -1) }, state.cursor + 1);
    }
    case 'marks-clear':
      return { ...state, marked: new Set(), markedCount: 0 };
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
      // The list worker drops the deleted rows and keeps the failed ones marked (the App tells it).
      const removed = new Set(action.results.filter((r) => r.outcome !== 'failed').map((r) => r.key));
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
          ...withoutRows(state, removed),
          firstRows: state.firstRows?.filter((r) => !removed.has(r.key)) ?? null,
          total: state.total === null ? null : Math.max(0, state.total - removed.size),
          // The failed carts stay marked, ready for another try.
          markedCount: failed.length,
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

/** True when the list worker's rows changed since the last window. */
function changedSince(state: State, status: ListStatus): boolean {
  return state.lastVersion !== status.version;
}

/** The window without the rows of `keys`, drawn at once while the list worker's new window comes. */
function withoutRows(state: State, keys: ReadonlySet<string>): State {
  const rows = state.window.rows.filter((r) => !keys.has(r.key));
  const gone = state.window.rows.length - rows.length;
  if (gone === 0) return state;
  return {
    ...state,
    window: { from: state.window.from, rows },
    viewLength: Math.max(0, state.viewLength - gone),
    size: Math.max(0, state.size - gone),
  };
}
