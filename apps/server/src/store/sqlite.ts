import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  ANCHOR_MIN_OFFSET,
  anchoredPageSql,
  anchorSql,
  type BuiltSql,
  countSql,
  KEY_COLUMNS,
  keysetSql,
  metaColumns,
  pageSql,
  sessionRowColumns,
  sqliteDialect,
  UPSERT_CONFLICT,
  UPSERT_INTO,
  USER_COLUMNS,
  updateUserSql,
} from './list-sql.js';
import { sqliteMigrations } from './migrations/sqlite.js';
import { type AnchorSet, anchorKey, filterKey, PageCache } from './page-cache.js';
import {
  type ApiKey,
  checkListQuery,
  type ListQuery,
  lastPerKey,
  type NewApiKey,
  type NewSession,
  type NewUser,
  type SessionFilter,
  type SessionMeta,
  type SessionRecord,
  type SessionRow,
  type SessionStore,
  StoreInputError,
  StoreUnavailableError,
  type User,
  type UserPatch,
} from './session-store.js';

export interface SqliteStoreOptions {
  /** How long a statement waits for another connection's lock before failing (ms). */
  busyTimeoutMs?: number;
}

// Primary result codes that mean "the database is not usable right now", not "your query is wrong".
const UNAVAILABLE_CODES = new Set([5, 6, 8, 10, 11, 13, 14, 26]);
const SQLITE_CONSTRAINT = 19;

function toStoreError(e: unknown): unknown {
  if (e instanceof StoreUnavailableError || e instanceof StoreInputError) return e;
  const err = e as { code?: string; errcode?: number; message?: string };
  if (err?.code === 'ERR_SQLITE_ERROR' && typeof err.errcode === 'number') {
    const primary = err.errcode & 0xff;
    if (UNAVAILABLE_CODES.has(primary)) {
      return new StoreUnavailableError(`SQLite store unavailable: ${err.message}`, { cause: e });
    }
    if (primary === SQLITE_CONSTRAINT)
      return new StoreInputError(err.message ?? 'Constraint failed', { cause: e });
  }
  if (err?.code === 'ERR_INVALID_STATE') {
    return new StoreUnavailableError('SQLite store is closed.', { cause: e });
  }
  return e;
}

const CART_BYTES_SQL = 'SELECT CAST(cart_value AS BLOB) FROM cocart_carts WHERE cart_key = ?';
const UPSERT_SQL = `${UPSERT_INTO}(?, ?, ?, ?, ?, ?, ?, ?)${UPSERT_CONFLICT}`;

function plain<T>(row: unknown): T {
  // node:sqlite rows have a null prototype; callers and tests expect ordinary objects.
  return { ...(row as object) } as T;
}

/** The SQLite store on Node's built-in `node:sqlite`: one synchronous connection, WAL, cached statements. */
export class SqliteSessionStore implements SessionStore {
  readonly kind = 'sqlite' as const;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #counts = new PageCache<number>();
  readonly #anchors = new PageCache<AnchorSet>(32);
  // Our own commits do not change PRAGMA data_version, so they bump this instead.
  #writeSeq = 0;

  private constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Opens (creating parent directories) and migrates the database file at `path`. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteSessionStore {
    let db: DatabaseSync | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path, {
        timeout: options.busyTimeoutMs ?? 2000,
        enableForeignKeyConstraints: true,
      });
      db.exec('PRAGMA journal_mode = WAL');
      // NORMAL in WAL mode: a commit survives a process crash (kill -9), only power loss can undo it.
      db.exec('PRAGMA synchronous = NORMAL');
      // Bulk upserts touch five indexes at random places; a 64 MB page cache keeps them off the disk.
      db.exec('PRAGMA cache_size = -65536');
      const store = new SqliteSessionStore(db);
      store.#migrate();
      return store;
    } catch (e) {
      try {
        db?.close();
      } catch {
        // already failing; the original error matters
      }
      const mapped = toStoreError(e);
      if (mapped instanceof StoreUnavailableError) throw mapped;
      if ((e as { code?: string })?.code?.startsWith('E')) {
        throw new StoreUnavailableError(`Cannot open SQLite database at ${path}`, { cause: e });
      }
      throw mapped;
    }
  }

  #migrate(): void {
    const hasTable = this.#db
      .prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    const applied = (): Set<number> =>
      new Set(
        (this.#db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(
          (r) => r.version,
        ),
      );
    if (hasTable) {
      const done = applied();
      if (sqliteMigrations.every((m) => done.has(m.version))) return;
    }
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
      );
      const done = applied();
      for (const m of sqliteMigrations) {
        if (done.has(m.version)) continue;
        this.#db.exec(m.sql);
        this.#db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(m.version, m.name, Math.floor(Date.now() / 1000));
      }
      this.#db.exec('COMMIT');
    } catch (e) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  /** A cached statement; with `arrays`, one answering arrays instead of objects. */
  #stmt(sql: string, arrays = false): StatementSync {
    const key = arrays ? `arrays:${sql}` : sql;
    let s = this.#statements.get(key);
    if (!s) {
      s = this.#db.prepare(sql);
      if (arrays) s.setReturnArrays(true);
      this.#statements.set(key, s);
    }
    return s;
  }

  #run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(toStoreError(e));
    }
  }

  #write<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.#db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw e;
    } finally {
      this.#writeSeq++;
    }
  }

  #stamp(): string {
    const row = this.#stmt('PRAGMA data_version').get() as { data_version: number };
    return `${row.data_version}:${this.#writeSeq}`;
  }

  ping(): Promise<void> {
    return this.#run(() => {
      // Touch the file, not just the connection: a deleted or corrupted database must fail readiness.
      this.#stmt('SELECT version FROM schema_migrations LIMIT 1').get();
    });
  }

  countSessions(filter: SessionFilter = {}): Promise<number> {
    return this.#run(() => {
      const stamp = this.#stamp();
      const key = filterKey(filter);
      const cached = this.#counts.get(key, stamp);
      if (cached !== undefined) return cached;
      const { sql, params } = countSql(sqliteDialect, filter);
      const n = Number((this.#stmt(sql).get(...params) as { n: number }).n);
      this.#counts.set(key, stamp, n);
      return n;
    });
  }

  async *streamSessions(batchSize = 1000): AsyncIterable<SessionMeta[]> {
    yield* this.#keyset<SessionMeta>(keysetSql(sqliteDialect, metaColumns()), batchSize);
  }

  async *streamRecords(batchSize = 500): AsyncIterable<SessionRecord[]> {
    const sql = keysetSql(sqliteDialect, `${metaColumns()}, cart_value AS "cartValue"`);
    yield* this.#keyset<SessionRecord>(sql, batchSize);
  }

  async *streamSessionRows(batchSize = 1000): AsyncIterable<SessionRow[]> {
    const sql = keysetSql(sqliteDialect, sessionRowColumns());
    let last = 0;
    for (;;) {
      const batch = await this.#run(
        () => this.#stmt(sql, true).all(last, batchSize) as unknown as SessionRow[],
      );
      if (batch.length === 0) return;
      last = batch[batch.length - 1]![0];
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  async *#keyset<T extends { cartId: number }>(sql: string, batchSize: number): AsyncIterable<T[]> {
    let last = 0;
    for (;;) {
      const batch = await this.#run(() =>
        this.#stmt(sql)
          .all(last, batchSize)
          .map((r) => plain<T>(r)),
      );
      if (batch.length === 0) return;
      last = batch[batch.length - 1]!.cartId;
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  listSessions(q: ListQuery): Promise<SessionMeta[]> {
    return this.#run(() => {
      const page = this.#pageQuery(q, metaColumns('c'));
      if (page === undefined) return [];
      return this.#stmt(page.sql)
        .all(...page.params)
        .map((r) => plain<SessionMeta>(r));
    });
  }

  listSessionRows(q: ListQuery): Promise<SessionRow[]> {
    return this.#run(() => {
      const page = this.#pageQuery(q, sessionRowColumns('c'));
      if (page === undefined) return [];
      return this.#stmt(page.sql, true).all(...page.params) as unknown as SessionRow[];
    });
  }

  /** The statement of one page, or `undefined` when the page is past the end. */
  #pageQuery(q: ListQuery, columns: string): BuiltSql | undefined {
    const offset = checkListQuery(q);
    if (offset < ANCHOR_MIN_OFFSET) return pageSql(sqliteDialect, q, offset, undefined, columns);
    return anchoredPageSql(sqliteDialect, q, offset, this.#anchorSet(q), columns);
  }

  #anchorSet(q: ListQuery): AnchorSet {
    const stamp = this.#stamp();
    const key = anchorKey(q);
    const cached = this.#anchors.get(key, stamp);
    if (cached) return cached;
    const { sql, params } = anchorSql(sqliteDialect, q);
    const rows = this.#stmt(sql).all(...params) as Array<{ v: string | number; id: number }>;
    const set: AnchorSet = { anchors: rows.map((r) => ({ value: r.v, id: r.id })) };
    this.#anchors.set(key, stamp, set);
    return set;
  }

  getCartValue(cartKey: string): Promise<string | undefined> {
    return this.#run(() => {
      const row = this.#stmt('SELECT cart_value FROM cocart_carts WHERE cart_key = ?').get(cartKey) as
        | { cart_value: string }
        | undefined;
      return row?.cart_value;
    });
  }

  getCartBytes(cartKey: string): Promise<Uint8Array | undefined> {
    return this.#run(() => {
      // As a blob: no UTF-8 decode here and no re-encode when the answer is written.
      const row = this.#stmt(CART_BYTES_SQL, true).get(cartKey) as unknown as [Uint8Array] | undefined;
      return row === undefined ? undefined : Buffer.from(row[0].buffer, row[0].byteOffset, row[0].byteLength);
    });
  }

  getSession(cartKey: string): Promise<SessionRecord | undefined> {
    return this.#run(() => {
      const row = this.#stmt(
        `SELECT ${metaColumns()}, cart_value AS "cartValue" FROM cocart_carts WHERE cart_key = ?`,
      ).get(cartKey);
      return row ? plain<SessionRecord>(row) : undefined;
    });
  }

  putSessions(sessions: NewSession[]): Promise<number> {
    return this.#run(() => {
      const rows = lastPerKey(sessions);
      if (rows.length === 0) return 0;
      const upsert = this.#stmt(UPSERT_SQL);
      return this.#write(() => {
        for (const s of rows) {
          upsert.run(
            s.cartKey,
            s.cartCreated,
            s.cartExpiry,
            s.cartSource,
            s.cartHash,
            s.customerName,
            s.customerEmail,
            s.cartValue,
          );
        }
        return rows.length;
      });
    });
  }

  deleteSession(cartKey: string): Promise<boolean> {
    return this.#run(() => {
      // One synchronous autocommit statement: nothing else runs on this connection in between.
      const { changes } = this.#stmt('DELETE FROM cocart_carts WHERE cart_key = ?').run(cartKey);
      if (Number(changes) === 0) return false;
      this.#writeSeq++;
      return true;
    });
  }

  deleteExpired(now: number): Promise<number> {
    return this.#run(() => {
      const removed = Number(this.#stmt('DELETE FROM cocart_carts WHERE cart_expiry < ?').run(now).changes);
      if (removed > 0) this.#writeSeq++;
      return removed;
    });
  }

  addUser(u: NewUser): Promise<User> {
    return this.#run(() => {
      const row = this.#stmt(
        `INSERT INTO users (login, email, role, password_hash) VALUES (?, ?, ?, ?) RETURNING ${USER_COLUMNS}`,
      ).get(u.login, u.email, u.role, u.passwordHash);
      return plain<User>(row);
    });
  }

  updateUser(login: string, patch: UserPatch): Promise<User | undefined> {
    return this.#run(() => {
      const { sql, params } = updateUserSql(sqliteDialect, login, patch);
      const row = this.#stmt(sql).get(...params);
      return row ? plain<User>(row) : undefined;
    });
  }

  findUser(loginOrEmail: string): Promise<User | undefined> {
    return this.#run(() => {
      const row = this.#stmt(
        `SELECT ${USER_COLUMNS} FROM users WHERE login = ? OR (email <> '' AND lower(email) = lower(?)) ORDER BY login = ? DESC LIMIT 1`,
      ).get(loginOrEmail, loginOrEmail, loginOrEmail);
      return row ? plain<User>(row) : undefined;
    });
  }

  findUserById(id: number): Promise<User | undefined> {
    return this.#run(() => {
      const row = this.#stmt(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id);
      return row ? plain<User>(row) : undefined;
    });
  }

  listUsers(): Promise<User[]> {
    return this.#run(() =>
      this.#stmt(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`)
        .all()
        .map((r) => plain<User>(r)),
    );
  }

  removeUser(login: string): Promise<boolean> {
    return this.#run(() => Number(this.#stmt('DELETE FROM users WHERE login = ?').run(login).changes) === 1);
  }

  countUsers(): Promise<number> {
    return this.#run(() => Number((this.#stmt('SELECT count(*) AS n FROM users').get() as { n: number }).n));
  }

  addApiKey(k: NewApiKey): Promise<ApiKey> {
    return this.#run(() => {
      const row = this.#stmt(
        `INSERT INTO api_keys (user_id, consumer_key_hash, consumer_key_ending, secret_hash, description, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${KEY_COLUMNS}`,
      ).get(
        k.userId,
        k.consumerKeyHash,
        k.consumerKeyEnding,
        k.secretHash,
        k.description,
        Math.floor(Date.now() / 1000),
      );
      return plain<ApiKey>(row);
    });
  }

  findApiKey(consumerKeyHash: string): Promise<ApiKey | undefined> {
    return this.#run(() => {
      const row = this.#stmt(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE consumer_key_hash = ?`).get(
        consumerKeyHash,
      );
      return row ? plain<ApiKey>(row) : undefined;
    });
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.#run(() =>
      this.#stmt(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY id`)
        .all()
        .map((r) => plain<ApiKey>(r)),
    );
  }

  revokeApiKey(consumerKeyEndingOrHash: string): Promise<boolean> {
    return this.#run(() => {
      const byHash = this.#stmt('DELETE FROM api_keys WHERE consumer_key_hash = ?').run(
        consumerKeyEndingOrHash,
      );
      if (Number(byHash.changes) > 0) return true;
      // An ending names a key only when it is unambiguous.
      const byEnding = this.#stmt(
        'DELETE FROM api_keys WHERE consumer_key_ending = ?1 AND (SELECT count(*) FROM api_keys WHERE consumer_key_ending = ?1) = 1',
      ).run(consumerKeyEndingOrHash);
      return Number(byEnding.changes) === 1;
    });
  }

  close(): Promise<void> {
    return this.#run(() => {
      if (!this.#db.isOpen) return;
      this.#statements.clear();
      this.#db.close();
    });
  }
}
