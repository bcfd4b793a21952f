import { API_NAMESPACE } from '@cocart-sessions/core';
import express, { type Express } from 'express';
import { createAuth } from './auth/authenticate.js';
import type { ServerConfig } from './env.js';
import { type Logger, silentLogger } from './logger.js';
import { noRoute } from './middleware/api-error.js';
import { bodyLimit } from './middleware/body-limit.js';
import { cartFastPath } from './middleware/cart-fast-path.js';
import { commonHeaders } from './middleware/common-headers.js';
import { cors } from './middleware/cors.js';
import { errorHandler } from './middleware/error-handler.js';
import { restRoute } from './middleware/rest-route.js';
import { buildOpenApiDocument } from './openapi.js';
import { apiRoutes } from './routes/api-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import type { SessionStore } from './store/session-store.js';

/** What {@link createApp} needs; the clock answers milliseconds like `Date.now`. */
export interface AppDeps {
  store: SessionStore;
  config: ServerConfig;
  logger?: Logger;
  clock?: () => number;
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

  let openApiJson: string | undefined;
  const auth = createAuth({ store, clock });
  const authenticate = auth.middleware;

  const debug = logger.isEnabled('debug');
  // The hot path skips routing; with debug logging every request goes the logged way.
  if (!debug) {
    app.use(
      cartFastPath({ store, apiPrefix: config.apiPrefix, corsOrigins: config.corsOrigins, auth, clock }),
    );
  }
  app.use(restRoute(config.apiPrefix));
  app.use(commonHeaders(clock));
  app.use(cors(config.corsOrigins));
  app.use(bodyLimit);
  if (debug) {
    app.use((req, res, next) => {
      const started = performance.now();
      res.on('finish', () => {
        logger.debug('request', {
          requestId: res.locals.requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        });
      });
      next();
    });
  }
  app.use(healthRoutes(store));
  app.use(
    `/${config.apiPrefix}/${API_NAMESPACE}`,
    apiRoutes({
      store,
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
  app.use(errorHandler(logger));
  return app;
}
