import { ApiError, invalidParams, MAX_PER_PAGE, SESSION_ORDER_BY, SORT_ORDERS } from '@cocart-sessions/core';
import type { Request, Response } from 'express';
import type { ServerConfig } from '../config.js';
import type { ChangeVersion } from '../store/change-version.js';
import type { ListQuery, SessionRow, SessionStore } from '../store/session-store.js';
import { answerNotModified, etagOf } from './etag.js';
import { namespaceUrl } from './links.js';
import { readQuery } from './query.js';
import { ApiDateFormatter, summaryJson } from './summary-json.js';

const PAGING_PARAMS = ['page', 'per_page', 'orderby', 'order', 'search', 'source'] as const;
const LIST_PARAMS: ReadonlySet<string> = new Set(PAGING_PARAMS);
const STREAM_BATCH = 1000;
/**
 * A batch of the full list is built as strings of about this many characters and sent as one
 * buffer. A string past 128 KB is a large object to V8, and flattening and encoding one cost three
 * times as much per byte: 100k sessions took 171 ms of CPU to build and encode as strings of 1000
 * rows (300 KB), 55 ms as strings of 100 rows (31 KB). One HTTP chunk per batch instead of one per
 * string keeps the client's share down too (100k sessions, interleaved: 468 ms before, 364 ms with
 * a chunk per string, 295 ms with a chunk per batch).
 */
const PART_CHARS = 32 * 1024;
const MAX_PAGE = 2 ** 31 - 1;
// Day prefixes are pure functions of the day: one cache for every request.
const dates = new ApiDateFormatter();

/** Defaults of a paginated list: v3 continues the full list's order; v4 is CoCart 4.x's. */
const DEFAULTS = {
  v3: { perPage: 10, orderBy: 'cart_id', order: 'asc' },
  v4: { perPage: 10, orderBy: 'cart_created', order: 'desc' },
} as const;

/** Parse the paging parameters; every bad one is named in one 400. */
export function parseListQuery(q: Readonly<Record<string, string>>, format: 'v3' | 'v4'): ListQuery {
  const d = DEFAULTS[format];
  const bad: Record<string, string> = {};
  const int = (name: string, fallback: number, max: number): number => {
    const raw = q[name];
    if (raw === undefined) return fallback;
    if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
      bad[name] = `${name} must be an integer from 1 to ${max}.`;
      return fallback;
    }
    return Number(raw);
  };
  const page = int('page', 1, MAX_PAGE);
  const perPage = int('per_page', d.perPage, MAX_PER_PAGE);
  const orderBy = q.orderby ?? d.orderBy;
  if (!(SESSION_ORDER_BY as readonly string[]).includes(orderBy)) {
    bad.orderby = `orderby is not one of ${SESSION_ORDER_BY.join(', ')}.`;
  }
  const order = (q.order ?? d.order).toLowerCase();
  if (!(SORT_ORDERS as readonly string[]).includes(order)) {
    bad.order = `order is not one of ${SORT_ORDERS.join(', ')}.`;
  }
  const search = q.search?.trim();
  if (search !== undefined && search.length > 200) bad.search = 'search must be at most 200 characters.';
  const source = q.source?.trim();
  if (source !== undefined && source.length > 64) bad.source = 'source must be at most 64 characters.';
  if (Object.keys(bad).length > 0) throw invalidParams(bad);
  const query: ListQuery = {
    page,
    perPage,
    orderBy: orderBy as ListQuery['orderBy'],
    order: order as ListQuery['order'],
  };
  if (search !== undefined && search !== '') query.search = search;
  if (source !== undefined && source !== '') query.source = source;
  return query;
}

function pageUrl(
  listUrl: string,
  q: ListQuery,
  page: number,
  given: Readonly<Record<string, string>>,
): string {
  const params = new URLSearchParams();
  params.set('page', String(page));
  params.set('per_page', String(q.perPage));
  // Only the caller's own list parameters: never consumer_key/consumer_secret.
  for (const name of ['orderby', 'order', 'search', 'source'] as const) {
    const v = given[name];
    if (v !== undefined) params.set(name, v);
  }
  return `${listUrl}?${params.toString()}`;
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * One batch of the full list as UTF-8: each row's summary, each but the very first after a comma.
 * A plain function rather than a loop inside `streamAll`: V8 optimises a hot loop of an ordinary
 * function while it runs, but not one of an async function, which stayed unoptimised for the first
 * lists of a fresh server (100k sessions: the second list took 340 ms of the main thread against
 * 200 ms once warm).
 */
function batchBytes(rows: readonly SessionRow[], first: boolean, sessionBase: string): Buffer {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < rows.length; i++) {
    chunk += (first && i === 0 ? '[' : ',') + summaryJson(rows[i]!, sessionBase, dates);
    if (chunk.length >= PART_CHARS) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part);
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  for (const part of parts) at += bytes.write(part, at);
  return bytes;
}

/** Stream every session as one JSON array, batch by batch, honouring backpressure. */
async function streamAll(
  res: Response,
  store: SessionStore,
  sessionBase: string,
  etag: string,
): Promise<void> {
  const iterator = store.streamSessionRows(STREAM_BATCH)[Symbol.asyncIterator]();
  let next = await iterator.next();
  while (!next.done && next.value.length === 0) next = await iterator.next();
  if (next.done) throw new ApiError('cocart_no_carts_in_session');
  let finished = false;
  try {
    res.statusCode = 200;
    res.setHeader('ETag', etag);
    let first = true;
    while (!next.done) {
      if (res.destroyed) break;
      if (next.value.length > 0) {
        if (!res.write(batchBytes(next.value, first, sessionBase))) await drained(res);
        first = false;
      }
      next = await iterator.next();
    }
    finished = next.done === true;
    if (!res.destroyed) res.end(']');
  } finally {
    if (!finished) await iterator.return?.();
  }
}

/** GET /sessions: the full list streamed (v3, no parameters) or one page (extensions, or v4). */
export function listSessionsHandler(store: SessionStore, changes: ChangeVersion, config: ServerConfig) {
  return async function listSessions(req: Request, res: Response): Promise<void> {
    const given = readQuery(req, LIST_PARAMS);
    const base = namespaceUrl(req, config);
    const sessionBase = `${base}/session/`;
    const paged = config.listFormat === 'v4' || PAGING_PARAMS.some((p) => given[p] !== undefined);
    // Read before the rows: the answer is then at least as new as its tag.
    const version = await changes.current('sessions');
    const variant = `sessions ${config.listFormat} ${base} ${PAGING_PARAMS.map((p) => given[p] ?? '').join('\u0000')}`;
    const etag = etagOf(version, variant);
    if (!paged) {
      if (answerNotModified(req, res, etag)) return;
      await streamAll(res, store, sessionBase, etag);
      return;
    }
    const q = parseListQuery(given, config.listFormat);
    if (answerNotModified(req, res, etag)) return;
    const filter = { ...(q.search && { search: q.search }), ...(q.source && { source: q.source }) };
    const total = await store.countSessions(filter);
    if (total === 0 && config.listFormat === 'v4' && q.search === undefined && q.source === undefined) {
      throw new ApiError('cocart_no_carts_in_session');
    }
    const totalPages = Math.ceil(total / q.perPage);
    const rows = q.page > totalPages ? [] : await store.listSessionRows(q, version);
    const listUrl = `${base}/sessions`;
    const prevPage = q.page > 1 ? Math.min(q.page - 1, Math.max(totalPages, 1)) : undefined;
    const nextPage = q.page < totalPages ? q.page + 1 : undefined;
    const prev = prevPage === undefined ? undefined : pageUrl(listUrl, q, prevPage, given);
    const next = nextPage === undefined ? undefined : pageUrl(listUrl, q, nextPage, given);
    res.setHeader('X-WP-Total', String(total));
    res.setHeader('X-WP-TotalPages', String(totalPages));
    const links = [prev && `<${prev}>; rel="prev"`, next && `<${next}>; rel="next"`].filter(Boolean);
    if (links.length > 0) res.setHeader('Link', links.join(', '));
    let sessions = '[';
    for (let i = 0; i < rows.length; i++) {
      sessions += (i === 0 ? '' : ',') + summaryJson(rows[i]!, sessionBase, dates);
    }
    sessions += ']';
    res.statusCode = 200;
    res.setHeader('ETag', etag);
    if (config.listFormat !== 'v4') {
      res.end(sessions);
      return;
    }
    // Same keys in the same order as the object CoCart 4.x answers.
    res.end(
      `{"sessions":${sessions},"page":${q.page},"total_pages":${totalPages},"total_sessions":${total}` +
        `${prev ? `,"prev":${JSON.stringify(prev)}` : ''}${next ? `,"next":${JSON.stringify(next)}` : ''}}`,
    );
  };
}
