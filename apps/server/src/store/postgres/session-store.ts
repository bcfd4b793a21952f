import type pg from 'pg';
import { LatestWrites } from '../latest-writes.js';
import {
  type AnchorSet,
  anchorKey,
  filterKey,
  KEPT_PAGES,
  pageKey,
  RefreshingCache,
  StampedCache,
} from '../page-cache.js';
import {
  ANCHOR_MIN_OFFSET,
  anchoredPageSql,
  anchorSql,
  countSql,
  keysetSql,
  metaColumns,
  pageSql,
  recordByKeySql,
  sessionRowColumns,
  UPSERT_CONFLICT,
  UPSERT_INTO,
  updateRowParams,
  updateRowSql,
} from '../session-sql.js';
import {
  checkListQuery,
  type ListQuery,
  lastPerKey,
  type NewSession,
  type SessionChange,
  type SessionFilter,
  type SessionRecord,
  type SessionRow,
  type SessionStore,
} from '../session-store.js';
import { type BuiltSql, postgresDialect } from '../sql-dialect.js';
import { type CartAt, CartBatcher } from './cart-batcher.js';
import { CartWrites } from './cart-writes.js';
import { closedError, type PostgresDatabase, toStoreError } from './database.js';
import { VacuumPacing } from './vacuum-pacing.js';

/** Batches of the full list read ahead of the one being written (see streamSessionRows). */
const LIST_READ_AHEAD = 3;

/** The whole table's count key: the row count that paces VACUUM after bulk writes. */
const ALL_SESSIONS = filterKey({});

const CHUNK_ROWS = 500;

const UPSERT_COLUMNS = 8;

const LOCKED_RECORD_SQL = recordByKeySql(postgresDialect, true);
const RECORD_SQL = recordByKeySql(postgresDialect, false);
const UPDATE_ROW_SQL = updateRowSql(postgresDialect);
/**
 * A record with its row version: `xmin`, the transaction that wrote this version of the row, which
 * every UPDATE replaces. A compare-and-set on it sends a few bytes instead of the whole old cart.
 */
const VERSIONED_RECORD_SQL = `SELECT ${metaColumns()}, cart_value AS "cartValue", xmin::text AS "rowVersion" FROM cocart_carts WHERE cart_key = $1`;
/** Optimistic attempts of one change before it waits for the row's lock instead. */
const OPTIMISTIC_TRIES = 3;

type VersionedRecord = SessionRecord & { rowVersion: string } & pg.QueryResultRow;

/** A multi-row upsert of `rows` sessions (plain parameters: faster than unnest over escaped text arrays). */
function upsertSql(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const b = r * UPSERT_COLUMNS;
    tuples.push(`($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8})`);
  }
  return `${UPSERT_INTO}${tuples.join(',')}${UPSERT_CONFLICT}`;
}

/**
 * Sessions in PostgreSQL; concurrent cart look-ups share a round trip, concurrent cart writes a
 * statement (so a commit), counts, anchors and identical page reads a query.
 */
export class PostgresSessionStore implements SessionStore {
  readonly #db: PostgresDatabase;
  // Other processes write without telling us, so cached counts and anchors live one second at most.
  readonly #counts = new RefreshingCache<number>(64, 1000);
  readonly #anchors = new RefreshingCache<AnchorSet>(32, 1000);
  readonly #pageReads = new Map<string, Promise<SessionRow[]>>();
  /** Pages by statement and the change version they were read at (see listSessionRows). */
  readonly #pages = new StampedCache<SessionRow[]>(KEPT_PAGES);
  readonly #carts: CartBatcher;
  readonly #cartWrites: CartWrites;
  readonly #vacuumPacing: VacuumPacing;
  #writeSeq = 0;
  /** The last rows this process wrote, oldest first: a cart's next change may start from one. */
  readonly #written = new LatestWrites<string, { record: SessionRecord; rowVersion: string }>();

  readonly #seenVersion: () => string | undefined;

  /**
   * `seenVersion` is the latest store-wide change version this process has seen (store.changes.peek):
   * cached counts and anchors are stamped with it, so once a request has read a newer version (as
   * every list answer does, for its ETag) the caches cannot answer with an older state.
   */
  constructor(db: PostgresDatabase, seenVersion: () => string | undefined = () => undefined) {
    this.#db = db;
    this.#carts = new CartBatcher(db);
    this.#cartWrites = new CartWrites(db);
    this.#vacuumPacing = new VacuumPacing(db);
    this.#seenVersion = seenVersion;
  }

  #stamp(): string {
    return `${this.#writeSeq}:${this.#seenVersion() ?? ''}`;
  }

  async countSessions(filter: SessionFilter = {}): Promise<number> {
    const stamp = this.#stamp();
    const key = filterKey(filter);
    return this.#counts.get(key, stamp, async () => {
      const { sql, params } = countSql(postgresDialect, filter);
      const [row] = await this.#db.rows<{ n: number }>(sql, params);
      const n = row?.n ?? 0;
      if (key === ALL_SESSIONS) this.#vacuumPacing.noteRowCount(n);
      return n;
    });
  }

  async *streamRecords(batchSize = 500): AsyncIterable<SessionRecord[]> {
    const sql = keysetSql(postgresDialect, `${metaColumns()}, cart_value AS "cartValue"`);
    let last = 0;
    for (;;) {
      const batch = await this.#db.rows<SessionRecord & pg.QueryResultRow>(
        sql,
        [last, batchSize],
        this.#db.hot,
      );
      if (batch.length === 0) return;
      last = batch[batch.length - 1]!.cartId;
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  async *streamSessionRows(batchSize = 1000): AsyncIterable<SessionRow[]> {
    const sql = keysetSql(postgresDialect, sessionRowColumns());
    const read = (after: number) => this.#db.arrayRows<SessionRow>(sql, [after, batchSize], this.#db.hot);
    // Awaited below, but a consumer that stops, or meets a failed batch, never awaits those after it.
    const handled = (p: Promise<SessionRow[]>): Promise<SessionRow[]> => {
      p.catch(() => {});
      return p;
    };
    let stopped = false;
    // A batch's query starts as soon as the batch before it is read, not when the consumer asks for
    // it, up to LIST_READ_AHEAD batches ahead of the consumer: the consumer's pace still bounds them.
    const after = (previous: Promise<SessionRow[]>): Promise<SessionRow[]> =>
      handled(
        previous.then((batch) =>
          stopped || batch.length < batchSize ? [] : read(batch[batch.length - 1]![0]),
        ),
      );
    const ahead = [handled(read(0))];
    try {
      for (;;) {
        while (ahead.length < LIST_READ_AHEAD) ahead.push(after(ahead[ahead.length - 1]!));
        const batch = await ahead.shift()!;
        if (batch.length === 0) return;
        yield batch;
        if (batch.length < batchSize) return;
      }
    } finally {
      stopped = true;
    }
  }

  /**
   * Identical page reads share one query while it runs (a busy page is asked for by many clients
   * at once), and with the `sessions` change version the caller read first, a page read at that
   * version is answered from memory until the version moves: the version is bumped by every
   * committed change of any process, so such a page is exactly as fresh as a new read. Without a
   * version our own writes still start a new query. Callers share the rows: read only.
   */
  async listSessionRows(q: ListQuery, version?: string): Promise<SessionRow[]> {
    const page = await this.#pageQuery(q, sessionRowColumns('c'));
    if (page === undefined) return [];
    const text = pageKey(page);
    const kept = version === undefined ? undefined : this.#pages.get(text, version);
    if (kept !== undefined) return kept;
    // A caller that read a newer version never joins a query that started before it.
    const id = `${version ?? ''}:${this.#writeSeq}:${text}`;
    let read = this.#pageReads.get(id);
    if (read === undefined) {
      // Unfiltered cart_id pages walk the primary key whatever their parameters: generic plans suit them.
      const plain = q.orderBy === 'cart_id' && !q.search && q.source === undefined;
      read = this.#db.arrayRows<SessionRow>(page.sql, page.params, plain ? this.#db.hot : this.#db.pool);
      this.#pageReads.set(id, read);
      read.then(
        (rows) => {
          this.#pageReads.delete(id);
          if (version !== undefined) this.#pages.set(text, version, rows);
        },
        () => this.#pageReads.delete(id),
      );
    }
    return read;
  }

  /** The statement of one page, or `undefined` when the page is past the end. */
  async #pageQuery(q: ListQuery, columns: string): Promise<BuiltSql | undefined> {
    const offset = checkListQuery(q);
    if (offset < ANCHOR_MIN_OFFSET) return pageSql(postgresDialect, q, offset, undefined, columns);
    return anchoredPageSql(postgresDialect, q, offset, await this.#anchorSet(q), columns);
  }

  #anchorSet(q: ListQuery): Promise<AnchorSet> {
    const stamp = this.#stamp();
    const key = anchorKey(q);
    return this.#anchors.get(key, stamp, async () => {
      const { sql, params } = anchorSql(postgresDialect, q);
      const rows = await this.#db.rows<{ v: string | number; id: number }>(sql, params);
      return { anchors: rows.map((r) => ({ value: r.v, id: r.id })) };
    });
  }

  async getSessionRecord(cartKey: string): Promise<SessionRecord | undefined> {
    const [row] = await this.#db.rows<SessionRecord & pg.QueryResultRow>(RECORD_SQL, [cartKey]);
    return row;
  }

  async getCartValue(cartKey: string): Promise<string | undefined> {
    const [row] = await this.#db.rows<{ cart_value: string }>(
      'SELECT cart_value FROM cocart_carts WHERE cart_key = $1',
      [cartKey],
    );
    return row?.cart_value;
  }

  async getCartBytes(cartKey: string): Promise<Uint8Array | undefined> {
    return (await this.getCartBytesAt(cartKey)).bytes;
  }

  getCartBytesAt(cartKey: string): Promise<CartAt> {
    return this.#carts.getCartBytesAt(cartKey);
  }

  async putSessions(sessions: NewSession[]): Promise<number> {
    const rows = lastPerKey(sessions);
    if (rows.length === 0) return 0;
    if (this.#db.closed) throw closedError();
    let client: pg.PoolClient;
    try {
      client = await this.#db.pool.connect();
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
    await this.#vacuumPacing.afterBulkWrite(rows.length);
    return rows.length;
  }

  /** Vacuums what the pacing left of a bulk load (see VacuumPacing); called when the store closes. */
  vacuumBulkTail(): Promise<void> {
    return this.#vacuumPacing.vacuumBulkTail();
  }

  async createSession(s: NewSession): Promise<boolean> {
    const created = await this.#cartWrites.create(s);
    if (created === undefined) return false;
    this.#writeSeq++;
    this.#remember({ ...s, cartId: created.cartId }, created.rowVersion);
    return true;
  }

  /** Resolves once the cart writes asked for so far are written or failed (before the store closes). */
  settleWrites(): Promise<void> {
    return this.#cartWrites.settled();
  }

  #remember(record: SessionRecord, rowVersion: string): void {
    this.#written.keep(record.cartKey, { record, rowVersion });
  }

  /**
   * Optimistic first: compute from the row, and write only if it is still that version (xmin), so
   * no transaction is held across the computation. The row is the one this process last wrote when
   * it is still kept (one round trip: a storefront's changes to its cart mostly reach one server),
   * otherwise it is read (two); a row changed in between is read again. Past
   * {@link OPTIMISTIC_TRIES} (one cart written by many at once) the row is locked instead.
   */
  async updateSession(cartKey: string, change: SessionChange): Promise<SessionRecord | undefined> {
    const kept = this.#written.get(cartKey);
    if (kept !== undefined) {
      this.#written.delete(cartKey);
      // The kept row may be stale: what it gives (an answer, nothing, or a throw) counts only if
      // the compare-and-set confirms it is the row as stored; otherwise the row is read below.
      let next: NewSession | undefined;
      try {
        next = change(kept.record);
      } catch {
        next = undefined;
      }
      const written = next && (await this.#writeOver(kept.record, kept.rowVersion, next));
      if (written) return written;
    }
    for (let attempt = 0; attempt < OPTIMISTIC_TRIES; attempt++) {
      const [row] = await this.#db.rows<VersionedRecord>(VERSIONED_RECORD_SQL, [cartKey]);
      if (row === undefined) return undefined;
      const { rowVersion, ...current } = row;
      const next = change(current);
      if (next === undefined) return current;
      const written = await this.#writeOver(current, rowVersion, next);
      if (written) return written;
    }
    return this.#updateLocked(cartKey, change);
  }

  /** Writes `next` over `current` if the row is still version `rowVersion`; `undefined` if not. */
  async #writeOver(
    current: SessionRecord,
    rowVersion: string,
    next: NewSession,
  ): Promise<SessionRecord | undefined> {
    const version = await this.#cartWrites.update(current.cartId, rowVersion, next);
    if (version === undefined) return undefined;
    this.#writeSeq++;
    const record = { ...next, cartKey: current.cartKey, cartId: current.cartId };
    this.#remember(record, version);
    return record;
  }

  /** The row is locked (`FOR UPDATE`) from the read to the commit: concurrent changes queue on it. */
  async #updateLocked(cartKey: string, change: SessionChange): Promise<SessionRecord | undefined> {
    if (this.#db.closed) throw closedError();
    let client: pg.PoolClient;
    try {
      client = await this.#db.pool.connect();
    } catch (e) {
      throw toStoreError(e);
    }
    let wrote = false;
    try {
      let current: SessionRecord | undefined;
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<SessionRecord & pg.QueryResultRow>({
          name: 'cocart-cart-locked',
          text: LOCKED_RECORD_SQL,
          values: [cartKey],
        });
        current = rows[0];
      } catch (e) {
        throw toStoreError(e);
      }
      if (current === undefined) return undefined;
      // A throw here is the caller's answer (an ApiError), not a database failure.
      const next = change(current);
      if (next === undefined) return current;
      try {
        await client.query({
          name: 'cocart-cart-rewrite',
          text: UPDATE_ROW_SQL,
          values: updateRowParams(next, current.cartId),
        });
        await client.query('COMMIT');
      } catch (e) {
        throw toStoreError(e);
      }
      wrote = true;
      return { ...next, cartKey: current.cartKey, cartId: current.cartId };
    } finally {
      if (!wrote) await client.query('ROLLBACK').catch(() => {});
      client.release();
      if (wrote) this.#writeSeq++;
    }
  }

  async deleteSession(cartKey: string): Promise<boolean> {
    const result = await this.#db.q('DELETE FROM cocart_carts WHERE cart_key = $1 RETURNING cart_id', [
      cartKey,
    ]);
    if (result.rowCount !== 1) return false;
    this.#writeSeq++;
    return true;
  }

  async deleteExpired(now: number, limit?: number): Promise<number> {
    const removed =
      (limit === undefined
        ? await this.#db.q('DELETE FROM cocart_carts WHERE cart_expiry < $1', [now])
        : await this.#db.q(
            'DELETE FROM cocart_carts WHERE cart_id IN (SELECT cart_id FROM cocart_carts WHERE cart_expiry < $1 ORDER BY cart_expiry LIMIT $2)',
            [now, limit],
          )
      ).rowCount ?? 0;
    if (removed > 0) this.#writeSeq++;
    return removed;
  }
}
