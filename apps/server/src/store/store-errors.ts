/** The database is down, unreachable, locked or unopenable: answer 503 `cocart_store_unavailable`. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'cocart_store_unavailable';
  constructor(message = 'The session store is unavailable.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Guard for {@link StoreUnavailableError}. */
export function isStoreUnavailableError(e: unknown): e is StoreUnavailableError {
  return e instanceof StoreUnavailableError;
}

/** A user-supplied value that the store cannot accept (duplicate login, bad query). */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError';
}
