import { type SessionOrderBy, SORT_ORDERS, type SortOrder } from '@cocart-sessions/core';
import { StoreInputError } from './store-errors.js';

/** Columns of a stored session, without the cart text. */
export interface SessionMeta {
  cartId: number;
  cartKey: string;
  cartSource: string;
  /** Unix seconds. */
  cartCreated: number;
  /** Unix seconds. */
  cartExpiry: number;
  cartHash: string;
  customerName: string;
  customerEmail: string;
}

/**
 * The columns of a session summary as one array (no object per row on the list paths), in the
 * order of `sessionRowColumns` (session-sql.ts).
 */
export type SessionRow = [
  cartId: number,
  cartKey: string,
  cartSource: string,
  cartCreated: number,
  cartExpiry: number,
  customerName: string,
  customerEmail: string,
];

/** A stored session with its cart. */
export interface SessionRecord extends SessionMeta {
  /** The cart as JSON text, exactly as `GET /session/<key>` answers it. */
  cartValue: string;
}

/** A session to write; the store assigns `cartId`. */
export type NewSession = Omit<SessionRecord, 'cartId'>;

/**
 * The change {@link SessionStore.updateSession} makes to one stored session: given the row as stored,
 * the row to write in its place (same key), or `undefined` to write nothing. Synchronous and pure: a
 * store may call it again on a row another writer changed meanwhile (PostgreSQL's optimistic write);
 * only the result computed from the row as it finally stood is written. A throw writes nothing.
 */
export type SessionChange = (current: SessionRecord) => NewSession | undefined;

/** Filters shared by `countSessions` and `listSessionRows`. */
export interface SessionFilter {
  /** Case-insensitive substring of the customer's name, email or the cart key. */
  search?: string;
  /** Exact `cart_source`. */
  source?: string;
}

/** One page of the session list. Ties are broken by `cart_id` in the same direction. */
export interface ListQuery extends SessionFilter {
  /** 1-based. */
  page: number;
  perPage: number;
  orderBy: SessionOrderBy;
  order: SortOrder;
}

/**
 * Storage of sessions (carts). Methods throw StoreUnavailableError when the database cannot be
 * reached or is locked; see store.ts for how it is opened together with the accounts.
 */
export interface SessionStore {
  countSessions(filter?: SessionFilter): Promise<number>;
  /** Every session as {@link SessionRow}s, `cart_id` ascending, in keyset batches: what the full list is written from. */
  streamSessionRows(batchSize?: number): AsyncIterable<SessionRow[]>;
  /** Whole records (cart text included), by cart_id in keyset batches: what `export` writes. */
  streamRecords(batchSize?: number): AsyncIterable<SessionRecord[]>;
  /**
   * One page as {@link SessionRow}s: what a page is written from. `version`: the `sessions`
   * change version the caller read just before (see ChangeVersion); a store may then answer with
   * rows it read at that same version. The rows may be shared: read only.
   */
  listSessionRows(q: ListQuery, version?: string): Promise<SessionRow[]>;
  /** The whole stored session of a key, cart text included. */
  getSessionRecord(cartKey: string): Promise<SessionRecord | undefined>;
  /** The stored cart text of a key. */
  getCartValue(cartKey: string): Promise<string | undefined>;
  /** The same cart as UTF-8 bytes, ready to send. */
  getCartBytes(cartKey: string): Promise<Uint8Array | undefined>;
  /**
   * The cart's bytes with the `sessions` change version they are at least as new as (what its
   * ETag is made of): the hot path of `GET /session/<key>`. PostgreSQL reads both in one statement.
   */
  getCartBytesAt(cartKey: string): Promise<{ version: string; bytes: Uint8Array | undefined }>;
  /**
   * {@link getCartBytesAt} answered before the call returns, by a store whose reads are synchronous
   * (SQLite; absent on PostgreSQL); throws what the promise would reject with.
   */
  readCartBytesAtNow?(cartKey: string): { version: string; bytes: Uint8Array | undefined };
  /** Upserts by `cart_key` in one transaction (a replaced session keeps its `cart_id`); returns the number of keys written. */
  putSessions(s: NewSession[]): Promise<number>;
  /**
   * Inserts a session whose key is new; `false` (nothing written) when the key is taken. The cart
   * API creates its carts this way: a key is never handed to two shoppers.
   */
  createSession(s: NewSession): Promise<boolean>;
  /**
   * Read-modify-write of one session in one transaction: concurrent changes of one key, from any
   * process, run one after the other, each on the row the previous one wrote, so none is lost, and
   * a change that throws leaves the row as it was. Resolves with the row as stored afterwards (with
   * its `cart_id`), or `undefined` when the key is unknown (`change` is then not called, or only on
   * a row since deleted, whose result is not written).
   */
  updateSession(cartKey: string, change: SessionChange): Promise<SessionRecord | undefined>;
  /** Atomic: of concurrent calls for one key, only the one that removed the row gets `true`. */
  deleteSession(cartKey: string): Promise<boolean>;
  /** Deletes sessions with `cart_expiry < now` (unix seconds); returns how many. */
  /**
   * With `limit`, at most that many, oldest expiry first (a server's cleanup deletes in batches so
   * no single statement holds the database, or SQLite's synchronous connection, for long).
   */
  deleteExpired(now: number, limit?: number): Promise<number>;
}

export const SESSION_ORDER_COLUMNS: Record<SessionOrderBy, string> = {
  cart_id: 'cart_id',
  cart_created: 'cart_created',
  cart_expiry: 'cart_expiry',
  customers_name: 'customer_name',
};

/** Throws StoreInputError unless the page query is sane; returns the row offset. */
export function checkListQuery(q: ListQuery): number {
  if (!Number.isSafeInteger(q.page) || q.page < 1) throw new StoreInputError(`Invalid page: ${q.page}`);
  if (!Number.isSafeInteger(q.perPage) || q.perPage < 1 || q.perPage > 10_000) {
    throw new StoreInputError(`Invalid perPage: ${q.perPage}`);
  }
  if (!(q.orderBy in SESSION_ORDER_COLUMNS)) throw new StoreInputError(`Invalid orderBy: ${q.orderBy}`);
  if (!SORT_ORDERS.includes(q.order)) throw new StoreInputError(`Invalid order: ${q.order}`);
  return (q.page - 1) * q.perPage;
}

/** Keeps the last occurrence of each key, so one batch never touches a row twice. */
export function lastPerKey(sessions: NewSession[]): NewSession[] {
  const byKey = new Map<string, NewSession>();
  for (const s of sessions) {
    byKey.delete(s.cartKey);
    byKey.set(s.cartKey, s);
  }
  return [...byKey.values()];
}
