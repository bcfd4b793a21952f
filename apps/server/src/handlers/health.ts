import { ApiError } from '@cocart-sessions/core';
import type { Request, Response } from 'express';
import { STORE_RETRY_AFTER_SECONDS } from '../middleware/error-handler.js';
import type { Store } from '../store/store.js';
import { isStoreUnavailableError, StoreUnavailableError } from '../store/store-errors.js';

/** GET /healthz: the process is up. */
export function healthz(_req: Request, res: Response): void {
  res.end('{"status":"ok"}');
}

/** GET /readyz: the store answers and the process is not shutting down; 503 otherwise. */
export function readyzHandler(store: Store, lifecycle: { readonly draining: boolean }) {
  return async function readyz(_req: Request, res: Response): Promise<void> {
    if (lifecycle.draining) {
      throw new ApiError('cocart_shutting_down', {
        headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) },
      });
    }
    try {
      await store.ping();
    } catch (e) {
      // Whatever the ping failed with, the store is what is not ready.
      throw isStoreUnavailableError(e) ? e : new StoreUnavailableError(undefined, { cause: e });
    }
    res.end(JSON.stringify({ status: 'ready', store: store.kind }));
  };
}
