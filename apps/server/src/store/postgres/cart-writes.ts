import { INSERT_NEW_CONFLICT, UPSERT_INTO } from '../session-sql.js';
import type { NewSession } from '../session-store.js';
import { StoreUnavailableError } from '../store-errors.js';
import { closedError, type PostgresDatabase, toStoreError } from './database.js';

/** Cart writes of one statement at most; more go in the next. */
const MAX_BATCHED_WRITES = 64;
/**
 * Write statements in flight at once. Writes asked for while they run wait and go together in the
 * next, so one statement (one trip to the backend, one change-slot bump, one commit) carries them all.
 */
const MAX_WRITE_STATEMENTS = 1;

const CREATE_PARAMS = 8;
const UPDATE_PARAMS = 9;

/** The multi-row insert of `n` new carts; a taken key's row is left out, and so is it from the answer. */
function createSql(n: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < n; r++) {
    const b = r * CREATE_PARAMS;
    tuples.push(`($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8})`);
  }
  return (
    `${UPSERT_INTO}${tuples.join(',')}${INSERT_NEW_CONFLICT} ` +
    'RETURNING cart_key AS "cartKey", cart_id AS "cartId", xmin::text AS "rowVersion"'
  );
}

/**
 * The rewrite of `n` rows, each only while it is still the version read (a compare-and-set on its
 * xmin, as the single-row update): a row another writer changed meanwhile is left out of the answer.
 */
function updateSql(n: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < n; r++) {
    const b = r * UPDATE_PARAMS;
    tuples.push(
      `($${b + 1}::bigint,$${b + 2}::xid,$${b + 3}::bigint,$${b + 4}::bigint,$${b + 5}::text,` +
        `$${b + 6}::text,$${b + 7}::text,$${b + 8}::text,$${b + 9}::text)`,
    );
  }
  return (
    'UPDATE cocart_carts c SET cart_created = v.created, cart_expiry = v.expiry, cart_source = v.source, ' +
    'cart_hash = v.hash, customer_name = v.name, customer_email = v.email, cart_value = v.value ' +
    `FROM (VALUES ${tuples.join(',')}) AS v(id, row_version, created, expiry, source, hash, name, email, value) ` +
    'WHERE c.cart_id = v.id AND c.xmin = v.row_version RETURNING c.cart_id AS "cartId", c.xmin::text AS "rowVersion"'
  );
}

/** Statement texts by row count, built once. */
const createSqls: string[] = [];
const updateSqls: string[] = [];

/** A new cart's row: its id and row version (xmin). */
export interface Created {
  cartId: number;
  rowVersion: string;
}

interface CreateWrite {
  kind: 'create';
  session: NewSession;
  resolve: (created: Created | undefined) => void;
  reject: (error: unknown) => void;
}

interface UpdateWrite {
  kind: 'update';
  cartId: number;
  rowVersion: string;
  next: NewSession;
  resolve: (rowVersion: string | undefined) => void;
  reject: (error: unknown) => void;
}

type CartWrite = CreateWrite | UpdateWrite;

/**
 * The cart writes of one PostgreSQL store (the cart API's creates and compare-and-set rewrites):
 * concurrent writes share one statement, so one commit. Each write stays its own: a row conflict (a
 * taken key, a row changed meanwhile) leaves out only that row, and a statement that fails as a
 * whole (a value the database refuses) is tried again one write at a time, so a bad write fails
 * alone and the others are written whole. A failure to reach the database fails the batch.
 */
export class CartWrites {
  readonly #db: PostgresDatabase;
  #queue: CartWrite[] = [];
  #inFlight = 0;
  #scheduled = false;
  /** Settles when no write is queued or in flight (see {@link settled}). */
  #idle: Array<() => void> = [];

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  /** Inserts a new cart; `undefined` when its key is taken. */
  create(session: NewSession): Promise<Created | undefined> {
    return new Promise((resolve, reject) => this.#push({ kind: 'create', session, resolve, reject }));
  }

  /** Writes `next` over row `cartId` while it is version `rowVersion`: the new version, or `undefined`. */
  update(cartId: number, rowVersion: string, next: NewSession): Promise<string | undefined> {
    return new Promise((resolve, reject) =>
      this.#push({ kind: 'update', cartId, rowVersion, next, resolve, reject }),
    );
  }

  /** Resolves once every write asked for so far has been written or failed (the store closes after). */
  settled(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0 && !this.#scheduled) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #push(write: CartWrite): void {
    if (this.#db.closed) {
      write.reject(closedError());
      return;
    }
    this.#queue.push(write);
    if (this.#scheduled || this.#inFlight >= MAX_WRITE_STATEMENTS) return;
    // Writes asked for in one turn of the event loop share a statement.
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send(): void {
    if (this.#inFlight >= MAX_WRITE_STATEMENTS) return;
    if (this.#queue.length === 0) {
      if (this.#inFlight === 0 && !this.#scheduled) for (const resolve of this.#idle.splice(0)) resolve();
      return;
    }
    const batch = this.#take();
    this.#inFlight++;
    void this.#write(batch).then(() => {
      this.#inFlight--;
      this.#send();
    });
  }

  /**
   * Up to {@link MAX_BATCHED_WRITES} writes in call order, at most one per row: a second write of a
   * row waits for the next statement (a statement changes a row once, and the second write's
   * compare-and-set is against the version the first one replaces).
   */
  #take(): CartWrite[] {
    const batch: CartWrite[] = [];
    const rest: CartWrite[] = [];
    const rows = new Set<string>();
    for (const w of this.#queue) {
      const row = w.kind === 'create' ? `k${w.session.cartKey}` : `i${w.cartId}`;
      if (batch.length >= MAX_BATCHED_WRITES || rows.has(row)) rest.push(w);
      else {
        rows.add(row);
        batch.push(w);
      }
    }
    this.#queue = rest;
    return batch;
  }

  async #write(batch: CartWrite[]): Promise<void> {
    const creates = batch.filter((w): w is CreateWrite => w.kind === 'create');
    const updates = batch.filter((w): w is UpdateWrite => w.kind === 'update');
    await Promise.all([
      creates.length > 0 && this.#together(creates, (ws) => this.#creates(ws)),
      updates.length > 0 && this.#together(updates, (ws) => this.#updates(ws)),
    ]);
  }

  /**
   * `writes` in one statement; when it fails, each alone (a failed statement wrote nothing), unless
   * the database could not be reached: then they all fail, as each alone would.
   */
  async #together<W extends CartWrite>(writes: W[], statement: (ws: W[]) => Promise<void>): Promise<void> {
    try {
      await statement(writes);
    } catch (e) {
      const error = toStoreError(e);
      if (writes.length === 1 || error instanceof StoreUnavailableError) {
        for (const w of writes) w.reject(error);
        return;
      }
      await Promise.all(writes.map((w) => this.#together([w], statement)));
    }
  }

  async #creates(writes: CreateWrite[]): Promise<void> {
    const values: Array<string | number> = [];
    for (const { session: s } of writes) {
      values.push(s.cartKey, s.cartCreated, s.cartExpiry, s.cartSource, s.cartHash, s.customerName);
      values.push(s.customerEmail, s.cartValue);
    }
    createSqls[writes.length] ??= createSql(writes.length);
    const { rows } = await this.#db.q<Created & { cartKey: string }>(createSqls[writes.length]!, values);
    const byKey = new Map(rows.map((r) => [r.cartKey, r]));
    for (const w of writes) {
      const row = byKey.get(w.session.cartKey);
      w.resolve(row && { cartId: row.cartId, rowVersion: row.rowVersion });
    }
  }

  async #updates(writes: UpdateWrite[]): Promise<void> {
    const values: Array<string | number> = [];
    for (const { cartId, rowVersion, next: n } of writes) {
      values.push(cartId, rowVersion, n.cartCreated, n.cartExpiry, n.cartSource, n.cartHash);
      values.push(n.customerName, n.customerEmail, n.cartValue);
    }
    updateSqls[writes.length] ??= updateSql(writes.length);
    const { rows } = await this.#db.q<Created>(updateSqls[writes.length]!, values);
    const byId = new Map(rows.map((r) => [r.cartId, r.rowVersion]));
    for (const w of writes) w.resolve(byId.get(w.cartId));
  }
}
