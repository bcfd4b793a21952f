import type { Request, Response } from 'express';
import { isStoreUnavailableError, type Store, StoreUnavailableError } from '../store/store.js';

/** GET /healthz: the process is up. */
export function healthz(_req: Request, res: Response): void {
  res.end('{"status":"ok"}');
}

/** GET /readyz: the store answers; when it does not, the error middleware answers 503 like any store failure. */
export function readyzHandler(store: Store) {
  return async function readyz(_req: Request, res: Response): Promise<void> {
    try {
      await store.ping();
    } catch (e) {
      // Whatever the ping failed with, the store is what is not ready.
      throw isStoreUnavailableError(e) ? e : new StoreUnavailableError(undefined, { cause: e });
    }
    res.end(JSON.stringify({ status: 'ready', store: store.kind }));
  };
}
