import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_NAMESPACE, noRoute } from '@cocart-sessions/core';
import express, { type Express } from 'express';
import proxyaddr from 'proxy-addr';
import { createAuth } from './auth/authenticate.js';
import { HashGate } from './auth/hash-gate.js';
import { LOGIN_RULE, LoginThrottle } from './auth/login-throttle.js';
import { cartApiRoutes } from './cart-api/cart-routes.js';
import { CreationLimit } from './cart-api/creation-limit.js';
import type { ServerConfig } from './config.js';
import { type Logger, silentLogger } from './logger.js';
import { bodyLimit } from './middleware/body-limit.js';
import { cartFastPath } from './middleware/cart-fast-path.js';
import { cors } from './middleware/cors.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestLog } from './middleware/request-log.js';
import { commonHeaders } from './middleware/response-head.js';
import { restRoute } from './middleware/rest-route.js';
import { buildOpenApiDocument } from './openapi.js';
import { apiRoutes } from './routes/api-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import type { Store } from './store/store.js';

/** Express's entry point for a request, which every way of serving an app calls (listen, mounting). */
type Handle = (req: IncomingMessage, res: ServerResponse, done?: (err?: unknown) => void) => void;

/**
 * Runs `first` before Express sets up a request; `first` calls its `next` to hand the request on.
 * Express looks `handle` up on each request, so this holds however the app is served.
 */
function inFront(
  app: Express,
  first: (req: IncomingMessage, res: ServerResponse, next: () => void) => void,
): void {
  const handling = app as Express & { handle: Handle };
  const routed = handling.handle.bind(app);
  handling.handle = (req, res, done) => first(req, res, () => routed(req, res, done));
}

/** `req.ip` for a request Express has not seen yet: the same proxy-addr walk under the app's `trust proxy`. */
function addressOf(app: Express): (req: IncomingMessage) => string {
  const trust = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  const proxied = app.get('trust proxy') !== false && app.get('trust proxy') !== 0;
  // With no proxy trusted the walk would always end at the socket: skip it.
  return proxied ? (req) => proxyaddr(req, trust) : (req) => req.socket.remoteAddress ?? '';
}

/** What {@link createApp} needs; the clock answers milliseconds like `Date.now`. */
export interface AppDeps {
  store: Store;
  config: ServerConfig;
  logger?: Logger;
  clock?: () => number;
  /** Set `draining` when the process starts shutting down: `/readyz` then answers 503. */
  lifecycle?: { readonly draining: boolean };
}

/**
 * Build the Express app of the Sessions API. It never listens: `startServer` or the CLI does.
 * @example const app = createApp({ store, config: defaultConfig() });
 */
export function createApp(deps: AppDeps): Express {
  const { store, config } = deps;
  const logger = deps.logger ?? silentLogger;
  const clock = deps.clock ?? Date.now;
  const app = express();
  // No ETag on no-store answers (it costs a hash per response), no framework banner.
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('query parser', 'simple');
  // req.ip, req.protocol and req.host follow X-Forwarded-* only from the proxies trusted here.
  app.set('trust proxy', config.trustProxy);

  let openApiJson: string | undefined;
  const throttle = new LoginThrottle({
    store: store.throttle,
    clock,
    onStoreError: (err) => logger.warn('throttle maintenance failed', { err }),
  });
  const auth = createAuth({
    accounts: store.accounts,
    clock,
    throttle,
    logger,
    addressOf: addressOf(app),
    // A client never has more logins checked at once than its failed-login limit could grant.
    gate: new HashGate({ maxWaiting: config.hashQueue, maxPendingPerAddress: LOGIN_RULE.limit }),
  });
  // A removed user, a changed password or role, a revoked key (from any process or the CLI): the
  // verified credentials are forgotten at once, so every process refuses them within the
  // notification's delay (PostgreSQL NOTIFY, or its 1 s check should the LISTEN connection die
  // unnoticed; SQLite's 200 ms poll) instead of the cache's 30 s.
  store.changes.subscribe('accounts', () => auth.cache.clear());
  const authenticate = auth.middleware;

  // The hot path answers the plain cached-credential cart read before Express, whatever the log
  // level; everything else (and every failure) goes the routed way below.
  inFront(
    app,
    cartFastPath({
      sessions: store.sessions,
      apiPrefix: config.apiPrefix,
      corsOrigins: config.corsOrigins,
      auth,
      clock,
      logger,
    }),
  );
  app.use(restRoute(config.apiPrefix));
  app.use(commonHeaders(clock));
  app.use(cors(config.corsOrigins));
  app.use(bodyLimit);
  if (logger.isEnabled('debug')) app.use(requestLog(logger));
  app.use(healthRoutes(store, deps.lifecycle ?? { draining: false }));
  const namespace = `/${config.apiPrefix}/${API_NAMESPACE}`;
  // Public: the shopper side of the cart API needs no credentials, so it comes before any check.
  app.use(
    namespace,
    cartApiRoutes({
      sessions: store.sessions,
      config,
      clock,
      creations: new CreationLimit(config.cartCreateLimit, clock),
    }),
  );
  app.use(
    namespace,
    apiRoutes({
      sessions: store.sessions,
      changes: store.changes,
      config,
      authenticate,
      openApiJson: () => {
        openApiJson ??= JSON.stringify(buildOpenApiDocument({ prefix: config.apiPrefix }));
        return openApiJson;
      },
    }),
  );
  app.use(() => {
    throw noRoute();
  });
  app.use(errorHandler(logger, clock));
  return app;
}
