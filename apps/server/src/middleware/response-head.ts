import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/** The Content-Type of every answer, as WordPress sends it. */
export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

/** The plugin version we answer like; the suffix says this is not the plugin. */
export const COCART_VERSION = '4.3.0-reference';

/** Never cached: answers carry customers' carts. */
export const NO_STORE = 'no-cache, must-revalidate, max-age=0, no-store, private';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const SECURITY_HEADERS = [
  'Cache-Control',
  NO_STORE,
  'X-Content-Type-Options',
  'nosniff',
  'X-Frame-Options',
  'DENY',
  'Referrer-Policy',
  'no-referrer',
  'Content-Security-Policy',
  "default-src 'none'; frame-ancestors 'none'",
] as const;

/** The client's `X-Request-Id` when it is sane, else a fresh one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

// The timestamp's text changes once a second; the cart fast path asks for it thousands of times a second.
let second = Number.NaN;
let secondText = '';
function timestampOf(ms: number): string {
  const now = Math.floor(ms / 1000);
  if (now !== second) {
    second = now;
    secondText = String(now);
  }
  return secondText;
}

/**
 * The head every answer starts with (routed, cart fast path, or answered before Express), as flat
 * name/value pairs in the order they are sent: `writeHead` takes them as they are.
 */
export function responseHead(nowMs: number, requestId: string): string[] {
  return [
    'Content-Type',
    JSON_CONTENT_TYPE,
    'CoCart-Version',
    COCART_VERSION,
    'CoCart-Timestamp',
    timestampOf(nowMs),
    'X-Request-Id',
    requestId,
    ...SECURITY_HEADERS,
  ];
}

/** Sets flat name/value pairs on a response whose head is not written yet. */
export function setHeaderPairs(res: ServerResponse, pairs: readonly (string | number)[]): void {
  for (let i = 0; i < pairs.length; i += 2)
    res.setHeader(pairs[i] as string, pairs[i + 1] as string | number);
}

/** {@link responseHead} on every routed request, set before routing; also assigns the request id. */
export function commonHeaders(clock: () => number) {
  return function setCommonHeaders(req: Request, res: Response, next: NextFunction): void {
    const id = requestIdOf(req.headers['x-request-id']);
    res.locals.requestId = id;
    setHeaderPairs(res, responseHead(clock(), id));
    next();
  };
}
