import {
  CART_DELETED_MESSAGE,
  type Cart,
  CartSchema,
  DeleteResponseSchema,
  type ErrorCode,
  type ItemsMap,
  ItemsMapSchema,
  isSessionSummary,
  MAX_PER_PAGE,
  SessionListSchema,
  SessionListV3Schema,
  type SessionOrderBy,
  type SessionSummary,
  type SortOrder,
} from '@cocart-sessions/core';
import pMap, { pMapStop } from 'p-map';
import { atLeastOne, eitherSignal } from '../abort.js';
import {
  type CoCartApiError,
  CoCartClientError,
  CoCartValidationError,
  type ValidationIssue,
} from '../errors.js';
import { hasErrorCode, isCoCartApiError, isCoCartNetworkError } from '../guards.js';
import type { Answer, ArrayAnswer, ArrayStreamAnswer, CallOptions, Transport } from '../transport.js';
import { checkKey } from './check-key.js';
import type { SessionPage } from './session-page.js';
import { walkPages } from './walk-pages.js';

/** Query of one page of `GET /sessions`. */
export interface SessionPageOptions extends CallOptions {
  /** 1-based page number (default 1). */
  page?: number;
  /** Sessions per page, 1..100 (default 10, WordPress's default). */
  perPage?: number;
  orderBy?: SessionOrderBy;
  order?: SortOrder;
  /** Substring of the customer's name or email, or of the cart key. */
  search?: string;
  /** Only sessions of this source (`"woocommerce"`, `"cocart"`, ...). */
  source?: string;
}

/** Options of {@link SessionsResource.iterate}: a page query without `page` fixed (default `perPage` 100). */
export type SessionIterateOptions = Omit<SessionPageOptions, 'page'> & {
  /** Page to start from (default 1). */
  startPage?: number;
  /**
   * Once the loop has gone past its first page, how many pages may be in flight at once: the one the
   * loop waits for and the next ones fetched ahead (default 2; 1 fetches strictly one page at a time).
   */
  prefetch?: number;
};

/** Options of {@link SessionsResource.stream}. */
export interface SessionStreamOptions extends CallOptions {
  /**
   * Against a paginated (4.x) server: how many pages may be in flight at once, the one the loop
   * waits for included (default 2). Whatever the value, at most that many pages are held.
   */
  prefetch?: number;
}

/** Options of {@link SessionsResource.list}. */
export interface SessionListOptions extends CallOptions {
  /**
   * Against a paginated (4.x) server: how many pages are requested at once once the first page gave
   * the page count (default {@link DEFAULT_PAGE_CONCURRENCY}). Order is kept whatever arrives first.
   */
  concurrency?: number;
  /** Called as sessions arrive: how many so far and, when the server said it, how many in all. */
  onProgress?: (progress: { loaded: number; total: number | undefined }) => void;
}

/**
 * Makes a call conditional: pass the `etag` of the copy you hold (or `undefined` when you hold none
 * yet) and the call resolves to a {@link Conditional} instead of the bare value.
 */
export interface ConditionalOptions {
  /** The `etag` of an earlier {@link Conditional} answer of the same call, sent as `If-None-Match`. */
  ifNoneMatch: string | undefined;
}

/** Options of a plain call: no `ifNoneMatch` key, so the call resolves to the bare value. */
type Unconditional = { ifNoneMatch?: never };

/**
 * Options whose `ifNoneMatch` key may or may not be there (its type says `?`): the call resolves to
 * a {@link Conditional} when it is there, even as `undefined`, else to the bare value.
 */
type MaybeConditional = Partial<ConditionalOptions>;

/**
 * The answer of a conditional call. `notModified: true` means the server confirmed (304) that the
 * copy tagged `etag` is current: no body was downloaded or parsed. Otherwise `data` is the fresh
 * value and `etag` its tag for the next call; `etag` is `undefined` when the server sends no ETags
 * (the CoCart plugin): every call is then a full fetch, and nothing else changes.
 */
export type Conditional<T> =
  | { notModified: true; etag: string }
  | { notModified: false; etag: string | undefined; data: T };

/** Options of {@link SessionsResource.get}. */
export interface GetCartOptions extends CallOptions {
  /** Ask for product thumbnails (the plugin's `thumb` flag). */
  thumb?: boolean;
}

/** WordPress's default `per_page`, and the page size of the plugin's first `GET /sessions` answer. */
const DEFAULT_PER_PAGE = 10;

/** Pages `list()` requests at once from a paginated server (a browser's usual connections per host). */
export const DEFAULT_PAGE_CONCURRENCY = 6;

/**
 * How `list()` walks a paginated server: pages of 100 by cart_id ascending, the order of a 3.x list
 * and the cheapest pages for a server to answer (our server: half the time of the 4.x default order).
 */
const WALK_QUERY = { perPage: MAX_PER_PAGE, orderBy: 'cart_id', order: 'asc' } as const;

/** Pages `iterate()` keeps in flight past its first page. */
const DEFAULT_PREFETCH = 2;

/** The calls of the Sessions API. */
export interface SessionsResource {
  /**
   * Every session in the store, in one array, from a 3.x server (bare array, parsed and validated
   * a slice at a time as it streams in, so the event loop never stalls long) or a 4.x server (the
   * first page, then the others `concurrency` at a time, in order, each `cart_key` once). An empty
   * store gives `[]`. With `ifNoneMatch` it resolves to a {@link Conditional}.
   * @example
   * let held = await client.sessions.list({ ifNoneMatch: undefined });
   * // later: costs a 304 and no parsing when nothing changed
   * const next = await client.sessions.list({ ifNoneMatch: held.etag });
   * if (!next.notModified) held = next;
   */
  list(options: SessionListOptions & ConditionalOptions): Promise<Conditional<SessionSummary[]>>;
  list(options?: SessionListOptions & Unconditional): Promise<SessionSummary[]>;
  list(
    options: SessionListOptions & MaybeConditional,
  ): Promise<Conditional<SessionSummary[]> | SessionSummary[]>;
  /**
   * Every session in the store, yielded as it arrives and never all held: from a 3.x server the bare
   * array is parsed as it streams in, each chunk's sessions checked against the core's model and
   * yielded before the next chunk is read; from a 4.x server pages of 100 are fetched in `cart_id`
   * order, `prefetch` at a time, each session yielded once. Memory stays the same whatever the size
   * of the store, and the body is read only as fast as the loop takes sessions. An empty store
   * yields nothing. Leaving the loop early cancels what is still downloading. Use it to export or
   * scan a store of any size; `list()` gives the same sessions in one array.
   *
   * In `'strict'` mode a bad session throws CoCartValidationError after the sessions before it were
   * yielded; its `body` is the text of the chunk that held it, not the whole list (which is not kept).
   * @example
   * for await (const s of client.sessions.stream()) process.stdout.write(`${s.cart_key}\n`);
   */
  stream(options?: SessionStreamOptions): AsyncIterable<SessionSummary>;
  /**
   * The sessions of {@link stream}, an array at a time as they arrive: the sessions a slice of a 3.x
   * body completed, or a 4.x page. For a loop over a million sessions whose work per session is
   * small, where a turn of the async iterator per session would cost more than the work.
   * @example
   * for await (const batch of client.sessions.streamBatches()) for (const s of batch) count++;
   */
  streamBatches(options?: SessionStreamOptions): AsyncIterable<SessionSummary[]>;
  /** One page of sessions with the totals; an empty store gives an empty page. */
  page(options: SessionPageOptions & ConditionalOptions): Promise<Conditional<SessionPage>>;
  page(options?: SessionPageOptions & Unconditional): Promise<SessionPage>;
  page(options: SessionPageOptions & MaybeConditional): Promise<Conditional<SessionPage> | SessionPage>;
  /**
   * Every session matching the query, fetching pages as the loop asks for more (and, past the first
   * page, `prefetch` pages ahead). Never yields the same `cart_key` twice (the 4.x plugin's pages overlap).
   * @example
   * for await (const s of client.sessions.iterate({ perPage: 100 })) console.log(s.cart_key);
   */
  iterate(options?: SessionIterateOptions): AsyncIterable<SessionSummary>;
  /** The cart of a session. Throws CoCartApiError `cocart_cart_in_session_not_valid` (404) for an unknown key. */
  get(cartKey: string, options: GetCartOptions & ConditionalOptions): Promise<Conditional<Cart>>;
  get(cartKey: string, options?: GetCartOptions & Unconditional): Promise<Cart>;
  get(cartKey: string, options: GetCartOptions & MaybeConditional): Promise<Conditional<Cart> | Cart>;
  /** The items of a session keyed by `item_key`; `{}` when the server sends PHP's `[]`. */
  items(cartKey: string, options: CallOptions & ConditionalOptions): Promise<Conditional<ItemsMap>>;
  items(cartKey: string, options?: CallOptions & Unconditional): Promise<ItemsMap>;
  items(cartKey: string, options: CallOptions & MaybeConditional): Promise<Conditional<ItemsMap> | ItemsMap>;
  /**
   * Deletes a session and resolves with the server's message (any string). If the answer is lost,
   * the DELETE is sent once more and a 404 `cocart_session_not_valid` then counts as deleted.
   */
  delete(cartKey: string, options?: CallOptions): Promise<string>;
}

/** True for a CoCartApiError with one of the core's error codes. */
function isApiErrorCode(e: unknown, code: ErrorCode): e is CoCartApiError {
  return isCoCartApiError(e) && hasErrorCode(e, code);
}

/** True for the plugin's answer to a list of an empty store. */
function isNoCarts(e: unknown): boolean {
  return isApiErrorCode(e, 'cocart_no_carts_in_session');
}

/**
 * True the first time `session`'s `cart_key` is met (and records it); a session without a string key,
 * possible with validation 'off', always passes.
 */
function firstSeen(seen: Set<string>, session: SessionSummary): boolean {
  const key = (session as { cart_key?: unknown }).cart_key;
  if (typeof key !== 'string') return true;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/**
 * For a walk in `cart_id` order: true for a session past the last one passed, so a row that a
 * page shift (a session added meanwhile, the 4.x plugin's overlapping pages) shows twice passes
 * once, and nothing grows with the store. A session without a digit-string `cart_id`, possible
 * with validation 'off', always passes.
 */
function laterThanLast(): (session: SessionSummary) => boolean {
  let last = '';
  return (session) => {
    const id = (session as { cart_id?: unknown }).cart_id;
    if (typeof id !== 'string' || !/^\d+$/.test(id)) return true;
    const digits = id.replace(/^0+(?=\d)/, '');
    const later = digits.length !== last.length ? digits.length > last.length : digits > last;
    if (later) last = digits;
    return later;
  };
}

function headerInt(response: Response, name: string): number | undefined {
  const value = response.headers.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

function shapeError(answer: Answer, message: string): CoCartValidationError {
  const issue: ValidationIssue = { code: 'custom', message, path: [], input: answer.data };
  return new CoCartValidationError({
    method: answer.method,
    url: answer.url,
    issues: [issue],
    body: answer.text,
    data: answer.data,
  });
}

/**
 * Whether a call answers a {@link Conditional}, and then the tag of the copy the caller holds
 * (`undefined`: none yet, so nothing is sent as `If-None-Match`).
 */
type Condition = { conditional: false } | { conditional: true; etag: string | undefined };

const UNCONDITIONAL: Condition = { conditional: false };

/** The caller's choice: the `ifNoneMatch` key present, even as `undefined`, asks for a {@link Conditional}. */
function conditionOf(options: MaybeConditional): Condition {
  return 'ifNoneMatch' in options ? { conditional: true, etag: options.ifNoneMatch } : UNCONDITIONAL;
}

/** What to send as `If-None-Match`. */
const heldTag = (condition: Condition): string | undefined =>
  condition.conditional ? condition.etag : undefined;

/** A 304 to a request that sent no `If-None-Match`: the server answered a question nobody asked. */
const unasked304 = () => new CoCartClientError('304 to an unconditional request', { code: 'http_error' });

/** The bare value of a {@link Conditional} answering a call made without `ifNoneMatch`. */
function bare<T>(answer: Conditional<T>): T {
  if (answer.notModified) throw unasked304();
  return answer.data;
}

/** Runs `call` under the caller's choice, and gives its answer in the shape the caller chose. */
async function inShape<T>(
  options: MaybeConditional,
  call: (condition: Condition) => Promise<Conditional<T>>,
): Promise<Conditional<T> | T> {
  const condition = conditionOf(options);
  const answer = await call(condition);
  return condition.conditional ? answer : bare(answer);
}

/** The answer as a {@link Conditional}. */
function conditional<T>(answer: Answer, data: () => T): Conditional<T> {
  if (answer.notModified && answer.etag !== undefined) return { notModified: true, etag: answer.etag };
  if (answer.notModified) throw shapeError(answer, '304 Not Modified without an ETag');
  return { notModified: false, etag: answer.etag, data: data() };
}

/** Tags of a list walked page by page, one per request, kept in one opaque string (ETags hold no spaces). */
const joinTags = (tags: Array<string | undefined>): string | undefined =>
  tags.every((t) => t !== undefined) ? tags.join(' ') : undefined;

/** Builds the Sessions resource over a transport. */
export function sessionsResource(transport: Transport): SessionsResource {
  /** Normalises either list generation into a page. */
  function toPage(answer: Answer, page: number, perPage: number): SessionPage {
    const list = transport.validate(SessionListSchema, answer);
    const etag = answer.etag === undefined ? {} : { etag: answer.etag };
    if (Array.isArray(list)) {
      const total = headerInt(answer.response, 'x-wp-total');
      const totalPages = headerInt(answer.response, 'x-wp-totalpages');
      // A server without pagination (the 3.x plugin) sends everything in one answer and no totals.
      return {
        items: list,
        page,
        perPage,
        total: total ?? list.length,
        totalPages: totalPages ?? (list.length > 0 ? 1 : 0),
        ...etag,
      };
    }
    if (list && typeof list === 'object' && Array.isArray((list as { sessions?: unknown }).sessions)) {
      return {
        items: list.sessions,
        page: typeof list.page === 'number' ? list.page : page,
        perPage,
        total: list.total_sessions,
        totalPages: list.total_pages,
        ...etag,
      };
    }
    throw shapeError(answer, 'Expected an array of sessions or a { sessions, page, total_pages } object');
  }

  async function pageAnswer(
    options: SessionPageOptions,
    condition: Condition,
  ): Promise<Conditional<SessionPage>> {
    const pageNo = options.page ?? 1;
    const perPage = options.perPage ?? DEFAULT_PER_PAGE;
    try {
      const answer = await transport.request({
        method: 'GET',
        path: 'sessions',
        searchParams: {
          page: pageNo,
          per_page: perPage,
          orderby: options.orderBy,
          order: options.order,
          search: options.search,
          source: options.source,
        },
        signal: options.signal,
        ifNoneMatch: heldTag(condition),
      });
      return conditional(answer, () => toPage(answer, pageNo, perPage));
    } catch (error) {
      if (isNoCarts(error)) {
        const empty: SessionPage = { items: [], page: pageNo, perPage, total: 0, totalPages: 0 };
        return { notModified: false, etag: undefined, data: empty };
      }
      throw error;
    }
  }

  async function plainPage(options: SessionPageOptions): Promise<SessionPage> {
    return bare(await pageAnswer(options, UNCONDITIONAL));
  }

  /** The pages of a paginated server in order, `concurrency` (or `prefetch`) in flight. */
  function pagesOf(options: SessionIterateOptions & { concurrency?: number }): AsyncIterable<SessionPage> {
    const { startPage, prefetch, concurrency, signal, ...query } = options;
    return walkPages(
      (n, pageSignal) =>
        plainPage({ ...query, perPage: query.perPage ?? MAX_PER_PAGE, page: n, signal: pageSignal }),
      {
        start: startPage ?? 1,
        concurrency: atLeastOne(concurrency ?? prefetch ?? DEFAULT_PREFETCH),
        signal,
      },
    );
  }

  async function* walk(
    options: SessionIterateOptions & { concurrency?: number },
    isNew: (session: SessionSummary) => boolean,
    onPage?: (p: SessionPage) => void,
  ): AsyncGenerator<SessionSummary> {
    for await (const current of pagesOf(options)) {
      onPage?.(current);
      for (const session of current.items) if (isNew(session)) yield session;
    }
  }

  /** Walks a paginated server from page 1, `concurrency` pages at a time; collects each page's ETag. */
  async function walkAll(
    options: SessionListOptions,
    seen: Set<string>,
    all: SessionSummary[],
    tags: Array<string | undefined>,
  ): Promise<void> {
    let total: number | undefined;
    const onPage = (p: SessionPage) => {
      tags.push(p.etag);
      total = p.total;
    };
    for await (const s of walk(
      {
        ...WALK_QUERY,
        signal: options.signal,
        concurrency: options.concurrency ?? DEFAULT_PAGE_CONCURRENCY,
      },
      (session) => firstSeen(seen, session),
      onPage,
    )) {
      all.push(s);
      if (all.length % MAX_PER_PAGE === 0) options.onProgress?.({ loaded: all.length, total });
    }
  }

  /** True when every page of an earlier walk still answers 304 to its tag. */
  async function pagesUnchanged(pageTags: string[], options: SessionListOptions): Promise<boolean> {
    // After a change, p-map settles without the checks still running: they are aborted, not awaited.
    const done = new AbortController();
    const signal = eitherSignal(options.signal, done.signal);
    try {
      const unchanged = await pMap(
        pageTags,
        async (etag, i) => {
          const page = await pageAnswer({ ...WALK_QUERY, page: i + 1, signal }, { conditional: true, etag });
          // The first changed page ends the check: the whole list is fetched again anyway.
          return page.notModified ? true : pMapStop;
        },
        { concurrency: atLeastOne(options.concurrency ?? DEFAULT_PAGE_CONCURRENCY) },
      );
      return unchanged.length === pageTags.length;
    } finally {
      done.abort();
    }
  }

  async function listAnswer(
    options: SessionListOptions,
    condition: Condition,
  ): Promise<Conditional<SessionSummary[]>> {
    const tag = heldTag(condition);
    const held = tag?.split(' ') ?? [];
    let answer: ArrayAnswer<SessionSummary>;
    try {
      answer = await transport.requestArray(
        { method: 'GET', path: 'sessions', signal: options.signal, ifNoneMatch: held[0] },
        SessionListV3Schema,
        options.onProgress &&
          ((loaded, response) => options.onProgress?.({ loaded, total: headerInt(response, 'x-wp-total') })),
        isSessionSummary,
      );
    } catch (error) {
      if (isNoCarts(error)) return { notModified: false, etag: undefined, data: [] };
      throw error;
    }
    const seen = new Set<string>();
    const all: SessionSummary[] = [];
    if (answer.notModified) {
      if (answer.etag === undefined) throw shapeError(answer, '304 Not Modified without an ETag');
      if (tag === undefined) throw unasked304();
      // A paginated list is unchanged only if every page is; any change refetches the whole list.
      if (held.length === 1 || (await pagesUnchanged(held.slice(1), options))) {
        return { notModified: true, etag: tag };
      }
      return listAnswer(options, { conditional: true, etag: undefined });
    }
    // The 3.x form is complete, already parsed and validated element by element.
    if (answer.items) return { notModified: false, etag: answer.etag, data: answer.items };
    const first = toPage(answer, 1, DEFAULT_PER_PAGE);
    // A 4.x server answered its first page only.
    if (first.totalPages <= 1) return { notModified: false, etag: answer.etag, data: first.items };
    options.onProgress?.({ loaded: 0, total: first.total });
    const tags: Array<string | undefined> = [];
    await walkAll(options, seen, all, tags);
    options.onProgress?.({ loaded: all.length, total: first.total });
    return { notModified: false, etag: joinTags([answer.etag, ...tags]), data: all };
  }

  async function* streamAll(options: SessionStreamOptions): AsyncGenerator<SessionSummary> {
    // One generator between the batches and the caller: each level costs every session a promise.
    for await (const batch of streamBatches(options)) for (const session of batch) yield session;
  }

  async function* streamBatches(options: SessionStreamOptions): AsyncGenerator<SessionSummary[]> {
    let answer: ArrayStreamAnswer<SessionSummary>;
    try {
      answer = await transport.streamArray(
        { method: 'GET', path: 'sessions', signal: options.signal },
        SessionListV3Schema,
        isSessionSummary,
      );
    } catch (error) {
      if (isNoCarts(error)) return;
      throw error;
    }
    if (answer.batches) {
      for await (const batch of answer.batches) if (batch.length > 0) yield batch;
      return;
    }
    if (answer.notModified) throw unasked304();
    const first = toPage(answer, 1, DEFAULT_PER_PAGE);
    // A 4.x server answered its first page only.
    if (first.totalPages <= 1) {
      if (first.items.length > 0) yield first.items;
      return;
    }
    const isNew = laterThanLast();
    const query = { ...WALK_QUERY, signal: options.signal, prefetch: options.prefetch ?? DEFAULT_PREFETCH };
    for await (const page of pagesOf(query)) {
      const fresh = page.items.filter(isNew);
      if (fresh.length > 0) yield fresh;
    }
  }

  async function cartAnswer(
    cartKey: string,
    options: GetCartOptions,
    condition: Condition,
  ): Promise<Conditional<Cart>> {
    const key = checkKey(cartKey);
    const answer = await transport.request({
      method: 'GET',
      path: `session/${key}`,
      searchParams: options.thumb === undefined ? undefined : { thumb: options.thumb },
      signal: options.signal,
      ifNoneMatch: heldTag(condition),
    });
    return conditional(answer, () => transport.validate(CartSchema, answer));
  }

  async function itemsAnswer(
    cartKey: string,
    options: CallOptions,
    condition: Condition,
  ): Promise<Conditional<ItemsMap>> {
    const key = checkKey(cartKey);
    const answer = await transport.request({
      method: 'GET',
      path: `session/${key}/items`,
      signal: options.signal,
      ifNoneMatch: heldTag(condition),
    });
    return conditional(answer, (): ItemsMap => {
      // PHP's empty array is a map with no entries, whatever the validation mode.
      if (Array.isArray(answer.data) && answer.data.length === 0) return {};
      return transport.validate(ItemsMapSchema, answer);
    });
  }

  // Overloads, as SessionsResource declares them: the implementation returns either shape.
  function list(options: SessionListOptions & ConditionalOptions): Promise<Conditional<SessionSummary[]>>;
  function list(options?: SessionListOptions & Unconditional): Promise<SessionSummary[]>;
  function list(
    options: SessionListOptions & MaybeConditional,
  ): Promise<Conditional<SessionSummary[]> | SessionSummary[]>;
  async function list(options: SessionListOptions & MaybeConditional = {}) {
    return inShape(options, (condition) => listAnswer(options, condition));
  }

  function page(options: SessionPageOptions & ConditionalOptions): Promise<Conditional<SessionPage>>;
  function page(options?: SessionPageOptions & Unconditional): Promise<SessionPage>;
  function page(
    options: SessionPageOptions & MaybeConditional,
  ): Promise<Conditional<SessionPage> | SessionPage>;
  async function page(options: SessionPageOptions & MaybeConditional = {}) {
    return inShape(options, (condition) => pageAnswer(options, condition));
  }

  function get(cartKey: string, options: GetCartOptions & ConditionalOptions): Promise<Conditional<Cart>>;
  function get(cartKey: string, options?: GetCartOptions & Unconditional): Promise<Cart>;
  function get(
    cartKey: string,
    options: GetCartOptions & MaybeConditional,
  ): Promise<Conditional<Cart> | Cart>;
  async function get(cartKey: string, options: GetCartOptions & MaybeConditional = {}) {
    return inShape(options, (condition) => cartAnswer(cartKey, options, condition));
  }

  function items(cartKey: string, options: CallOptions & ConditionalOptions): Promise<Conditional<ItemsMap>>;
  function items(cartKey: string, options?: CallOptions & Unconditional): Promise<ItemsMap>;
  function items(
    cartKey: string,
    options: CallOptions & MaybeConditional,
  ): Promise<Conditional<ItemsMap> | ItemsMap>;
  async function items(cartKey: string, options: CallOptions & MaybeConditional = {}) {
    return inShape(options, (condition) => itemsAnswer(cartKey, options, condition));
  }

  return {
    list,
    page,
    iterate(options = {}) {
      const seen = new Set<string>();
      return { [Symbol.asyncIterator]: () => walk(options, (session) => firstSeen(seen, session)) };
    },
    stream(options = {}) {
      return { [Symbol.asyncIterator]: () => streamAll(options) };
    },
    streamBatches(options = {}) {
      return { [Symbol.asyncIterator]: () => streamBatches(options) };
    },
    get,
    items,

    async delete(cartKey, options = {}) {
      const key = checkKey(cartKey);
      const send = async () =>
        transport.validate(
          DeleteResponseSchema,
          await transport.request({
            method: 'DELETE',
            path: `session/${key}`,
            retry: 0,
            signal: options.signal,
          }),
        );
      try {
        return await send();
      } catch (error) {
        if (!isCoCartNetworkError(error) || options.signal?.aborted) throw error;
      }
      // The first DELETE may have deleted the cart before its answer was lost: "not valid" now means done.
      try {
        return await send();
      } catch (error) {
        if (isApiErrorCode(error, 'cocart_session_not_valid') && error.status === 404) {
          // The seed's answer, reported when a retried DELETE finds the cart already gone.
          return CART_DELETED_MESSAGE;
        }
        throw error;
      }
    },
  };
}
