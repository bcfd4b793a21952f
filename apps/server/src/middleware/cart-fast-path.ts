import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_NAMESPACE, CART_KEY_PATTERN } from '@cocart-sessions/core';
import type { Authenticator } from '../auth/authenticate.js';
import { cartEtag } from '../handlers/session.js';
import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/session-store.js';
import { COCART_VERSION, FIXED_HEADERS, JSON_CONTENT_TYPE, requestIdOf } from './common-headers.js';
import { logWhenFinished } from './request-log.js';

/** What {@link cartFastPath} needs from the app. */
export interface CartFastPathOptions {
  sessions: SessionStore;
  apiPrefix: string;
  corsOrigins: readonly string[];
  auth: Authenticator;
  clock: () => number;
  /** With debug enabled, each answer is logged like a routed one. */
  logger: Logger;
}

/**
 * The plain case of `GET /session/<key>`, answered before Express sees the request (createApp puts
 * it in front of the app's own handling): no query, no body, no Origin, credentials already verified
 * and cached, the cart found. It only ever answers 200, with the same headers as the full chain;
 * anything else falls through to the full chain, which decides. It reads the raw request only: on
 * the busiest route, Express's per-request set-up (new prototypes, the router walk) cost more than
 * the answer itself.
 */
export function cartFastPath(opts: CartFastPathOptions) {
  const { sessions, auth, clock, logger } = opts;
  const debug = logger.isEnabled('debug');
  const prefix = `/${opts.apiPrefix}/${API_NAMESPACE}/session/`;
  // Positions of the per-answer values in the header list handed to writeHead.
  const fixed: string[] = ['Content-Type', JSON_CONTENT_TYPE, 'CoCart-Version', COCART_VERSION];
  const TIMESTAMP = fixed.push('CoCart-Timestamp', '') - 1;
  const REQUEST_ID = fixed.push('X-Request-Id', '') - 1;
  const LENGTH = fixed.push('Content-Length', '') - 1;
  const ETAG = fixed.push('ETag', '') - 1;
  for (const [name, value] of FIXED_HEADERS) fixed.push(name, value);
  if (opts.corsOrigins.length > 0) fixed.push('Vary', 'Origin');
  let second = Number.NaN;
  let secondText = '';

  return function answerCartFast(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !url.startsWith(prefix)) {
      next();
      return;
    }
    const key = url.slice(prefix.length);
    const h = req.headers;
    if (
      !CART_KEY_PATTERN.test(key) ||
      h.origin !== undefined ||
      h['content-length'] !== undefined ||
      h['transfer-encoding'] !== undefined ||
      // A conditional request may be a 304: the full chain decides.
      h['if-none-match'] !== undefined ||
      auth.cachedStaff(req) === undefined
    ) {
      next();
      return;
    }
    const started = debug ? performance.now() : 0;
    // The cart comes with the version it is at least as new as (one round trip on PostgreSQL).
    sessions.getCartBytesAt(key).then(
      ({ version, bytes }) => {
        if (bytes === undefined) {
          next();
          return;
        }
        const now = Math.floor(clock() / 1000);
        if (now !== second) {
          second = now;
          secondText = String(now);
        }
        const requestId = requestIdOf(h['x-request-id']);
        if (debug)
          logWhenFinished(logger, req, res, { path: url, ip: auth.addressOf(req), requestId, started });
        const head = fixed.slice();
        head[TIMESTAMP] = secondText;
        head[REQUEST_ID] = requestId;
        head[LENGTH] = String(bytes.byteLength);
        head[ETAG] = cartEtag(version, key);
        res.writeHead(200, head);
        res.end(bytes);
      },
      // A failing store is the full chain's to report.
      () => next(),
    );
  };
}
