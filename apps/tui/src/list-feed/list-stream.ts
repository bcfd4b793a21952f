import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type ClientAuth, CoCartApiError, type CoCartClient, redactUrl } from '@cocart-sessions/client';
import { isSessionSummary, type SessionSummary } from '@cocart-sessions/core';

/** What the stream needs of the client's options: how it logs in. */
type StreamAuth = { auth?: ClientAuth | undefined };

/** Longest run of work between two turns of the event loop (ms): requests wait at most this. */
export const SLICE_MS = 8;

/** Resolves on the next turn of the event loop, after pending messages are handled. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What a load found: nothing changed (304), or the sessions now listed, with the new tag. */
export type StreamOutcome = { notModified: true } | { notModified: false; etag: string | undefined };

/** Options of {@link streamSessions}. */
export interface StreamOptions {
  /** The tag of the list held (as `streamSessions` returned it), sent as `If-None-Match`. */
  etag: string | undefined;
  /** Sessions, a batch at a time, in the server's order; awaited before the next batch. */
  onBatch: (batch: SessionSummary[]) => void | Promise<void>;
  /** How many sessions arrived so far and, when the server says, how many in all. */
  onProgress?: (loaded: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

/** Bytes of whitespace JSON allows before the array. */
const BLANK = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Longest run of text held without a place to cut: past it the answer is for the client to read. */
const MAX_PENDING = 8 * 2 ** 20;

/** Places to cut tried in one piece of the body, from its end, before waiting for more of it. */
const CUTS_TRIED = 4;

/** Parses `text`, or undefined when it is not JSON. */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads a JSON array of objects, arriving as bytes, a run of whole elements at a time, without
 * scanning every character for its structure: a run ends at the last `},` that has arrived. A cut
 * inside a string, or after an object nested in an element, leaves text that is not an array, which
 * `JSON.parse` refuses: then an earlier `},` is tried, or more bytes are awaited. A run that parses
 * proves its cut. A `}` is never part of a multi-byte character, so a cut is also one between UTF-8
 * characters.
 */
export class ArrayCutter {
  #pending: Buffer | undefined;
  state: 'before' | 'array' | 'not-array' = 'before';

  /** Feeds bytes; returns the elements they completed, or undefined. */
  push(chunk: Buffer): unknown[] | undefined {
    if (this.state === 'not-array') return undefined;
    const data = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    let start = 0;
    if (this.state === 'before') {
      while (start < data.length && BLANK.has(data[start] as number)) start++;
      if (start === data.length) return undefined;
      if (data[start] !== 0x5b) {
        this.state = 'not-array';
        return undefined;
      }
      this.state = 'array';
      start++;
    }
    let cut = data.length;
    for (let tries = 0; tries < CUTS_TRIED; tries++) {
      cut = data.lastIndexOf('},', cut - 1);
      if (cut < start) break;
      const items = parseOrUndefined(`[${data.toString('utf8', start, cut + 1)}]`);
      if (Array.isArray(items)) {
        this.#pending = data.subarray(cut + 2);
        return items;
      }
    }
    this.#pending = data.subarray(start);
    if (this.#pending.length > MAX_PENDING) this.state = 'not-array';
    return undefined;
  }

  /** At the end of the body: the last elements, or undefined when the body was not a whole array. */
  end(): unknown[] | undefined {
    if (this.state !== 'array') return undefined;
    const items = parseOrUndefined(`[${this.#pending?.toString('utf8') ?? ''}`);
    return Array.isArray(items) ? items : undefined;
  }
}

function authHeaders(options: StreamAuth): { headers: Record<string, string>; query: string } {
  const auth = options.auth;
  const basic = (a: string, b: string) => `Basic ${Buffer.from(`${a}:${b}`, 'utf8').toString('base64')}`;
  if (!auth) return { headers: {}, query: '' };
  if ('token' in auth) return { headers: { authorization: `Bearer ${auth.token}` }, query: '' };
  if ('consumerKey' in auth) {
    if (auth.queryString) {
      const q = new URLSearchParams({ consumer_key: auth.consumerKey, consumer_secret: auth.consumerSecret });
      return { headers: {}, query: `?${q}` };
    }
    return { headers: { authorization: basic(auth.consumerKey, auth.consumerSecret) }, query: '' };
  }
  return { headers: { authorization: basic(auth.username, auth.password) }, query: '' };
}

/**
 * Every session of the store, a batch at a time, never all held: a 3.x array (our server's default)
 * is read as it streams and parsed a batch of elements at a time. Anything else (a 4.x server's
 * pages, an error, an element the core's model refuses, a tag of a paged list) goes through the
 * client's `list()`, which knows every form and reports every failure as the rest of the TUI does.
 */
export async function streamSessions(
  client: CoCartClient,
  options: StreamAuth,
  opts: StreamOptions,
): Promise<StreamOutcome> {
  // A paged list's tag is one tag per page, joined with spaces: only the client checks those.
  if (opts.etag === undefined || !opts.etag.includes(' ')) {
    const direct = await streamArray(client, options, opts);
    if (direct !== undefined) return direct;
  }
  return viaClient(client, opts);
}

async function viaClient(client: CoCartClient, opts: StreamOptions): Promise<StreamOutcome> {
  const answer = await client.sessions.list({
    ifNoneMatch: opts.etag,
    signal: opts.signal,
    onProgress: opts.onProgress && (({ loaded, total }) => opts.onProgress?.(loaded, total)),
  });
  if (answer.notModified) return { notModified: true };
  const all = answer.data;
  const BATCH = 2000;
  for (let i = 0; i < all.length; i += BATCH) {
    await opts.onBatch(all.slice(i, i + BATCH));
    opts.onProgress?.(Math.min(all.length, i + BATCH), all.length);
  }
  return { notModified: false, etag: answer.etag };
}

/** GET `url` with node's own HTTP client: a big body streams through it far faster than through fetch. */
function get(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { headers, signal }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** The 3.x array read as it streams; undefined when the answer is for the client to read. */
async function streamArray(
  client: CoCartClient,
  options: StreamAuth,
  opts: StreamOptions,
): Promise<StreamOutcome | undefined> {
  const { headers, query } = authHeaders(options);
  const url = `${client.apiUrl.replace(/\/?$/, '/')}sessions`;
  const response = await get(
    `${url}${query}`,
    {
      accept: 'application/json',
      ...headers,
      ...(opts.etag === undefined ? {} : { 'if-none-match': opts.etag }),
    },
    opts.signal,
  ).catch(() => undefined);
  if (response === undefined) return undefined;
  const status = response.statusCode ?? 0;
  const header = (name: string) => {
    const v = response.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  if (status === 304 && opts.etag !== undefined) {
    response.resume();
    return { notModified: true };
  }
  if (status >= 400 && status < 500 && status !== 429) return refusal(response, status, url);
  if (status !== 200) {
    response.resume();
    return undefined;
  }
  const totalHeader = header('x-wp-total');
  const total = totalHeader !== undefined && /^\d+$/.test(totalHeader) ? Number(totalHeader) : undefined;
  const cutter = new ArrayCutter();
  let loaded = 0;
  let since = performance.now();
  /** Hands a run of elements on; false when they are not all sessions. */
  const take = async (items: unknown[]): Promise<boolean> => {
    for (const item of items) if (!isSessionSummary(item)) return false;
    if (items.length === 0) return true;
    await opts.onBatch(items as SessionSummary[]);
    loaded += items.length;
    opts.onProgress?.(loaded, total);
    return true;
  };
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      const items = cutter.push(chunk);
      if (cutter.state === 'not-array') return undefined;
      if (items !== undefined && !(await take(items))) return undefined;
      if (performance.now() - since > SLICE_MS) {
        await nextTurn();
        since = performance.now();
      }
    }
  } finally {
    response.destroy();
  }
  const rest = cutter.end();
  if (rest === undefined || !(await take(rest))) return undefined;
  return { notModified: false, etag: header('etag') };
}

/**
 * A 4xx answer in the WordPress error envelope, as the client would throw it (a failed login is
 * slow on purpose: asking again through the client would double the wait); an empty store is an
 * empty list. Undefined for any other body: the client reads it.
 */
async function refusal(
  response: IncomingMessage,
  status: number,
  url: string,
): Promise<StreamOutcome | undefined> {
  let body: unknown;
  try {
    let text = '';
    response.setEncoding('utf8');
    for await (const chunk of response as AsyncIterable<string>) text += chunk;
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const envelope = body as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof envelope?.code !== 'string' || typeof envelope.message !== 'string') return undefined;
  if (status === 404 && envelope.code === 'cocart_no_carts_in_session') {
    return { notModified: false, etag: undefined };
  }
  const data =
    typeof envelope.data === 'object' && envelope.data !== null
      ? (envelope.data as Record<string, unknown>)
      : { status };
  throw new CoCartApiError({
    status,
    code: envelope.code as never,
    message: envelope.message,
    data,
    // The client's errors carry a fetch Response: this one is rebuilt from what was read.
    response: new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    method: 'GET',
    url: redactUrl(url),
  });
}

/** The first page as the TUI shows it before the list: its sessions and the store's total. */
export interface FirstPage {
  items: SessionSummary[];
  total: number;
  totalPages: number;
}

/**
 * One page of `perPage` sessions by cart_id, read only when the server paged: a 3.x store that
 * ignores paging answers the whole array, which is left unread here (the list worker streams it;
 * reading it in the UI thread would stall the screen for as long as the store is big). Undefined
 * for that answer and for any failure, which the list's own load reports.
 */
export async function firstPageOf(
  apiUrl: string,
  options: StreamAuth,
  perPage: number,
): Promise<FirstPage | undefined> {
  const { headers, query } = authHeaders(options);
  const params = `page=1&per_page=${perPage}&orderby=cart_id&order=asc`;
  const url = `${apiUrl.replace(/\/?$/, '/')}sessions${query === '' ? '?' : `${query}&`}${params}`;
  const response = await get(url, { accept: 'application/json', ...headers }).catch(() => undefined);
  if (response === undefined) return undefined;
  try {
    if (response.statusCode !== 200) return undefined;
    const number = (name: string) => {
      const v = response.headers[name];
      return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
    };
    const total = number('x-wp-total');
    const totalPages = number('x-wp-totalpages');
    response.setEncoding('utf8');
    let text = '';
    for await (const chunk of response as AsyncIterable<string>) {
      text += chunk;
      // A bare array without the paging headers is a whole 3.x list: not for this thread.
      if (total === undefined && /^\s*\[/.test(text)) return undefined;
      if (text.length > 4_000_000) return undefined;
    }
    const body = JSON.parse(text) as unknown;
    if (Array.isArray(body)) {
      if (total === undefined || !body.every(isSessionSummary)) return undefined;
      return { items: body, total, totalPages: totalPages ?? Math.ceil(total / perPage) };
    }
    const v4 = body as { sessions?: unknown; total_sessions?: unknown; total_pages?: unknown };
    if (!Array.isArray(v4?.sessions) || !v4.sessions.every(isSessionSummary)) return undefined;
    if (typeof v4.total_sessions !== 'number' || typeof v4.total_pages !== 'number') return undefined;
    return { items: v4.sessions, total: v4.total_sessions, totalPages: v4.total_pages };
  } catch {
    return undefined;
  } finally {
    response.destroy();
  }
}
