import type pg from 'pg';
import { formatVersion } from '../change-version.js';
import { versionNumberSql } from './change-version.js';
import { closedError, type PostgresDatabase, toStoreError } from './database.js';

// The carts and the sessions change version in one statement, so of one snapshot: the version is
// exactly that of the carts, and an ETag costs no second round trip. One row even when no cart matches.
const CART_BYTES_SQL = `SELECT v.epoch, ${versionNumberSql("'sessions'")}, c.cart_key, c.cart_value FROM change_versions v LEFT JOIN cocart_carts c ON c.cart_key = ANY($1::text[]) WHERE v.scope = 'sessions'`;
/** Most cart look-ups answered by one query. */
const MAX_CART_BATCH = 64;
/**
 * Cart queries in flight at once. One: look-ups that arrive while it runs go together in the next,
 * so each query (a backend wake-up and ~60 µs of backend CPU on its own) carries more of them. On a
 * 2-core machine busy with the load, two in flight split the look-ups into smaller batches: the
 * backend's CPU per read rose from 39-41 to 48-53 µs, and in three interleaved A/Bs (100k sessions,
 * 10 rounds of 2 s) one in flight read 0.32, 0.32 and 0.38 of the ceiling against 0.30, 0.28 and 0.33.
 */
const MAX_CART_QUERIES = 1;

/** A cart's bytes with the `sessions` change version they were read at. */
export interface CartAt {
  version: string;
  bytes: Uint8Array | undefined;
}

interface CartWaiter {
  key: string;
  resolve: (cart: CartAt) => void;
  reject: (error: unknown) => void;
}

// The protocol parser hands out views of its receive buffer, which it reuses: keep a copy.
const bytesTypes = {
  getTypeParser: (() => (v: Buffer) => Buffer.from(v)) as unknown as typeof pg.types.getTypeParser,
};

/**
 * The cart look-ups of one PostgreSQL store (`GET /session/<key>`, the hot path): concurrent
 * look-ups share one round trip on the generic-plan pool, one query in flight at a time.
 */
export class CartBatcher {
  readonly #db: PostgresDatabase;
  readonly #queue: CartWaiter[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  getCartBytesAt(cartKey: string): Promise<CartAt> {
    if (this.#db.closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      this.#queue.push({ key: cartKey, resolve, reject });
      if (!this.#scheduled && this.#inFlight < MAX_CART_QUERIES) {
        // Look-ups that arrive in one turn of the event loop share one round trip.
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#send();
        });
      }
    });
  }

  /**
   * At most {@link MAX_CART_QUERIES} cart queries at a time: look-ups that arrive while they run wait
   * and go together in the next. Each query wakes a backend process, and on a small machine that
   * wake-up and the backend's per-query work cost more than the look-ups themselves.
   */
  #send(): void {
    if (this.#inFlight >= MAX_CART_QUERIES || this.#queue.length === 0) return;
    const waiters = this.#queue.splice(0, MAX_CART_BATCH);
    this.#inFlight++;
    void this.#flush(waiters).then(() => {
      this.#inFlight--;
      this.#send();
    });
  }

  async #flush(waiters: CartWaiter[]): Promise<void> {
    const keys = [...new Set(waiters.map((w) => w.key))];
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
      const rows: Array<[Buffer, Buffer, Buffer | null, Buffer | null]> = (
        await this.#db.hotQuery(config as pg.QueryArrayConfig)
      ).rows;
      const [epoch, number] = rows[0] ?? [];
      if (epoch === undefined || number === undefined) throw new Error('change_versions has no sessions row');
      const version = formatVersion({ epoch: epoch.toString('utf8'), version: number.toString('utf8') });
      const found = new Map<string, Buffer>();
      for (const [, , key, value] of rows)
        if (key !== null && value !== null) found.set(key.toString('utf8'), value);
      const shared = new Set<string>();
      for (const w of waiters) {
        const value = found.get(w.key);
        // Each caller owns its bytes: a second caller of one key gets a copy.
        const bytes = value === undefined ? undefined : shared.has(w.key) ? Buffer.from(value) : value;
        w.resolve({ version, bytes });
        shared.add(w.key);
      }
    } catch (e) {
      const error = toStoreError(e);
      for (const w of waiters) w.reject(error);
    }
  }
}
