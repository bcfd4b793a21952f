import type pg from 'pg';
import type { PostgresDatabase } from './database.js';

/** Rows written in bulk and not yet vacuumed that {@link VacuumPacing.vacuumBulkTail} vacuums. */
const TAIL_VACUUM_ROWS = 1000;

/**
 * VACUUM (ANALYZE) of cocart_carts after bulk writes: index-only scans need a fresh visibility map
 * and the planner fresh statistics, and autovacuum lags bulk loads. A vacuum runs once the rows
 * written since the last one reach a fifth of the table (at least 2000).
 */
export class VacuumPacing {
  readonly #db: PostgresDatabase;
  #unvacuumed = 0;
  #knownRows = 0;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  /** The table's row count, as a count of every session just read it. */
  noteRowCount(rows: number): void {
    this.#knownRows = rows;
  }

  async afterBulkWrite(written: number): Promise<void> {
    this.#unvacuumed += written;
    if (this.#unvacuumed < Math.max(2000, this.#knownRows / 5)) return;
    await this.#vacuum();
  }

  async #vacuum(): Promise<void> {
    this.#knownRows += this.#unvacuumed;
    this.#unvacuumed = 0;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.#db.pool.connect();
      // The statement timeout is for requests: a vacuum of a large load may need longer, and one
      // cancelled there would have done its work for nothing. The connection is dropped after, so
      // the setting never reaches a request.
      await client.query('SET statement_timeout = 0');
      await client.query('VACUUM (ANALYZE) cocart_carts');
    } catch {
      // Autovacuum will get to it; a failed vacuum fails no request.
    } finally {
      client?.release(true);
    }
  }

  /**
   * Vacuums the tail of a bulk load, which the pacing above leaves and autovacuum never takes (it
   * waits for 20% of the table to be new): 16% of a 100k seed had no visibility map, so every
   * index-only scan over it (full list, counts, anchors, last pages) read the table's pages too.
   */
  async vacuumBulkTail(): Promise<void> {
    if (this.#unvacuumed >= TAIL_VACUUM_ROWS) await this.#vacuum();
  }
}
