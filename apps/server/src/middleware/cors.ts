import type { NextFunction, Request, Response } from 'express';
import { setHeaderPairs } from './response-head.js';

const EXPOSED =
  'X-WP-Total, X-WP-TotalPages, Link, ETag, X-Request-Id, CoCart-Version, CoCart-Timestamp, ' +
  'CoCart-API-Cart-Key, CoCart-API-Cart-Expiring, CoCart-API-Cart-Expiration';
const METHODS = 'GET, POST, DELETE, OPTIONS';

/**
 * `Vary: Origin` whenever origins are configured: the same URL answers differently per Origin, also
 * when a request has none (the cart fast path's answers included).
 */
export function varyPairs(origins: readonly string[]): string[] {
  return origins.length > 0 ? ['Vary', 'Origin'] : [];
}

/**
 * CORS for the configured origins; answers every OPTIONS request itself. An origin listed by name
 * gets credentialed CORS. `*` gets `Access-Control-Allow-Origin: *` without credentials: browsers
 * then refuse calls that carry cookies or cached Basic credentials, so a foreign page cannot act
 * with an administrator's login, while a script that sets `Authorization` itself still works.
 * `null` (sandboxed frames, `file:` pages) is never an allowed origin.
 */
export function cors(origins: readonly string[]) {
  const any = origins.includes('*');
  const listed = new Set(origins.filter((o) => o !== '*' && o !== 'null'));
  const vary = varyPairs(origins);
  return function applyCors(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin;
    const named = origin !== undefined && listed.has(origin);
    const ok = named || (origin !== undefined && any);
    setHeaderPairs(res, vary);
    if (named) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    } else if (ok) {
      res.setHeader('Access-Control-Allow-Origin', '*');
    }
    if (ok) res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    res.setHeader('Allow', METHODS);
    if (ok && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', METHODS);
      res.setHeader(
        'Access-Control-Allow-Headers',
        'Authorization, Content-Type, If-None-Match, X-Request-Id, CoCart-API-Cart-Key',
      );
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.removeHeader('Content-Type');
    res.statusCode = 204;
    res.end();
  };
}
