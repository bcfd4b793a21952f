import type { AccountStore } from './account-store.js';
import type { ChangeVersion } from './change-version.js';
import type { SessionStore } from './session-store.js';
import type { LeaseStore, LoginThrottleStore } from './throttle-store.js';

/**
 * One opened database and its stores, one per concern. Implemented on SQLite (`node:sqlite`) and
 * PostgreSQL (`pg`); both pass one contract-test suite. Methods throw StoreUnavailableError
 * (store-errors.ts) when the database cannot be reached or is locked.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Carts: what the Sessions API reads and deletes, what import/export and the demo seed write. */
  readonly sessions: SessionStore;
  /** Users and their API keys: what authentication reads and the CLI manages. */
  readonly accounts: AccountStore;
  /** Store-wide change versions (any process's writes): ETags and cross-process cache invalidation. */
  readonly changes: ChangeVersion;
  /** Failed-login attempts per client address, shared by every process on the database. */
  readonly throttle: LoginThrottleStore;
  /** One process at a time for periodic maintenance. */
  readonly leases: LeaseStore;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
