import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** The Content-Type of every answer, as WordPress sends it. */
export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

/** The plugin version we answer like; the suffix says this is not the plugin. */
export const COCART_VERSION = '4.3.0-reference';

/** Never cached: answers carry customers' carts. */
export const NO_STORE = 'no-cache, must-revalidate, max-age=0, no-store, private';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Headers that every answer carries, set once before routing; also assigns the request id. */
export function commonHeaders(clock: () => number) {
  return function setCommonHeaders(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('Content-Type', JSON_CONTENT_TYPE);
    res.setHeader('CoCart-Version', COCART_VERSION);
    res.setHeader('CoCart-Timestamp', String(Math.floor(clock() / 1000)));
    res.setHeader('X-Request-Id', id);
    res.setHeader('Cache-Control', NO_STORE);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    next();
  };
}
