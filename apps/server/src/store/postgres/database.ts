import pg from 'pg';
import { StoreInputError, StoreUnavailableError } from '../store-errors.js';
import { postgresMigrations } from './migrations.js';

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

export const closedError = (): StoreUnavailableError =>
  new StoreUnavailableError('PostgreSQL store is closed.');

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/**
 * Connections of the pool of plan-independent statements (see {@link PostgresDatabase.hot}): the cart
 * query in flight and one left for the list pages and streams.
 */
const HOT_CONNECTIONS = 2;
/** Idle time before the LISTEN connection's first keepalive probe (ms). */
const LISTEN_KEEPALIVE_DELAY_MS = 10_000;

function isUnavailable(e: unknown): boolean {
  const err = e as { code?: unknown; severity?: unknown; message?: unknown };
  if (!(e instanceof Error)) return false;
  const code = typeof err.code === 'string' ? err.code : '';
  if (err.severity !== undefined) {
    // Server-side SQLSTATEs: connection exceptions, resources, shutdown, missing database, auth, and
    // a statement cancelled (statement_timeout, see open) or refused a lock in time.
    return /^(08|53|57P0|57014|55P03|3D000|28)/.test(code);
  }
  if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ETIMEDOUT, ENOTFOUND, ECONNRESET...
  return /timeout|terminated|Connection|pool after calling end|not queryable/i.test(String(err.message));
}

/** A `pg` error as the store's: unavailable (503) or bad input, else as it is. */
export function toStoreError(e: unknown): unknown {
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

/**
 * A `pg` Pool on one database (and `?schema=`), shared by the session and the account store;
 * several processes may share one database.
 */
export class PostgresDatabase {
  readonly pool: pg.Pool;
  /**
   * A small second pool whose sessions use generic plans. PostgreSQL plans a prepared statement
   * again on every execution while a custom plan looks cheaper than the generic one, which is always
   * the case for `= ANY($1)` and `LIMIT $n`, and planning costs more than running such statements:
   * a batch of cart look-ups took 135-155 µs of backend CPU planned each time, 93-103 µs generic.
   * Only statements whose best plan never depends on their parameters may run here (look-ups by
   * cart key, keyset batches and pages in cart_id order without a filter): for filtered or otherwise
   * ordered pages the generic plan can be 100 times slower.
   */
  readonly hot: pg.Pool;
  readonly #clientConfig: pg.ClientConfig;
  readonly #queryTimeoutMs: number;
  /** Connections of {@link hot} checked out for a query, with when (performance.now). */
  readonly #hotInFlight = new Map<pg.PoolClient, number>();
  #hotWatchdog: NodeJS.Timeout | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(pool: pg.Pool, hot: pg.Pool, clientConfig: pg.ClientConfig, queryTimeoutMs: number) {
    this.pool = pool;
    this.hot = hot;
    this.#clientConfig = clientConfig;
    this.#queryTimeoutMs = queryTimeoutMs;
    hot.on('acquire', (client) => {
      this.#hotInFlight.set(client, performance.now());
      // Started here rather than when the query is asked for: the watchdog stops once it finds
      // nothing in flight, so a connection slower to open than one of its periods would run its
      // query unwatched.
      this.#hotWatchdog ??= setInterval(() => this.#endHungHotQueries(), this.#watchdogMs).unref();
    });
    hot.on('release', (_error, client) => this.#hotInFlight.delete(client));
  }

  /** How often the hot pool's watchdog looks: a query fails at most a quarter of its timeout late. */
  get #watchdogMs(): number {
    return Math.max(10, Math.min(1000, this.#queryTimeoutMs / 4));
  }

  /**
   * A query on {@link hot}, failed with StoreUnavailableError when it outlasts the query timeout, as
   * pg's `query_timeout` fails the other pool's. pg's own timer is off on this pool: a timer per query
   * (pg's, or one here) kept query results alive past the young generation, and collecting what it
   * promoted cost a third of a cart read's CPU (4 ms scavenges every 0.3 s instead of 0.5 ms ones).
   * One watchdog per pool checks the queries in flight instead.
   */
  async hotQuery(config: pg.QueryConfig | pg.QueryArrayConfig): Promise<pg.QueryResult> {
    if (this.#closed) throw closedError();
    try {
      // pg-pool's own query (not connect, query, release here): that way keeps each query's garbage
      // in the young generation.
      return await this.hot.query(config as pg.QueryConfig);
    } catch (e) {
      throw toStoreError(e);
    }
  }

  #endHungHotQueries(): void {
    if (this.#hotInFlight.size === 0) {
      clearInterval(this.#hotWatchdog);
      this.#hotWatchdog = undefined;
      return;
    }
    const now = performance.now();
    for (const [client, started] of this.#hotInFlight) {
      if (now - started < this.#queryTimeoutMs) continue;
      this.#hotInFlight.delete(client);
      // Ending the socket fails the hung query with a connection error (503) and the pool drops the
      // connection; pg has no public way to abandon a query.
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    }
  }

  /** A connected client outside the pool, on the same database and schema (for LISTEN). */
  async connectClient(): Promise<pg.Client> {
    if (this.#closed) throw closedError();
    const client = new pg.Client({
      ...this.#clientConfig,
      // An idle LISTEN connection sends nothing: without keepalive probes a peer gone without a word
      // (a NAT entry dropped, a failover) leaves it open and deaf for good.
      keepAlive: true,
      keepAliveInitialDelayMillis: LISTEN_KEEPALIVE_DELAY_MS,
    });
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => {});
      throw toStoreError(e);
    }
    return client;
  }

  /** Connects, creates the `?schema=` schema if missing, and migrates (once, under an advisory lock). */
  static async open(databaseUrl: string, options: PostgresStoreOptions = {}): Promise<PostgresDatabase> {
    const { connectionString, schema } = parsePostgresUrl(databaseUrl);
    const queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
    const clientConfig: pg.ClientConfig = {
      connectionString,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
      // A hung server answers 503 instead of holding requests forever (hotQuery times its own pool).
      query_timeout: queryTimeoutMs,
      // And the server gives up then too (sent at connect: no round trip): a statement we stopped
      // waiting for would otherwise keep its backend, and its place in the lock queue, until it ends,
      // one orphan per 503 for as long as a lock holds.
      statement_timeout: queryTimeoutMs,
      types,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    };
    const pool = new pg.Pool({ ...clientConfig, max: options.max ?? 10, idleTimeoutMillis: 10_000 });
    const hot = new pg.Pool({
      ...clientConfig,
      // Timed by hotQuery instead (see there).
      query_timeout: 0,
      options: `${clientConfig.options ?? ''} -c plan_cache_mode=force_generic_plan`.trim(),
      max: HOT_CONNECTIONS,
      idleTimeoutMillis: 10_000,
    });
    for (const p of [pool, hot]) p.on('error', (e) => options.onPoolError?.(e));
    const database = new PostgresDatabase(pool, hot, clientConfig, queryTimeoutMs);
    // The first cart or list read would otherwise wait for a new backend (tens of ms under load).
    const warming = hot.connect().then(
      (client) => client.release(),
      () => {},
    );
    try {
      await database.#migrate(schema);
      await warming;
    } catch (e) {
      await warming;
      await Promise.all([pool.end().catch(() => {}), hot.end().catch(() => {})]);
      throw toStoreError(e);
    }
    return database;
  }

  async #migrate(schema: string | undefined): Promise<void> {
    const lock = [`cocart-sessions:migrate:${schema ?? ''}`];
    const client = await this.pool.connect();
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

  get closed(): boolean {
    return this.#closed;
  }

  /** A named (prepared) query, its error mapped to the store's errors; `pool` may be {@link hot}. */
  async q<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    pool = this.pool,
  ): Promise<pg.QueryResult<R>> {
    return this.#query({ name: statementName(sql), text: sql, values: params }, pool) as Promise<
      pg.QueryResult<R>
    >;
  }

  /** A query on `pool` (timed by {@link hotQuery} on the hot pool), its error mapped to the store's. */
  async #query(config: pg.QueryConfig | pg.QueryArrayConfig, pool: pg.Pool): Promise<pg.QueryResult> {
    if (pool === this.hot) return this.hotQuery(config);
    if (this.#closed) throw closedError();
    try {
      return await pool.query(config as pg.QueryConfig);
    } catch (e) {
      throw toStoreError(e);
    }
  }

  async rows<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    pool = this.pool,
  ): Promise<R[]> {
    return (await this.q<R>(sql, params, pool)).rows;
  }

  /** Rows as arrays: no object per row. */
  async arrayRows<R extends unknown[]>(sql: string, params: unknown[], pool = this.pool): Promise<R[]> {
    const config: pg.QueryArrayConfig = {
      name: `a${statementName(sql)}`,
      text: sql,
      values: params,
      rowMode: 'array',
    };
    return (await this.#query(config, pool)).rows as R[];
  }

  async ping(): Promise<void> {
    await this.q('SELECT 1');
  }

  /** Runs `beforeClose` (while queries still work), then ends both pools; later calls share the first. */
  close(beforeClose?: () => Promise<void>): Promise<void> {
    this.#closing ??= (async () => {
      await beforeClose?.();
      this.#closed = true;
      clearInterval(this.#hotWatchdog);
      await Promise.all([this.pool.end(), this.hot.end()]);
    })();
    return this.#closing;
  }
}
