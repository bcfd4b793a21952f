import { Router } from 'express';
import { healthz, readyzHandler } from '../handlers/health.js';
import type { SessionStore } from '../store/session-store.js';

/** `/healthz` and `/readyz`, outside the REST prefix. */
export function healthRoutes(store: SessionStore): Router {
  const router = Router();
  router.get('/healthz', healthz);
  router.get('/readyz', readyzHandler(store));
  return router;
}
