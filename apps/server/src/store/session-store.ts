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
 * order of `sessionRowColumns` (list-sql.ts).
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

/** Columns a session list may be ordered by (the API's `orderby` values). */
export type SessionOrderBy = 'cart_id' | 'cart_created' | 'cart_expiry' | 'customers_name';

/** Filters shared by `countSessions` and `listSessions`. */
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
  order: 'asc' | 'desc';
}

export type Role = 'administrator' | 'shop_manager' | 'customer';

export interface User {
  id: number;
  login: string;
  /** `''` when the user has none. */
  email: string;
  role: Role;
  passwordHash: string;
}

/** A user to write; the store assigns `id`. */
export type NewUser = Omit<User, 'id'>;

/** The fields `updateUser` may change; absent ones are kept. */
export type UserPatch = Partial<Pick<User, 'email' | 'role' | 'passwordHash'>>;

export interface ApiKey {
  id: number;
  userId: number;
  consumerKeyHash: string;
  /** Last 7 characters of the consumer key, as WooCommerce shows it. */
  consumerKeyEnding: string;
  secretHash: string;
  description: string;
  /** Unix seconds. */
  createdAt: number;
}

/** An API key to write; the store assigns `id` and `createdAt`. */
export type NewApiKey = Omit<ApiKey, 'id' | 'createdAt'>;

/**
 * Storage of sessions, users and API keys. Implemented on SQLite (`node:sqlite`) and PostgreSQL
 * (`pg`); both pass one contract-test suite. Methods throw {@link StoreUnavailableError} when the
 * database cannot be reached or is locked.
 */
export interface SessionStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  countSessions(filter?: SessionFilter): Promise<number>;
  /** Every session, `cart_id` ascending, in keyset batches (never all rows at once). */
  streamSessions(batchSize?: number): AsyncIterable<SessionMeta[]>;
  /** {@link streamSessions} as {@link SessionRow}s: what the full list is written from. */
  streamSessionRows(batchSize?: number): AsyncIterable<SessionRow[]>;
  /** Whole records (cart text included), by cart_id in keyset batches: what `export` writes. */
  streamRecords(batchSize?: number): AsyncIterable<SessionRecord[]>;
  listSessions(q: ListQuery): Promise<SessionMeta[]>;
  /** {@link listSessions} as {@link SessionRow}s: what a page is written from. */
  listSessionRows(q: ListQuery): Promise<SessionRow[]>;
  /** The stored cart text of a key. */
  getCartValue(cartKey: string): Promise<string | undefined>;
  /** The same cart as UTF-8 bytes, ready to send: the hot path of `GET /session/<key>`. */
  getCartBytes(cartKey: string): Promise<Uint8Array | undefined>;
  getSession(cartKey: string): Promise<SessionRecord | undefined>;
  /** Upserts by `cart_key` in one transaction (a replaced session keeps its `cart_id`); returns the number of keys written. */
  putSessions(s: NewSession[]): Promise<number>;
  /** Atomic: of concurrent calls for one key, only the one that removed the row gets `true`. */
  deleteSession(cartKey: string): Promise<boolean>;
  /** Deletes sessions with `cart_expiry < now` (unix seconds); returns how many. */
  deleteExpired(now: number): Promise<number>;
  addUser(u: NewUser): Promise<User>;
  updateUser(login: string, patch: UserPatch): Promise<User | undefined>;
  /** By exact login, or by email (case-insensitive). */
  findUser(loginOrEmail: string): Promise<User | undefined>;
  findUserById(id: number): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  /** Removes the user and, by cascade, their API keys. */
  removeUser(login: string): Promise<boolean>;
  countUsers(): Promise<number>;
  addApiKey(k: NewApiKey): Promise<ApiKey>;
  findApiKey(consumerKeyHash: string): Promise<ApiKey | undefined>;
  listApiKeys(): Promise<ApiKey[]>;
  /** By key hash, or by key ending when exactly one key has that ending. */
  revokeApiKey(consumerKeyEndingOrHash: string): Promise<boolean>;
  close(): Promise<void>;
}

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
  if (q.order !== 'asc' && q.order !== 'desc') throw new StoreInputError(`Invalid order: ${q.order}`);
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
