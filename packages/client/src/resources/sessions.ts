import {
  type Cart,
  CartSchema,
  DeleteResponseSchema,
  type ErrorCode,
  type ItemsMap,
  ItemsMapSchema,
  isCartKey,
  MAX_PER_PAGE,
  SessionListSchema,
  type SessionOrderBy,
  type SessionSummary,
} from '@cocart-sessions/core';
import {
  type CoCartApiError,
  CoCartClientError,
  CoCartValidationError,
  type ValidationIssue,
} from '../errors.js';
import { isCoCartApiError, isCoCartNetworkError } from '../guards.js';
import type { Answer, CallOptions, Transport } from '../transport.js';

/** Query of one page of `GET /sessions`. */
export interface SessionPageOptions extends CallOptions {
  /** 1-based page number (default 1). */
  page?: number;
  /** Sessions per page, 1..100 (default 10, WordPress's default). */
  perPage?: number;
  orderBy?: SessionOrderBy;
  order?: 'asc' | 'desc';
  /** Substring of the customer's name or email, or of the cart key. */
  search?: string;
  /** Only sessions of this source (`"woocommerce"`, `"cocart"`, ...). */
  source?: string;
}

/** Options of {@link SessionsResource.iterate}: a page query without `page` fixed (default `perPage` 100). */
export type SessionIterateOptions = Omit<SessionPageOptions, 'page'> & {
  /** Page to start from (default 1). */
  startPage?: number;
};

/** One page of sessions in one shape, whichever list format the server speaks. */
export interface SessionPage {
  items: SessionSummary[];
  page: number;
  perPage: number;
  /** Sessions matching the query on the server (X-WP-Total, or `total_sessions` of a 4.x server). */
  total: number;
  /** Pages of `perPage` (X-WP-TotalPages, or `total_pages` of a 4.x server). */
  totalPages: number;
}

/** Options of {@link SessionsResource.get}. */
export interface GetCartOptions extends CallOptions {
  /** Ask for product thumbnails (the plugin's `thumb` flag). */
  thumb?: boolean;
}

/** The seed's answer, reported when a retried DELETE finds the cart already gone. */
const DELETED_MESSAGE = 'Cart successfully deleted!';

/** WordPress's default `per_page`, and the page size of the plugin's first `GET /sessions` answer. */
const DEFAULT_PER_PAGE = 10;

/** The calls of the Sessions API. */
export interface SessionsResource {
  /**
   * Every session in the store, in one array, from a 3.x server (bare array) or a 4.x server (all
   * pages walked, each `cart_key` once). An empty store gives `[]`.
   */
  list(options?: CallOptions): Promise<SessionSummary[]>;
  /** One page of sessions with the totals; an empty store gives an empty page. */
  page(options?: SessionPageOptions): Promise<SessionPage>;
  /**
   * Every session matching the query, fetching one page at a time as the loop asks for more.
   * Never yields the same `cart_key` twice (the 4.x plugin's pages overlap).
   * @example
   * for await (const s of client.sessions.iterate({ perPage: 100 })) console.log(s.cart_key);
   */
  iterate(options?: SessionIterateOptions): AsyncIterable<SessionSummary>;
  /** The cart of a session. Throws CoCartApiError `cocart_cart_in_session_not_valid` (404) for an unknown key. */
  get(cartKey: string, options?: GetCartOptions): Promise<Cart>;
  /** The items of a session keyed by `item_key`; `{}` when the server sends PHP's `[]`. */
  items(cartKey: string, options?: CallOptions): Promise<ItemsMap>;
  /**
   * Deletes a session and resolves with the server's message (any string). If the answer is lost,
   * the DELETE is sent once more and a 404 `cocart_session_not_valid` then counts as deleted.
   */
  delete(cartKey: string, options?: CallOptions): Promise<string>;
}

/** Throws before any request when `cartKey` could not be a cart key (PHP `\w`, 1..42 characters). */
function checkKey(cartKey: unknown): string {
  if (!isCartKey(cartKey)) {
    const shown = typeof cartKey === 'string' ? JSON.stringify(cartKey.slice(0, 50)) : typeof cartKey;
    throw new CoCartClientError(
      `Invalid cart key ${shown}: expected 1 to 42 characters among A-Z, a-z, 0-9 and _`,
      { code: 'invalid_cart_key' },
    );
  }
  return cartKey;
}

/** True for a CoCartApiError with one of the core's error codes. */
function isApiErrorCode(e: unknown, code: ErrorCode): e is CoCartApiError {
  return isCoCartApiError(e) && e.code === code;
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

/** Builds the Sessions resource over a transport. */
export function sessionsResource(transport: Transport): SessionsResource {
  /** Normalises either list generation into a page. */
  function toPage(answer: Answer, page: number, perPage: number): SessionPage {
    const list = transport.validate(SessionListSchema, answer);
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
      };
    }
    if (list && typeof list === 'object' && Array.isArray((list as { sessions?: unknown }).sessions)) {
      return {
        items: list.sessions,
        page: typeof list.page === 'number' ? list.page : page,
        perPage,
        total: list.total_sessions,
        totalPages: list.total_pages,
      };
    }
    throw shapeError(answer, 'Expected an array of sessions or a { sessions, page, total_pages } object');
  }

  async function page(options: SessionPageOptions = {}): Promise<SessionPage> {
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
      });
      return toPage(answer, pageNo, perPage);
    } catch (error) {
      if (isNoCarts(error)) return { items: [], page: pageNo, perPage, total: 0, totalPages: 0 };
      throw error;
    }
  }

  async function* walk(options: SessionIterateOptions, seen: Set<string>): AsyncGenerator<SessionSummary> {
    const { startPage, ...query } = options;
    let pageNo = startPage ?? 1;
    for (;;) {
      const current = await page({ ...query, perPage: query.perPage ?? MAX_PER_PAGE, page: pageNo });
      for (const session of current.items) if (firstSeen(seen, session)) yield session;
      if (current.items.length === 0 || pageNo >= current.totalPages) return;
      pageNo++;
    }
  }

  return {
    async list(options = {}) {
      let answer: Answer;
      try {
        answer = await transport.request({ method: 'GET', path: 'sessions', signal: options.signal });
      } catch (error) {
        if (isNoCarts(error)) return [];
        throw error;
      }
      const first = toPage(answer, 1, DEFAULT_PER_PAGE);
      // The 3.x form is already complete; a 4.x server answered its first page only.
      if (Array.isArray(answer.data) || first.totalPages <= 1) return first.items;
      const seen = new Set<string>();
      const all = first.items.filter((s) => firstSeen(seen, s));
      for await (const s of walk({ perPage: MAX_PER_PAGE, signal: options.signal }, seen)) all.push(s);
      return all;
    },

    page,

    iterate(options = {}) {
      return { [Symbol.asyncIterator]: () => walk(options, new Set()) };
    },

    async get(cartKey, options = {}) {
      const key = checkKey(cartKey);
      const answer = await transport.request({
        method: 'GET',
        path: `session/${key}`,
        searchParams: options.thumb === undefined ? undefined : { thumb: options.thumb },
        signal: options.signal,
      });
      return transport.validate(CartSchema, answer);
    },

    async items(cartKey, options = {}) {
      const key = checkKey(cartKey);
      const answer = await transport.request({
        method: 'GET',
        path: `session/${key}/items`,
        signal: options.signal,
      });
      // PHP's empty array is a map with no entries, whatever the validation mode.
      if (Array.isArray(answer.data) && answer.data.length === 0) return {};
      return transport.validate(ItemsMapSchema, answer);
    },

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
          return DELETED_MESSAGE;
        }
        throw error;
      }
    },
  };
}
