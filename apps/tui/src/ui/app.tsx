import { Box, type Key, Text, useApp, useInput, useWindowSize } from 'ink';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { isFigureColumn } from '../cart-values/sort-by-figure.js';
import { shownUrl } from '../format/url.js';
import type { ListFeed } from '../list-feed/list-feed.js';
import type { FirstPage } from '../list-feed/list-stream.js';
import type { PlainClientOptions } from '../list-feed/protocol.js';
import type { ViewCounts } from '../list-feed/row-store.js';
import { startListWorker } from '../list-feed/worker-feed.js';
import type { SessionSource } from '../sessions/source.js';
import { DetailLines } from './components/detail-lines.js';
import { Spinner } from './components/spinner.js';
import { StatusBar } from './components/status-bar.js';
import { useBulkActions } from './hooks/use-bulk-actions.js';
import { useCartValues } from './hooks/use-cart-values.js';
import { useSessions, useTick, useWatch, useWindow } from './hooks/use-sessions.js';
import { ThemeContext } from './hooks/use-theme.js';
import { actionFor, type KeyAction, type KeyContext, keyHint } from './keymap.js';
import { CartScreen } from './screens/cart-screen.js';
import { ConfirmDelete } from './screens/confirm-delete.js';
import { detailLinesFor, detailWidth } from './screens/detail-lines-for.js';
import { EmptyScreen } from './screens/empty-screen.js';
import { ErrorScreen } from './screens/error-screen.js';
import { HelpScreen } from './screens/help-screen.js';
import { ItemsScreen } from './screens/items-screen.js';
import { SessionsScreen } from './screens/sessions-screen.js';
import {
  initialState,
  itemsKey,
  reducer,
  rowsOnScreen,
  type State,
  selectedRow,
  viewQuery,
} from './state/reducer.js';
import { viewSwitcherText } from './view-switcher.js';

/**
 * Where the full list comes from, as what changed since the last load: a feed the caller started
 * (and closes), or else the list worker, which the App starts with the client options and ends when
 * it unmounts.
 */
export type AppListSource =
  | {
      /** `startListWorker(...)` (what the CLI passes), or `inThreadListFeed(source)`. */
      listFeed: ListFeed;
      client?: PlainClientOptions;
    }
  | {
      listFeed?: undefined;
      /** The options `source`'s client was created with: the list worker creates its own from them. */
      client: PlainClientOptions;
    };

/** Props of the interactive TUI. */
export type AppProps = AppListSource & {
  /** Where sessions come from: `createClient(...).sessions`. */
  source: SessionSource;
  /**
   * The first page (`FIRST_PAGE_QUERY`), when the caller already asked for it; undefined when the
   * store did not page (the list's load then shows the first rows).
   */
  firstPage?: Promise<FirstPage | undefined>;
  /** Store URL shown in the status bar (redacted with `shownUrl` first). */
  url: string;
  readOnly?: boolean;
  /** Auto-refresh period in seconds (--watch). */
  watch?: number;
  /** False under NO_COLOR. */
  color?: boolean;
  /** Fixed terminal size (tests); otherwise the real window size, following resizes. */
  size?: { columns: number; rows: number };
  /** Clock for relative times (tests). */
  now?: () => number;
  /** How often relative times and statuses redraw on their own (ms, default 30 000; tests). */
  tickMs?: number;
  /** Called with the exit code when the user quits, before the app unmounts. */
  onQuit?: (exitCode: number) => void;
  /** Where `e` writes its CSV files (the working directory by default). */
  exportDir?: string;
};

/** Lines taken by the title, the table header and the three status lines. */
const CHROME_ROWS = 5;

function titleText(state: State, counts: ViewCounts, countsKnown: boolean): string {
  if (state.screen === 'cart') return `Sessions › cart ${state.cart?.key ?? ''}`;
  if (state.screen === 'items') return `Sessions › cart ${state.items?.key ?? ''} › items`;
  if (state.screen === 'help') return 'Sessions › help';
  if (state.screen === 'summary') return 'Sessions › delete summary';
  const dir = state.sortDescending ? '↓' : '↑';
  const filter = state.filterEditing
    ? ` · /${state.filter}▏`
    : state.filter
      ? ` · filter: ${state.filter}`
      : '';
  // The view switcher leads: every view's count, the current one in brackets.
  return `${viewSwitcherText(counts, state.statusView, countsKnown)} · sort: ${state.sortColumn} ${dir}${filter}`;
}

/** Where key presses go: the y/N question and filter editing take every key while they last. */
/** Actions that change which rows are in the view: the rows of the new one come from the list worker. */
const VIEW_ACTIONS: ReadonlySet<KeyAction> = new Set([
  'filter-accept',
  'filter-clear',
  'sort',
  'sort-reverse',
  'status-next',
]);

/** Actions about the row under the cursor or the view on screen: they wait for a new view's rows. */
const ROW_ACTIONS: ReadonlySet<KeyAction> = new Set([
  'mark',
  'mark-all',
  'delete',
  'open',
  'items',
  'export',
]);

/** Longest a key waits for a new view's rows before it acts on what the screen holds. */
const HOLD_MAX_MS = 1000;

/** True while a new view's rows are on their way from the list worker. */
const viewPending = (s: State): boolean => s.firstRows === null && s.windowSeq !== s.viewSeq;

function keyContextOf(state: State): KeyContext {
  if (state.confirm) return 'confirm';
  if (state.filterEditing) return 'filter';
  return state.screen;
}

/** The interactive sessions browser. */
export function App(props: AppProps) {
  const { exit } = useApp();
  const windowSize = useWindowSize();
  const size = props.size ?? windowSize;
  const rows = Math.max(8, size.rows);
  const width = Math.max(40, size.columns);
  const pageSize = rows - CHROME_ROWS;
  const clock = props.now ?? Date.now;
  const [state, dispatch] = useReducer(
    reducer,
    { readOnly: props.readOnly ?? false, pageSize },
    initialState,
  );
  const { listFeed, client } = props;
  // What the screen and every message show of the store URL: never a password or an API key.
  const url = useMemo(() => shownUrl(props.url), [props.url]);
  const feed = useMemo(
    // `client` is there whenever `listFeed` is not (AppListSource).
    () => listFeed ?? startListWorker({ client: client as PlainClientOptions, url }),
    [listFeed, client, url],
  );
  // A worker the App started ends with it; a feed passed in is the caller's to close.
  useEffect(() => (feed === listFeed ? undefined : () => void feed.close()), [feed, listFeed]);
  const effects = useSessions(props.source, feed, dispatch, url, clock, props.firstPage);
  const bulk = useBulkActions(props.source, feed, dispatch, url);
  useWindow(feed, state, dispatch);
  const stateRef = useRef(state);
  stateRef.current = state;
  const onScreen = rowsOnScreen(state);
  const shownKeys = onScreen.map((r) => r.key);
  const cartValues = useCartValues(props.source, shownKeys);
  // While the rest of the list arrives only its total is known (the status counts show `…`).
  const countsKnown = state.loading !== 'more' && state.loading !== 'initial' && state.viewCounts !== null;
  const viewCounts: ViewCounts =
    countsKnown && state.viewCounts !== null
      ? state.viewCounts
      : { all: state.total ?? state.size, active: 0, expiring: 0, expired: 0 };
  // Sorted by items or value: how many rows of the view had their cart read (the rest sort last).
  const sortedOver =
    isFigureColumn(state.sortColumn) && state.figuresRead !== null
      ? { column: state.sortColumn, read: state.figuresRead, of: state.viewLength }
      : null;

  useEffect(() => {
    void effects.load('initial');
  }, [effects]);
  useEffect(() => {
    dispatch({ type: 'resize', pageSize });
  }, [pageSize]);
  useWatch(props.watch, () => {
    const s = stateRef.current;
    if (s.loading === 'idle' && s.deleting === null && s.bulk === null) {
      void effects.load('refresh');
      cartValues.loader.revalidate();
    }
  });

  const detailHeight = rows - 4 - 1;
  // Built once per change of what they show: the screens draw these and scrolling is bounded by them.
  const { screen, cart, items, readOnly, summary } = state;
  const detail = useMemo(
    () => detailLinesFor({ screen, cart, items, readOnly, summary }, detailWidth(width)),
    [screen, cart, items, readOnly, summary, width],
  );

  const run = (action: KeyAction) => {
    const s = stateRef.current;
    if (action === 'quit') {
      const code = s.size === 0 && s.loadError ? s.loadError.exitCode : 0;
      props.onQuit?.(code);
      exit(code);
      return;
    }
    if (s.screen !== 'list' && detail) {
      const max = Math.max(0, detail.length - detailHeight);
      const scroll: Partial<Record<KeyAction, number>> = {
        up: -1,
        down: 1,
        'page-up': -detailHeight,
        'page-down': detailHeight,
        first: -Infinity,
        last: Infinity,
      };
      const delta = scroll[action];
      if (delta !== undefined) {
        dispatch({ type: 'scroll', delta, max });
        return;
      }
    }
    switch (action) {
      case 'up':
        return dispatch({ type: 'move', delta: -1 });
      case 'down':
        return dispatch({ type: 'move', delta: 1 });
      case 'page-up':
        return dispatch({ type: 'move-page', direction: -1 });
      case 'page-down':
        return dispatch({ type: 'move-page', direction: 1 });
      case 'first':
        return dispatch({ type: 'move-to', where: 'first' });
      case 'last':
        return dispatch({ type: 'move-to', where: 'last' });
      case 'open': {
        const row = selectedRow(s);
        if (!row) return;
        dispatch({ type: 'open-cart' });
        void effects.openCart(row.key);
        return;
      }
      case 'items': {
        const key = itemsKey(s);
        if (key === undefined) return;
        dispatch({ type: 'open-items' });
        void effects.openItems(
          key,
          s.cart?.key === key && s.cart.status === 'loaded' ? s.cart.value : undefined,
        );
        return;
      }
      case 'back':
        // Esc on the list clears the marks first: in the worker, which holds them, too.
        if (s.screen === 'list' && !s.confirm && s.markedCount > 0) void feed.setMarks([]).catch(() => {});
        return dispatch({ type: 'back' });
      case 'filter':
        return dispatch({ type: 'filter-start' });
      case 'sort':
        return dispatch({ type: 'sort-next', figures: cartValues.loader.figures() });
      case 'sort-reverse':
        return dispatch({ type: 'sort-reverse', figures: cartValues.loader.figures() });
      case 'refresh':
        if (s.screen === 'cart' && s.cart) {
          dispatch({ type: 'open-cart' });
          void effects.openCart(s.cart.key);
          return;
        }
        if (s.loading === 'idle') {
          void effects.load(s.size === 0 && s.loadError ? 'initial' : 'refresh');
          cartValues.loader.revalidate();
        }
        return;
      case 'delete':
        if (s.bulk) return;
        if (s.screen === 'list' && s.markedCount > 0 && !s.readOnly && !s.deleting) {
          // The marks live in the list worker: it names the carts.
          void feed.markedKeys().then(
            (keys) => dispatch({ type: 'delete-ask', keys }),
            () => {},
          );
          return;
        }
        return dispatch({ type: 'delete-ask' });
      case 'help':
        return dispatch({ type: 'help' });
      case 'confirm-yes': {
        if (!s.confirm) return;
        if ('keys' in s.confirm) {
          const keys = s.confirm.keys;
          dispatch({ type: 'bulk-start' });
          void bulk.deleteMany(keys);
          return;
        }
        const target = s.confirm.key;
        dispatch({ type: 'delete-confirm' });
        void effects.deleteCart(target);
        return;
      }
      case 'confirm-no':
        return dispatch({ type: 'delete-cancel' });
      case 'filter-accept':
        return dispatch({ type: 'filter-accept' });
      case 'filter-clear':
        return dispatch({ type: 'filter-cancel' });
      case 'filter-erase':
        return dispatch({ type: 'filter-backspace' });
      case 'filter-type':
        // Handled in handleKey, which has the typed text.
        return;
      case 'status-next':
        return dispatch({ type: 'status-next', now: clock() });
      case 'mark': {
        const row = selectedRow(s);
        if (!row || s.readOnly || s.screen !== 'list') return;
        dispatch({ type: 'mark-toggle' });
        // Keys of one chunk ("   ") are read before React renders: the next one sees the cursor moved on.
        stateRef.current = reducer(s, { type: 'mark-toggle' });
        void feed.toggleMark(row.key).then(
          (count) => dispatch({ type: 'marks-changed', count, refetch: false }),
          () => {},
        );
        return;
      }
      case 'mark-all':
        if (s.readOnly || s.screen !== 'list' || s.viewLength === 0) return;
        void feed.markView(viewQuery(s)).then(
          (count) => dispatch({ type: 'marks-changed', count, refetch: true }),
          () => {},
        );
        return;
      case 'export':
        void bulk.exportCsv(viewQuery(s), props.exportDir ?? '.', s.statusView, clock());
        return;
    }
  };

  useInput((input, key) => {
    // Esc followed quickly by a key arrives as one "Alt+key" sequence: treat it as both.
    if (key.meta && !key.ctrl && input.length === 1 && !key.escape) {
      handleKey('', { ...key, meta: false, escape: true });
      setTimeout(() => handleKey(input, { ...key, meta: false }), 0);
      return;
    }
    handleKey(input, key);
  });

  // Keys typed ahead of a new view's rows ("/clark⏎ " marks Clark, not the row the old view had
  // under the cursor) wait until the rows are here, or HOLD_MAX_MS at most, then act one at a time,
  // each on the state the one before it left.
  const held = useRef<Array<{ input: string; key: Key }>>([]);
  const holdTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const waitAtMost = () => {
    holdTimer.current ??= setTimeout(() => {
      holdTimer.current = undefined;
      release(true);
    }, HOLD_MAX_MS);
  };
  const release = (force: boolean) => {
    const next = held.current.shift();
    if (next === undefined) return;
    const rest = act(next.input, next.key, force);
    if (rest.length > 0) {
      held.current.unshift(...rest);
      waitAtMost();
      return;
    }
    if (held.current.length === 0) {
      clearTimeout(holdTimer.current);
      holdTimer.current = undefined;
    } else {
      // After React has drawn what this key did.
      setTimeout(() => release(force), 0);
    }
  };
  useEffect(() => {
    if (held.current.length > 0 && !viewPending(state)) release(false);
  });
  useEffect(() => () => clearTimeout(holdTimer.current), []);

  function handleKey(input: string, key: Key) {
    if (held.current.length > 0) {
      held.current.push({ input, key });
      return;
    }
    const rest = act(input, key, false);
    if (rest.length > 0) {
      held.current.push(...rest);
      waitAtMost();
    }
  }

  /** Acts on a key or a chunk of keys; returns the keys that wait for a pending view's rows. */
  function act(input: string, key: Key, force: boolean): Array<{ input: string; key: Key }> {
    const s = stateRef.current;
    // Fast typing, pastes and keys sent together arrive as one chunk ("/vic\r", "  d"): taken a
    // character at a time, following the mode each one enters (the state is not re-rendered between).
    const keys =
      input.length <= 1 || key.ctrl || key.meta
        ? [{ input, key }]
        : [...input].map((ch) =>
            ch === '\r'
              ? { input: '', key: { ...key, return: true } }
              : ch === '\u007f' || ch === '\b'
                ? { input: '', key: { ...key, backspace: true } }
                : { input: ch, key },
          );
    // A view changed by an earlier key of the chunk is pending too.
    let pending = !force && viewPending(s);
    let context = keyContextOf(s);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as { input: string; key: Key };
      const action = actionFor(context, k.input, k.key, s.readOnly);
      if (pending && action !== undefined && ROW_ACTIONS.has(action)) return keys.slice(i);
      if (action !== undefined && VIEW_ACTIONS.has(action)) pending = true;
      context = step(context, k.input, k.key);
    }
    return [];
  }

  /** Acts on one key in `context`; returns the context the next key of the same chunk is read in. */
  function step(context: KeyContext, input: string, key: Key): KeyContext {
    const s = stateRef.current;
    const action = actionFor(context, input, key, s.readOnly);
    if (action === undefined) return context;
    if (action === 'filter-type') {
      dispatch({ type: 'filter-append', text: input });
      return context;
    }
    if (action === 'filter' && context === 'list') {
      dispatch({ type: 'filter-start' });
      return 'filter';
    }
    run(action);
    if (action === 'filter-accept' || action === 'filter-clear') return 'list';
    if (action === 'confirm-yes' || action === 'confirm-no') return s.screen;
    return context;
  }

  // Re-renders every 30 s, so "in 3h" and statuses follow the clock without a refresh.
  useTick(props.tickMs);

  const now = clock();
  let body: React.ReactNode;
  if (state.screen === 'help') {
    body = <HelpScreen lines={detail ?? []} offset={state.detailOffset} height={detailHeight} />;
  } else if (state.screen === 'cart' && state.cart) {
    body = (
      <CartScreen detail={state.cart} lines={detail} offset={state.detailOffset} height={detailHeight} />
    );
  } else if (state.screen === 'items' && state.items) {
    body = (
      <ItemsScreen detail={state.items} lines={detail} offset={state.detailOffset} height={detailHeight} />
    );
  } else if (state.screen === 'summary') {
    body = <DetailLines lines={detail ?? []} offset={state.detailOffset} height={detailHeight} />;
  } else if (state.loading === 'initial' && state.size === 0) {
    body = <Spinner label={`Loading sessions from ${url}…`} />;
  } else if (state.size === 0 && state.loadError) {
    body = <ErrorScreen message={state.loadError.message} url={url} />;
  } else if (state.size === 0 && state.loading === 'idle') {
    body = <EmptyScreen url={url} />;
  } else {
    body = (
      <SessionsScreen
        rows={onScreen}
        cursor={state.cursor - state.offset}
        marked={state.marked}
        values={cartValues.values}
        total={state.viewLength}
        filter={state.filter}
        width={width}
        now={now}
      />
    );
  }

  const hint = keyHint(keyContextOf(state), state.readOnly, state.size === 0);
  return (
    <ThemeContext.Provider value={{ color: props.color ?? true }}>
      <Box flexDirection="column" width={width} height={rows}>
        <Text bold wrap="truncate">
          {titleText(state, viewCounts, countsKnown)}
          {state.loading === 'refresh' ? ' · refreshing…' : ''}
        </Text>
        <Box flexDirection="column" flexGrow={1}>
          {body}
        </Box>
        <StatusBar
          url={url}
          count={state.size}
          shown={state.viewLength}
          total={state.total}
          loadingMore={state.loading === 'more'}
          loaded={state.loaded}
          lastRefresh={state.lastRefresh}
          notice={state.notice}
          marked={state.markedCount}
          progress={state.bulk}
          sortedOver={sortedOver}
          prompt={state.confirm ? <ConfirmDelete confirm={state.confirm} /> : undefined}
          hint={hint}
        />
      </Box>
    </ThemeContext.Provider>
  );
}
