import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** The Content-Type of every answer, as WordPress sends it. */
export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

/** The plugin version we answer like; the suffix says this is not the plugin. */
export const COCART_VERSION = '4.3.0-reference';

/** Never cached: answers carry customers' carts. */
export const NO_STORE = 'no-cache, must-revalidate, max-age=0, no-store, private';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The headers of every answer that never change, as name/value pairs. */
export const FIXED_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Cache-Control', NO_STORE],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
];

/** The client's `X-Request-Id` when it is sane, else a fresh one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Headers that every answer carries, set once before routing; also assigns the request id. */
export function commonHeaders(clock: () => number) {
  return function setCommonHeaders(req: Request, res: Response, next: NextFunction): void {
    const id = requestIdOf(req.headers['x-request-id']);
    res.locals.requestId = id;
    res.setHeader('Content-Type', JSON_CONTENT_TYPE);
    res.setHeader('CoCart-Version', COCART_VERSION);
    res.setHeader('CoCart-Timestamp', String(Math.floor(clock() / 1000)));
    res.setHeader('X-Request-Id', id);
    for (const [name, value] of FIXED_HEADERS) res.setHeader(name, value);
    next();
  };
}
