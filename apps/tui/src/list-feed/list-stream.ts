import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type ClientAuth, CoCartApiError, type CoCartClient, redactUrl } from '@cocart-sessions/client';
import { isSessionSummary, type SessionSummary } from '@cocart-sessions/core';
import { SessionRun } from './session-run.js';

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
  /**
   * Sessions, a batch at a time, in the server's order; awaited before the next batch. `digest`
   * names the bytes the batch was read from, when {@link StreamOptions.knownRun} was given.
   */
  onBatch: (batch: SessionRun, digest?: string) => void | Promise<void>;
  /**
   * Asked for each run of the array (see {@link ArrayCutter}) by the digest of its bytes: when the
   * list holds that run's sessions as they were, how many they are (they are not parsed again);
   * otherwise undefined. Without it, runs are not digested.
   */
  knownRun?: KnownRun;
  /** How many sessions arrived so far and, when the server says, how many in all. */
  onProgress?: (loaded: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

/** Bytes of whitespace JSON allows before the array. */
const BLANK = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Longest run of text held without a place to cut: past it the answer is for the client to read. */
const MAX_PENDING = 8 * 2 ** 20;

/**
 * Where a run may end: a session's last value ending in `00` (its link ends with its cart key), so
 * about one session in 256 of a store of hex keys. Inside a string a quote is escaped, so the mark is
 * always the end of an object: of an element, or of an object nested in one (that cut fails to
 * parse). The places depend on the text alone, not on where the network split it: a session added or
 * removed changes one run, and the runs after it are the same bytes as before.
 */
const RUN_MARK = Buffer.from('00"},');

/** Index of `}` in {@link RUN_MARK}. */
const MARK_END = 3;

/** A run this long without a mark may end at any `},` (a store whose values never end in `00`). */
const MAX_RUN = 256 * 1024;

const ELEMENT_END = Buffer.from('},');

/** No place to end the run in the bytes at hand. */
const NO_END = -2;

/** The last `n` bytes of `parts` (fewer when they hold fewer). */
function tailOf(parts: readonly Buffer[], n: number): Buffer {
  const tail: Buffer[] = [];
  let length = 0;
  for (let k = parts.length - 1; k >= 0 && length < n; k--) {
    const part = parts[k] as Buffer;
    const take = part.subarray(Math.max(0, part.length - (n - length)));
    tail.unshift(take);
    length += take.length;
  }
  return Buffer.concat(tail);
}

/** Parses `text`, or undefined when it is not JSON. */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Digest of a run's bytes, given as the pieces they arrived in. */
type Hasher = (parts: readonly Buffer[]) => string;

/** How many sessions the list holds from the run of `digest`, or undefined for a run it does not know. */
export type KnownRun = (digest: string) => number | undefined;

/**
 * A run of whole elements: sessions in our server's form (`sessions`, read from the bytes), any
 * other JSON (`items`, parsed), or the same bytes as a run the list holds, of `held` sessions.
 */
export type Run =
  | { sessions: SessionRun; items?: undefined; digest: string | undefined; held?: undefined }
  | { sessions?: undefined; items: unknown[]; digest: string | undefined; held?: undefined }
  | { sessions?: undefined; items?: undefined; digest: string; held: number };

/**
 * The run of `parts`, the bytes of whole elements (and of the array's end, in the `last` run): read
 * as sessions when they are in our server's form, else parsed; undefined when they are not whole
 * elements (the cut is not a place to end).
 */
function runOf(parts: readonly Buffer[], digest: string | undefined, last: boolean): Run | undefined {
  const bytes = Buffer.concat(parts);
  let end = bytes.length;
  if (last) {
    while (end > 0 && BLANK.has(bytes[end - 1] as number)) end--;
    end = bytes[end - 1] === 0x5d ? end - 1 : -1;
  }
  const sessions = end === -1 ? undefined : SessionRun.scan(bytes.subarray(0, end));
  if (sessions !== undefined) return { sessions, digest };
  const items = parseOrUndefined(`[${bytes.toString('utf8')}${last ? '' : ']'}`);
  return Array.isArray(items) ? { items, digest } : undefined;
}

/**
 * Reads a JSON array of objects, arriving as bytes, a run of whole elements at a time, without
 * scanning every character for its structure: a run ends at a place marked by the text itself
 * ({@link RUN_MARK}). A mark inside a string, or after an object nested in an element, leaves text
 * that is not an array, which `JSON.parse` refuses: the run then goes on to the next mark. A run that
 * parses proves its cut. A `}` is never part of a multi-byte character, so a cut is also one between
 * UTF-8 characters. Given a `known` test, a run whose digest it knows is not parsed at all: a list
 * read again, where a few sessions changed, costs the digests, not a million objects.
 */
export class ArrayCutter {
  /** The bytes of the run under way, from its first element. */
  #parts: Buffer[] = [];
  #length = 0;
  state: 'before' | 'array' | 'not-array' = 'before';
  readonly #hash: Hasher | undefined;

  constructor(hash?: Hasher) {
    this.#hash = hash;
  }

  /** Feeds bytes; returns the runs they completed (often none). */
  push(chunk: Buffer, known?: KnownRun): Run[] {
    if (this.state === 'not-array') return [];
    let data = chunk;
    if (this.state === 'before') {
      let start = 0;
      while (start < data.length && BLANK.has(data[start] as number)) start++;
      if (start === data.length) return [];
      if (data[start] !== 0x5b) {
        this.state = 'not-array';
        return [];
      }
      this.state = 'array';
      data = data.subarray(start + 1);
    }
    const runs: Run[] = [];
    // The run goes on in `data` from `from`; marks are looked for from `at`.
    let from = 0;
    let at = 0;
    for (;;) {
      const end = this.#nextEnd(data, from, at);
      if (end === NO_END) break;
      // Past the seam even when the mark ended before `data` (`end` -1): it is tried once.
      at = Math.max(end + 1, 1);
      const parts = [...this.#parts, data.subarray(from, end + 1)];
      const digest = this.#hash?.(parts);
      const held = digest === undefined ? undefined : known?.(digest);
      if (digest !== undefined && held !== undefined) {
        runs.push({ items: undefined, digest, held });
      } else {
        const run = runOf(parts, digest, false);
        if (run === undefined) continue;
        runs.push(run);
      }
      this.#parts = [];
      this.#length = 0;
      from = end + 2;
      at = from;
    }
    if (from < data.length) {
      this.#parts.push(data.subarray(from));
      this.#length += data.length - from;
    }
    if (this.#length > MAX_PENDING) this.state = 'not-array';
    return runs;
  }

  /**
   * The index in `data` of the `}` ending the next place the run may end, at or after `at`: -1 when
   * it is the last byte before `data` (a mark across two pieces), NO_END for none.
   */
  #nextEnd(data: Buffer, from: number, at: number): number {
    let markEnd = NO_END;
    if (at === 0 && this.#length > 0) {
      // A mark across the seam: only one whose last byte is in `data` (the rest were tried before).
      const tail = tailOf(this.#parts, RUN_MARK.length - 1);
      const seam = Buffer.concat([tail, data.subarray(0, RUN_MARK.length - 1)]);
      const mark = seam.indexOf(RUN_MARK, Math.max(0, tail.length - RUN_MARK.length + 1));
      if (mark !== -1) markEnd = mark + MARK_END - tail.length;
    }
    if (markEnd === NO_END) {
      const mark = data.indexOf(RUN_MARK, Math.max(0, at - MARK_END));
      if (mark !== -1) markEnd = mark + MARK_END;
    }
    const runLength = this.#length + data.length - from;
    if (runLength > MAX_RUN) {
      const any = data.indexOf(ELEMENT_END, Math.max(at, from + MAX_RUN - this.#length));
      if (any !== -1 && (markEnd === NO_END || any < markEnd)) return any;
    }
    return markEnd;
  }

  /** At the end of the body: the last run, or undefined when the body was not a whole array. */
  end(known?: KnownRun): Run | undefined {
    if (this.state !== 'array') return undefined;
    const digest = this.#hash?.(this.#parts);
    const held = digest === undefined ? undefined : known?.(digest);
    if (digest !== undefined && held !== undefined) return { items: undefined, digest, held };
    return runOf(this.#parts, digest, true);
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
    await opts.onBatch(SessionRun.of(all.slice(i, i + BATCH)));
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
  const known = opts.knownRun;
  const cutter = new ArrayCutter(known && (await runHasher()));
  let loaded = 0;
  let since = performance.now();
  /** Hands a run on; false when its elements are not all sessions. */
  const take = async (run: Run): Promise<boolean> => {
    if (run.held !== undefined) {
      loaded += run.held;
      opts.onProgress?.(loaded, total);
      return true;
    }
    const { items, digest } = run;
    if (items !== undefined) for (const item of items) if (!isSessionSummary(item)) return false;
    const sessions = run.sessions ?? SessionRun.of(items as SessionSummary[]);
    if (sessions.count === 0) return true;
    await opts.onBatch(sessions, digest);
    loaded += sessions.count;
    opts.onProgress?.(loaded, total);
    return true;
  };
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      for (const run of cutter.push(chunk, known)) if (!(await take(run))) return undefined;
      if (cutter.state === 'not-array') return undefined;
      if (performance.now() - since > SLICE_MS) {
        await nextTurn();
        since = performance.now();
      }
    }
  } finally {
    response.destroy();
  }
  const rest = cutter.end(known);
  if (rest === undefined || !(await take(rest))) return undefined;
  return { notModified: false, etag: header('etag') };
}

/** SHA-256 of a run's parts. */
async function runHasher(): Promise<Hasher> {
  const { createHash } = await import('node:crypto');
  return (parts) => {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return hash.digest('base64');
  };
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
