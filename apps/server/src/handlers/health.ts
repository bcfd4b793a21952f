import type { Request, Response } from 'express';
import { ApiError } from '../middleware/api-error.js';
import { STORE_RETRY_AFTER_SECONDS } from '../middleware/error-handler.js';
import type { Store } from '../store/store.js';

/** GET /healthz: the process is up. */
export function healthz(_req: Request, res: Response): void {
  res.end('{"status":"ok"}');
}

/** GET /readyz: the store answers; 503 when it does not. */
export function readyzHandler(store: Store) {
  return async function readyz(_req: Request, res: Response): Promise<void> {
    try {
      await store.ping();
    } catch {
      throw new ApiError('cocart_store_unavailable', {
        headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) },
      });
    }
    res.end(JSON.stringify({ status: 'ready', store: store.kind }));
  };
}
