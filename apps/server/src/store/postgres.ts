import pg from 'pg';
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
  postgresDialect,
  sessionRowColumns,
  UPSERT_CONFLICT,
  UPSERT_INTO,
  USER_COLUMNS,
  updateUserSql,
} from './list-sql.js';
import { postgresMigrations } from './migrations/postgres.js';
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

export interface PostgresStoreOptions {
  /** Most connections the pool opens. */
  max?: number;
  /** How long to wait for a connection before failing with StoreUnavailableError (ms). */
  connectionTimeoutMs?: number;
  /** How long one query may take before failing with StoreUnavailableError (ms). */
  queryTimeoutMs?: number;
  /** Called with errors of idle pooled connections (they never crash the process). */
  onPoolError?: (error: Error) => void;
}

const INT8_OID = 20;
// Ids, unix seconds and counts are int8: well inside Number.MAX_SAFE_INTEGER for this data.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const CART_BYTES_SQL = 'SELECT cart_key, cart_value FROM cocart_carts WHERE cart_key = ANY($1::text[])';
/** Most cart look-ups answered by one query. */
const MAX_CART_BATCH = 64;

interface CartBatch {
  waiters: Array<{
    key: string;
    resolve: (bytes: Uint8Array | undefined) => void;
    reject: (error: unknown) => void;
  }>;
}
// The protocol parser hands out views of its receive buffer, which it reuses: keep a copy.
const bytesTypes = {
  getTypeParser: (() => (v: Buffer) => Buffer.from(v)) as unknown as typeof pg.types.getTypeParser,
};

const closedError = (): StoreUnavailableError => new StoreUnavailableError('PostgreSQL store is closed.');
/** The whole table's count key: the row count that paces VACUUM after bulk writes. */
const ALL_SESSIONS = filterKey({});

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const CHUNK_ROWS = 500;

function isUnavailable(e: unknown): boolean {
  const err = e as { code?: unknown; severity?: unknown; message?: unknown };
  if (!(e instanceof Error)) return false;
  const code = typeof err.code === 'string' ? err.code : '';
  if (err.severity !== undefined) {
    // Server-side SQLSTATEs: connection exceptions, resources, shutdown, missing database, auth.
    return /^(08|53|57P0|3D000|28)/.test(code);
  }
  if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ETIMEDOUT, ENOTFOUND, ECONNRESET...
  return /timeout|terminated|Connection|pool after calling end|not queryable/i.test(String(err.message));
}

function toStoreError(e: unknown): unknown {
  if (e instanceof StoreUnavailableError || e instanceof StoreInputError) return e;
  if (isUnavailable(e)) {
    return new StoreUnavailableError(`PostgreSQL store unavailable: ${(e as Error).message}`, { cause: e });
  }
  const code = (e as { code?: unknown }).code;
  if (code === '23505' || code === '23503' || code === '23514') {
    return new StoreInputError((e as Error).message, { cause: e });
  }
  return e;
}

/** FNV-1a, to give each distinct statement text a stable prepared-statement name. */
function statementName(sql: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < sql.length; i++) {
    h ^= sql.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `s${(h >>> 0).toString(36)}${sql.length.toString(36)}`;
}

const UPSERT_COLUMNS = 8;

/** A multi-row upsert of `rows` sessions (plain parameters: faster than unnest over escaped text arrays). */
function upsertSql(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const b = r * UPSERT_COLUMNS;
    tuples.push(`($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8})`);
  }
  return `${UPSERT_INTO}${tuples.join(',')}${UPSERT_CONFLICT}`;
}

/** Splits `?schema=name` off a PostgreSQL URL. */
function parsePostgresUrl(databaseUrl: string): { connectionString: string; schema?: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreInputError(`Invalid schema name in DATABASE_URL: ${schema}`);
  }
  return schema === undefined
    ? { connectionString: url.toString() }
    : { connectionString: url.toString(), schema };
}

/** The PostgreSQL store on a `pg` Pool; several processes may share one database. */
export class PostgresSessionStore implements SessionStore {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  // Other processes write without telling us, so cached counts and anchors live one second at most.
  readonly #counts = new PageCache<number>(64, 1000);
  readonly #anchors = new PageCache<AnchorSet>(32, 1000);
  readonly #inFlight = new Map<string, Promise<unknown>>();
  #cartBatch: CartBatch | undefined;
  #writeSeq = 0;
  #unvacuumed = 0;
  #knownRows = 0;
  #closed = false;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects, creates the `?schema=` schema if missing, and migrates (once, under an advisory lock). */
  static async open(databaseUrl: string, options: PostgresStoreOptions = {}): Promise<PostgresSessionStore> {
    const { connectionString, schema } = parsePostgresUrl(databaseUrl);
    const pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
      idleTimeoutMillis: 10_000,
      // A hung server answers 503 instead of holding requests forever.
      query_timeout: options.queryTimeoutMs ?? 30_000,
      types,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    pool.on('error', (e) => options.onPoolError?.(e));
    const store = new PostgresSessionStore(pool);
    try {
      await store.#migrate(schema);
    } catch (e) {
      await pool.end().catch(() => {});
      throw toStoreError(e);
    }
    return store;
  }

  async #migrate(schema: string | undefined): Promise<void> {
    const lock = [`cocart-sessions:migrate:${schema ?? ''}`];
    const client = await this.#pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', lock);
      try {
        if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
        );
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
        const done = new Set(rows.map((r) => r.version));
        for (const m of postgresMigrations) {
          if (done.has(m.version)) continue;
          await client.query('BEGIN');
          try {
            await client.query(m.sql);
            await client.query(
              'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
              [m.version, m.name, Math.floor(Date.now() / 1000)],
            );
            await client.query('COMMIT');
          } catch (e) {
            await client.query('ROLLBACK').catch(() => {});
            throw e;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', lock);
      }
    } finally {
      client.release();
    }
  }

  async #q<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw closedError();
    try {
      return await this.#pool.query<R>({ name: statementName(sql), text: sql, values: params });
    } catch (e) {
      throw toStoreError(e);
    }
  }

  async #rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.#q<R>(sql, params)).rows;
  }

  async ping(): Promise<void> {
    await this.#q('SELECT 1');
  }

  async countSessions(filter: SessionFilter = {}): Promise<number> {
    const stamp = String(this.#writeSeq);
    const key = filterKey(filter);
    return this.#cached(this.#counts, `count:${key}`, key, stamp, async () => {
      const { sql, params } = countSql(postgresDialect, filter);
      const [row] = await this.#rows<{ n: number }>(sql, params);
      const n = row?.n ?? 0;
      if (key === ALL_SESSIONS) this.#knownRows = n;
      return n;
    });
  }

  /**
   * A count or anchor set from `cache`; one query per key at a time however many requests want it.
   * Our own writes change `stamp` and force a fresh answer; an entry only past its TTL (others may
   * have written) is answered while it refreshes, so at most one request per TTL waits on the scan.
   */
  #cached<T>(
    cache: PageCache<T>,
    flightKey: string,
    key: string,
    stamp: string,
    compute: () => Promise<T>,
  ): Promise<T> {
    const hit = cache.lookup(key, stamp);
    if (hit?.fresh) return Promise.resolve(hit.value);
    const id = `${flightKey}@${stamp}`;
    let flight = this.#inFlight.get(id) as Promise<T> | undefined;
    if (flight === undefined) {
      flight = compute().then(
        (value) => {
          this.#inFlight.delete(id);
          cache.set(key, stamp, value);
          return value;
        },
        (e: unknown) => {
          this.#inFlight.delete(id);
          throw e;
        },
      );
      this.#inFlight.set(id, flight);
    }
    if (hit) {
      flight.catch(() => {}); // the next request retries; this one has its answer
      return Promise.resolve(hit.value);
    }
    return flight;
  }

  async *streamSessions(batchSize = 1000): AsyncIterable<SessionMeta[]> {
    yield* this.#keyset<SessionMeta>(keysetSql(postgresDialect, metaColumns()), batchSize);
  }

  async *streamRecords(batchSize = 500): AsyncIterable<SessionRecord[]> {
    const sql = keysetSql(postgresDialect, `${metaColumns()}, cart_value AS "cartValue"`);
    yield* this.#keyset<SessionRecord>(sql, batchSize);
  }

  async *streamSessionRows(batchSize = 1000): AsyncIterable<SessionRow[]> {
    const sql = keysetSql(postgresDialect, sessionRowColumns());
    const fetch = (after: number): Promise<SessionRow[]> => {
      const p = this.#arrayRows<SessionRow>(sql, [after, batchSize]);
      p.catch(() => {}); // awaited below; a consumer that stopped early never awaits it
      return p;
    };
    let next = fetch(0);
    for (;;) {
      const batch = await next;
      if (batch.length === 0) return;
      const more = batch.length === batchSize;
      // The next batch is read while the consumer writes this one.
      if (more) next = fetch(batch[batch.length - 1]![0]);
      yield batch;
      if (!more) return;
    }
  }

  /** Rows as arrays: no object per row. */
  async #arrayRows<R extends unknown[]>(sql: string, params: unknown[]): Promise<R[]> {
    if (this.#closed) throw closedError();
    try {
      const config: pg.QueryArrayConfig = {
        name: `a${statementName(sql)}`,
        text: sql,
        values: params,
        rowMode: 'array',
      };
      return (await this.#pool.query(config)).rows as R[];
    } catch (e) {
      throw toStoreError(e);
    }
  }

  async *#keyset<T extends { cartId: number }>(sql: string, batchSize: number): AsyncIterable<T[]> {
    let last = 0;
    for (;;) {
      const batch = await this.#rows<T & pg.QueryResultRow>(sql, [last, batchSize]);
      if (batch.length === 0) return;
      last = batch[batch.length - 1]!.cartId;
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  async listSessions(q: ListQuery): Promise<SessionMeta[]> {
    const page = await this.#pageQuery(q, metaColumns('c'));
    return page === undefined ? [] : this.#rows<SessionMeta & pg.QueryResultRow>(page.sql, page.params);
  }

  async listSessionRows(q: ListQuery): Promise<SessionRow[]> {
    const page = await this.#pageQuery(q, sessionRowColumns('c'));
    return page === undefined ? [] : this.#arrayRows<SessionRow>(page.sql, page.params);
  }

  /** The statement of one page, or `undefined` when the page is past the end. */
  async #pageQuery(q: ListQuery, columns: string): Promise<BuiltSql | undefined> {
    const offset = checkListQuery(q);
    if (offset < ANCHOR_MIN_OFFSET) return pageSql(postgresDialect, q, offset, undefined, columns);
    return anchoredPageSql(postgresDialect, q, offset, await this.#anchorSet(q), columns);
  }

  #anchorSet(q: ListQuery): Promise<AnchorSet> {
    const stamp = String(this.#writeSeq);
    const key = anchorKey(q);
    return this.#cached(this.#anchors, `anchors:${key}`, key, stamp, async () => {
      const { sql, params } = anchorSql(postgresDialect, q);
      const rows = await this.#rows<{ v: string | number; id: number }>(sql, params);
      return { anchors: rows.map((r) => ({ value: r.v, id: r.id })) };
    });
  }

  async getCartValue(cartKey: string): Promise<string | undefined> {
    const [row] = await this.#rows<{ cart_value: string }>(
      'SELECT cart_value FROM cocart_carts WHERE cart_key = $1',
      [cartKey],
    );
    return row?.cart_value;
  }

  getCartBytes(cartKey: string): Promise<Uint8Array | undefined> {
    if (this.#closed) return Promise.reject(closedError());
    // Look-ups that arrive in one turn of the event loop share one round trip.
    let batch = this.#cartBatch;
    if (batch === undefined || batch.waiters.length >= MAX_CART_BATCH) {
      batch = { waiters: [] };
      this.#cartBatch = batch;
      const pending = batch;
      setImmediate(() => {
        if (this.#cartBatch === pending) this.#cartBatch = undefined;
        void this.#flushCartBatch(pending);
      });
    }
    const waiters = batch.waiters;
    return new Promise((resolve, reject) => {
      waiters.push({ key: cartKey, resolve, reject });
    });
  }

  async #flushCartBatch(batch: CartBatch): Promise<void> {
    const keys = [...new Set(batch.waiters.map((w) => w.key))];
    try {
      // Binary results: the carts arrive as bytes, never decoded to strings and encoded again.
      const config = {
        name: 'cocart-cart-bytes',
        text: CART_BYTES_SQL,
        values: [keys],
        rowMode: 'array' as const,
        types: bytesTypes,
        binary: true, // known to pg, missing from its type definitions
      };
      const { rows } = await this.#pool.query<[Buffer, Buffer]>(config as pg.QueryArrayConfig<unknown[]>);
      const found = new Map<string, Buffer>();
      for (const [key, value] of rows) found.set(key.toString('utf8'), value);
      const shared = new Set<string>();
      for (const w of batch.waiters) {
        const value = found.get(w.key);
        // Each caller owns its bytes: a second caller of one key gets a copy.
        w.resolve(value === undefined ? undefined : shared.has(w.key) ? Buffer.from(value) : value);
        shared.add(w.key);
      }
    } catch (e) {
      const error = toStoreError(e);
      for (const w of batch.waiters) w.reject(error);
    }
  }

  async getSession(cartKey: string): Promise<SessionRecord | undefined> {
    const [row] = await this.#rows<SessionRecord & pg.QueryResultRow>(
      `SELECT ${metaColumns()}, cart_value AS "cartValue" FROM cocart_carts WHERE cart_key = $1`,
      [cartKey],
    );
    return row;
  }

  async putSessions(sessions: NewSession[]): Promise<number> {
    const rows = lastPerKey(sessions);
    if (rows.length === 0) return 0;
    if (this.#closed) throw closedError();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (e) {
      throw toStoreError(e);
    }
    try {
      await client.query('BEGIN');
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const chunk = rows.slice(i, i + CHUNK_ROWS);
        const values: Array<string | number> = [];
        for (const s of chunk) {
          values.push(s.cartKey, s.cartCreated, s.cartExpiry, s.cartSource, s.cartHash, s.customerName);
          values.push(s.customerEmail, s.cartValue);
        }
        // Only full chunks get a prepared name, so a connection keeps one such statement, not one per size.
        const text = upsertSql(chunk.length);
        await client.query(
          chunk.length === CHUNK_ROWS ? { name: 'cocart-upsert', text, values } : { text, values },
        );
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw toStoreError(e);
    } finally {
      client.release();
      this.#writeSeq++;
    }
    await this.#maintainAfterBulk(rows.length);
    return rows.length;
  }

  // Index-only scans need a fresh visibility map and the planner fresh statistics; autovacuum lags bulk loads.
  async #maintainAfterBulk(written: number): Promise<void> {
    this.#unvacuumed += written;
    if (this.#unvacuumed < Math.max(2000, this.#knownRows / 5)) return;
    this.#knownRows += this.#unvacuumed;
    this.#unvacuumed = 0;
    await this.#pool.query('VACUUM (ANALYZE) cocart_carts').catch(() => {});
  }

  async deleteSession(cartKey: string): Promise<boolean> {
    const result = await this.#q('DELETE FROM cocart_carts WHERE cart_key = $1 RETURNING cart_id', [cartKey]);
    if (result.rowCount !== 1) return false;
    this.#writeSeq++;
    return true;
  }

  async deleteExpired(now: number): Promise<number> {
    const removed = (await this.#q('DELETE FROM cocart_carts WHERE cart_expiry < $1', [now])).rowCount ?? 0;
    if (removed > 0) this.#writeSeq++;
    return removed;
  }

  async addUser(u: NewUser): Promise<User> {
    const [row] = await this.#rows<User & pg.QueryResultRow>(
      `INSERT INTO users (login, email, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS}`,
      [u.login, u.email, u.role, u.passwordHash],
    );
    return row!;
  }

  async updateUser(login: string, patch: UserPatch): Promise<User | undefined> {
    const { sql, params } = updateUserSql(postgresDialect, login, patch);
    const [row] = await this.#rows<User & pg.QueryResultRow>(sql, params);
    return row;
  }

  async findUser(loginOrEmail: string): Promise<User | undefined> {
    const [row] = await this.#rows<User & pg.QueryResultRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE login = $1 OR (email <> '' AND lower(email) = lower($1)) ORDER BY (login = $1) DESC LIMIT 1`,
      [loginOrEmail],
    );
    return row;
  }

  async findUserById(id: number): Promise<User | undefined> {
    const [row] = await this.#rows<User & pg.QueryResultRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
      [id],
    );
    return row;
  }

  listUsers(): Promise<User[]> {
    return this.#rows<User & pg.QueryResultRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`);
  }

  async removeUser(login: string): Promise<boolean> {
    return (await this.#q('DELETE FROM users WHERE login = $1', [login])).rowCount === 1;
  }

  async countUsers(): Promise<number> {
    const [row] = await this.#rows<{ n: number }>('SELECT count(*) AS n FROM users');
    return row?.n ?? 0;
  }

  async addApiKey(k: NewApiKey): Promise<ApiKey> {
    const [row] = await this.#rows<ApiKey & pg.QueryResultRow>(
      `INSERT INTO api_keys (user_id, consumer_key_hash, consumer_key_ending, secret_hash, description, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${KEY_COLUMNS}`,
      [
        k.userId,
        k.consumerKeyHash,
        k.consumerKeyEnding,
        k.secretHash,
        k.description,
        Math.floor(Date.now() / 1000),
      ],
    );
    return row!;
  }

  async findApiKey(consumerKeyHash: string): Promise<ApiKey | undefined> {
    const [row] = await this.#rows<ApiKey & pg.QueryResultRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE consumer_key_hash = $1`,
      [consumerKeyHash],
    );
    return row;
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.#rows<ApiKey & pg.QueryResultRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY id`);
  }

  async revokeApiKey(consumerKeyEndingOrHash: string): Promise<boolean> {
    const byHash = await this.#q('DELETE FROM api_keys WHERE consumer_key_hash = $1', [
      consumerKeyEndingOrHash,
    ]);
    if ((byHash.rowCount ?? 0) > 0) return true;
    // An ending names a key only when it is unambiguous.
    const byEnding = await this.#q(
      'DELETE FROM api_keys WHERE consumer_key_ending = $1 AND (SELECT count(*) FROM api_keys WHERE consumer_key_ending = $1) = 1',
      [consumerKeyEndingOrHash],
    );
    return byEnding.rowCount === 1;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
