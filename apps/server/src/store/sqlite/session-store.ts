import { formatVersion } from '../change-version.js';
import { LatestWrites } from '../latest-writes.js';
import { type AnchorSet, anchorKey, filterKey, KEPT_PAGES, pageKey, StampedCache } from '../page-cache.js';
import {
  ANCHOR_MIN_OFFSET,
  anchoredPageSql,
  anchorSql,
  countSql,
  INSERT_NEW_CONFLICT,
  keysetSql,
  metaColumns,
  pageSql,
  recordByKeySql,
  sessionRowColumns,
  UPSERT_CONFLICT,
  UPSERT_INTO,
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
import { type BuiltSql, sqliteDialect } from '../sql-dialect.js';
import { plain, type SqliteDatabase } from './database.js';

const CART_BYTES_SQL = 'SELECT CAST(cart_value AS BLOB) FROM cocart_carts WHERE cart_key = ?';
// The cart and the sessions change version in one statement (one read transaction, one snapshot): a
// separate version read cost a third of the cart read itself (WAL read locks are taken per statement).
const CART_AT_SQL =
  "SELECT v.epoch, v.version, CAST(c.cart_value AS BLOB) FROM change_versions v LEFT JOIN cocart_carts c ON c.cart_key = ? WHERE v.scope = 'sessions'";
const UPSERT_SQL = `${UPSERT_INTO}(?, ?, ?, ?, ?, ?, ?, ?)${UPSERT_CONFLICT}`;
const INSERT_NEW_SQL = `${UPSERT_INTO}(?, ?, ?, ?, ?, ?, ?, ?)${INSERT_NEW_CONFLICT}`;
const RECORD_SQL = recordByKeySql(sqliteDialect, false);

/** The columns a rewrite may change, by their {@link NewSession} field; `cart_value` is always set. */
const REWRITTEN_COLUMNS = [
  ['cartCreated', 'cart_created'],
  ['cartExpiry', 'cart_expiry'],
  ['cartSource', 'cart_source'],
  ['cartHash', 'cart_hash'],
  ['customerName', 'customer_name'],
  ['customerEmail', 'customer_email'],
] as const;

/**
 * The UPDATE of row `current` to `next` that sets `cart_value` and only the other columns whose value
 * changes: SQLite rewrites the entries of every index on a column its SET list names, even to the same
 * value, and a cart change moves few of them (the cart API keeps the created time, source and usually
 * the customer). Setting `cart_value` always keeps every rewrite a write that bumps the change version.
 */
function rewriteOf(
  current: SessionRecord,
  next: NewSession,
): { sql: string; params: Array<string | number> } {
  const sets: string[] = [];
  const params: Array<string | number> = [];
  for (const [field, column] of REWRITTEN_COLUMNS) {
    if (next[field] === current[field]) continue;
    sets.push(`${column} = ?`);
    params.push(next[field]);
  }
  sets.push('cart_value = ?');
  params.push(next.cartValue, current.cartId);
  return { sql: `UPDATE cocart_carts SET ${sets.join(', ')} WHERE cart_id = ?`, params };
}

/** Expired sessions, at most `limit`, through the cart_expiry index. */
const EXPIRED_BATCH_SQLITE =
  'DELETE FROM cocart_carts WHERE cart_id IN (SELECT cart_id FROM cocart_carts WHERE cart_expiry < ? ORDER BY cart_expiry LIMIT ?)';

/** Sessions in the SQLite file; counts and deep-page anchors are cached until the next commit. */
export class SqliteSessionStore implements SessionStore {
  readonly #db: SqliteDatabase;
  readonly #counts = new StampedCache<number>(64);
  readonly #anchors = new StampedCache<AnchorSet>(32);
  /** Pages by statement and the change version they were read at (see listSessionRows). */
  readonly #pages = new StampedCache<SessionRow[]>(KEPT_PAGES);

  /**
   * The rows this connection wrote last, oldest first, each exactly as it stands while no other
   * connection has committed and no batch has failed since (both checked before each use).
   */
  readonly #written = new LatestWrites<string, SessionRecord>();
  #writtenDataVersion = -1;
  #writtenFailedBatches = 0;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /**
   * The row of `cartKey` as this connection last wrote it, if that is certainly the row as stored:
   * another connection's commit (any row) or a failed batch forgets every kept row. Call inside the
   * write transaction, so no other connection can commit before the write that uses it.
   */
  #keptRow(cartKey: string): SessionRecord | undefined {
    const dataVersion = this.#db.dataVersion();
    const failed = this.#db.failedBatches;
    if (dataVersion !== this.#writtenDataVersion || failed !== this.#writtenFailedBatches) {
      this.#written.clear();
      this.#writtenDataVersion = dataVersion;
      this.#writtenFailedBatches = failed;
      return undefined;
    }
    return this.#written.get(cartKey);
  }

  /** Keeps a row just written (after {@link #keptRow}, in the same transaction). */
  #remember(record: SessionRecord): void {
    this.#written.keep(record.cartKey, record);
  }

  countSessions(filter: SessionFilter = {}): Promise<number> {
    return this.#db.run(() => {
      const stamp = this.#db.stamp();
      const key = filterKey(filter);
      const cached = this.#counts.get(key, stamp);
      if (cached !== undefined) return cached;
      const { sql, params } = countSql(sqliteDialect, filter);
      const n = Number((this.#db.stmt(sql).get(...params) as { n: number }).n);
      this.#counts.set(key, stamp, n);
      return n;
    });
  }

  async *streamRecords(batchSize = 500): AsyncIterable<SessionRecord[]> {
    const sql = keysetSql(sqliteDialect, `${metaColumns()}, cart_value AS "cartValue"`);
    let last = 0;
    for (;;) {
      const batch = await this.#db.run(() =>
        this.#db
          .stmt(sql)
          .all(last, batchSize)
          .map((r) => plain<SessionRecord>(r)),
      );
      if (batch.length === 0) return;
      last = batch[batch.length - 1]!.cartId;
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  async *streamSessionRows(batchSize = 1000): AsyncIterable<SessionRow[]> {
    const sql = keysetSql(sqliteDialect, sessionRowColumns());
    let last = 0;
    for (;;) {
      const batch = await this.#db.run(
        () => this.#db.stmt(sql, true).all(last, batchSize) as unknown as SessionRow[],
      );
      if (batch.length === 0) return;
      last = batch[batch.length - 1]![0];
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  /**
   * With the `sessions` change version the caller read first, a page read at that version is
   * answered from memory until the version moves (every committed write of any process moves it).
   */
  listSessionRows(q: ListQuery, version?: string): Promise<SessionRow[]> {
    return this.#db.run(() => {
      const page = this.#pageQuery(q, sessionRowColumns('c'));
      if (page === undefined) return [];
      const key = pageKey(page);
      const kept = version === undefined ? undefined : this.#pages.get(key, version);
      if (kept !== undefined) return kept;
      const rows = this.#db.stmt(page.sql, true).all(...page.params) as unknown as SessionRow[];
      if (version !== undefined) this.#pages.set(key, version, rows);
      return rows;
    });
  }

  /** The statement of one page, or `undefined` when the page is past the end. */
  #pageQuery(q: ListQuery, columns: string): BuiltSql | undefined {
    const offset = checkListQuery(q);
    if (offset < ANCHOR_MIN_OFFSET) return pageSql(sqliteDialect, q, offset, undefined, columns);
    return anchoredPageSql(sqliteDialect, q, offset, this.#anchorSet(q), columns);
  }

  #anchorSet(q: ListQuery): AnchorSet {
    const stamp = this.#db.stamp();
    const key = anchorKey(q);
    const cached = this.#anchors.get(key, stamp);
    if (cached) return cached;
    const { sql, params } = anchorSql(sqliteDialect, q);
    const rows = this.#db.stmt(sql).all(...params) as Array<{ v: string | number; id: number }>;
    const set: AnchorSet = { anchors: rows.map((r) => ({ value: r.v, id: r.id })) };
    this.#anchors.set(key, stamp, set);
    return set;
  }

  getSessionRecord(cartKey: string): Promise<SessionRecord | undefined> {
    return this.#db.run(() => {
      const row = this.#db.stmt(RECORD_SQL).get(cartKey);
      return row === undefined ? undefined : plain<SessionRecord>(row);
    });
  }

  getCartValue(cartKey: string): Promise<string | undefined> {
    return this.#db.run(() => {
      const row = this.#db.stmt('SELECT cart_value FROM cocart_carts WHERE cart_key = ?').get(cartKey) as
        | { cart_value: string }
        | undefined;
      return row?.cart_value;
    });
  }

  getCartBytes(cartKey: string): Promise<Uint8Array | undefined> {
    return this.#db.run(() => {
      // As a blob: no UTF-8 decode here and no re-encode when the answer is written.
      const row = this.#db.stmt(CART_BYTES_SQL, true).get(cartKey) as unknown as [Uint8Array] | undefined;
      return row === undefined ? undefined : Buffer.from(row[0].buffer, row[0].byteOffset, row[0].byteLength);
    });
  }

  getCartBytesAt(cartKey: string): Promise<{ version: string; bytes: Uint8Array | undefined }> {
    return this.#db.run(() => this.#cartAt(cartKey));
  }

  readCartBytesAtNow(cartKey: string): { version: string; bytes: Uint8Array | undefined } {
    return this.#db.runNow(() => this.#cartAt(cartKey));
  }

  #cartAt(cartKey: string): { version: string; bytes: Uint8Array | undefined } {
    const row = this.#db.stmt(CART_AT_SQL, true).get(cartKey) as unknown as
      | [string, number, Uint8Array | null]
      | undefined;
    if (row === undefined) throw new Error('change_versions has no sessions row');
    const [epoch, version, blob] = row;
    const bytes = blob === null ? undefined : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    return { version: formatVersion({ epoch, version }), bytes };
  }

  putSessions(sessions: NewSession[]): Promise<number> {
    return this.#db.run(() => {
      const rows = lastPerKey(sessions);
      if (rows.length === 0) return 0;
      for (const s of rows) this.#written.delete(s.cartKey);
      const upsert = this.#db.stmt(UPSERT_SQL);
      return this.#db.write(() => {
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

  createSession(s: NewSession): Promise<boolean> {
    return this.#db.batchedWrite(() => {
      // Forgets the kept rows when another connection committed, before this one is kept beside them.
      this.#keptRow(s.cartKey);
      const { changes, lastInsertRowid } = this.#db
        .stmt(INSERT_NEW_SQL)
        .run(
          s.cartKey,
          s.cartCreated,
          s.cartExpiry,
          s.cartSource,
          s.cartHash,
          s.customerName,
          s.customerEmail,
          s.cartValue,
        );
      if (Number(changes) === 0) return false;
      this.#remember({ ...s, cartId: Number(lastInsertRowid) });
      return true;
    });
  }

  updateSession(cartKey: string, change: SessionChange): Promise<SessionRecord | undefined> {
    // The batch's BEGIN IMMEDIATE takes the file's write lock before the read: other processes wait
    // for it, and this connection runs nothing else until the synchronous transaction ends.
    // A cart this connection wrote last, unchanged since, is not read again (the read of a whole
    // cart cost more than its rewrite).
    return this.#db.batchedWrite(() => {
      let current = this.#keptRow(cartKey);
      if (current === undefined) {
        const row = this.#db.stmt(RECORD_SQL).get(cartKey);
        if (row === undefined) return undefined;
        current = plain<SessionRecord>(row);
      } else {
        current = { ...current };
      }
      const next = change(current);
      if (next === undefined) return current;
      const { sql, params } = rewriteOf(current, next);
      this.#db.stmt(sql).run(...params);
      const written = { ...next, cartKey: current.cartKey, cartId: current.cartId };
      // Last: a throw before this leaves the kept row, and the row, as they were.
      this.#remember({ ...written });
      return written;
    });
  }

  deleteSession(cartKey: string): Promise<boolean> {
    return this.#db.run(() => {
      // One synchronous autocommit statement: nothing else runs on this connection in between.
      this.#written.delete(cartKey);
      const { changes } = this.#db.stmt('DELETE FROM cocart_carts WHERE cart_key = ?').run(cartKey);
      if (Number(changes) === 0) return false;
      this.#db.wrote();
      return true;
    });
  }

  deleteExpired(now: number, limit?: number): Promise<number> {
    return this.#db.run(() => {
      this.#written.clear();
      const removed = Number(
        limit === undefined
          ? this.#db.stmt('DELETE FROM cocart_carts WHERE cart_expiry < ?').run(now).changes
          : this.#db.stmt(EXPIRED_BATCH_SQLITE).run(now, limit).changes,
      );
      if (removed > 0) this.#db.wrote();
      return removed;
    });
  }
}
