import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_NAMESPACE, CART_KEY_PATTERN } from '@cocart-sessions/core';
import type { Authenticator } from '../auth/authenticate.js';
import { cartAnswerHeaders } from '../handlers/session.js';
import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/session-store.js';
import { varyPairs } from './cors.js';
import { logWhenFinished } from './request-log.js';
import { requestIdOf, responseHead } from './response-head.js';

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
 * and cached, the cart found. It only ever answers 200, byte for byte as the routed chain would
 * (the same head helpers: `responseHead`, `varyPairs`, `cartAnswerHeaders`); anything else falls
 * through to the full chain, which decides. It reads the raw request only: on
 * the busiest route, Express's per-request set-up (new prototypes, the router walk) cost more than
 * the answer itself.
 */
export function cartFastPath(opts: CartFastPathOptions) {
  const { sessions, auth, clock, logger } = opts;
  const debug = logger.isEnabled('debug');
  const prefix = `/${opts.apiPrefix}/${API_NAMESPACE}/session/`;
  const vary = varyPairs(opts.corsOrigins);
  // SQLite answers in this turn: no promise and no microtask between the read and the answer.
  const readNow = sessions.readCartBytesAtNow?.bind(sessions);

  function answer(
    req: IncomingMessage,
    res: ServerResponse,
    next: () => void,
    key: string,
    started: number,
    { version, bytes }: { version: string; bytes: Uint8Array | undefined },
  ): void {
    if (bytes === undefined) {
      next();
      return;
    }
    const requestId = requestIdOf(req.headers['x-request-id']);
    if (debug)
      logWhenFinished(logger, req, res, { path: req.url ?? '', ip: auth.addressOf(req), requestId, started });
    // The routed chain's head in its order: common head, Vary (cors.ts), then the handler's.
    const head = responseHead(clock(), requestId);
    head.push(...vary, ...cartAnswerHeaders(version, key, bytes));
    res.writeHead(200, head);
    res.end(bytes);
  }

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
    if (readNow === undefined) {
      sessions.getCartBytesAt(key).then(
        (cart) => answer(req, res, next, key, started, cart),
        // A failing store is the full chain's to report.
        () => next(),
      );
      return;
    }
    let cart: { version: string; bytes: Uint8Array | undefined };
    try {
      cart = readNow(key);
    } catch {
      next();
      return;
    }
    answer(req, res, next, key, started, cart);
  };
}
