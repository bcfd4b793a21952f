import { Router } from 'express';
import { healthz, readyzHandler } from '../handlers/health.js';
import type { Store } from '../store/store.js';

/** `/healthz` and `/readyz`, outside the REST prefix. */
export function healthRoutes(store: Store, lifecycle: { readonly draining: boolean }): Router {
  const router = Router();
  router.get('/healthz', healthz);
  router.get('/readyz', readyzHandler(store, lifecycle));
  return router;
}
