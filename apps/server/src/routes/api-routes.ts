import { noRoute } from '@cocart-sessions/core';
import { type RequestHandler, Router } from 'express';
import type { ServerConfig } from '../config.js';
import { listSessionsHandler } from '../handlers/list-sessions.js';
import {
  deleteSessionHandler,
  getItemsHandler,
  getSessionHandler,
  requireCartKey,
} from '../handlers/session.js';
import type { ChangeVersion } from '../store/change-version.js';
import type { SessionStore } from '../store/session-store.js';

/** The `cocart/v2` namespace: the four Sessions routes and the OpenAPI document. */
export function apiRoutes(deps: {
  sessions: SessionStore;
  changes: ChangeVersion;
  config: ServerConfig;
  authenticate: RequestHandler;
  openApiJson: () => string;
}): Router {
  const { sessions, changes, config, authenticate } = deps;
  const router = Router({ caseSensitive: true, strict: false });
  router.get('/sessions', authenticate, listSessionsHandler(sessions, changes, config));
  router.get('/session/:key', requireCartKey, authenticate, getSessionHandler(sessions));
  router.get('/session/:key/items', requireCartKey, authenticate, getItemsHandler(sessions, changes));
  router.delete('/session/:key', requireCartKey, authenticate, deleteSessionHandler(sessions));
  router.get('/openapi.json', (_req, res) => {
    res.end(deps.openApiJson());
  });
  router.use(() => {
    throw noRoute();
  });
  return router;
}
