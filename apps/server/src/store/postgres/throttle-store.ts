import { postgresDialect } from '../sql-dialect.js';
import {
  blockedAddressesSql,
  claimLeaseSql,
  markBlockedSql,
  pruneExpiredSql,
  pruneOverflowSql,
  refundAttemptSql,
  releaseLeaseSql,
  reserveAttemptSql,
} from '../throttle-sql.js';
import type { AttemptReservation, LeaseStore, LoginThrottleStore, ThrottleRule } from '../throttle-store.js';
import type { PostgresDatabase } from './database.js';

/** The failed-login throttle in PostgreSQL: every process on the database shares it. */
export class PostgresThrottleStore implements LoginThrottleStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async reserveAttempt(address: string, now: number, rule: ThrottleRule): Promise<AttemptReservation> {
    const { sql, params } = reserveAttemptSql(postgresDialect, address, now, rule.windowMs, rule.limit);
    // ON CONFLICT DO UPDATE locks the row: concurrent reservations of one address queue on it.
    const [row] = await this.#db.rows<{ windowStart: number; attempts: number }>(sql, params);
    const windowStart = Number(row!.windowStart);
    return {
      granted: row!.attempts <= rule.limit,
      attempts: row!.attempts,
      windowStart,
      remainingMs: windowStart + rule.windowMs - now,
    };
  }

  async blockedAddresses(
    now: number,
    max: number,
  ): Promise<Array<{ address: string; blockedUntil: number }>> {
    const { sql, params } = blockedAddressesSql(postgresDialect, now, max);
    const rows = await this.#db.rows<{ address: string; blockedUntil: number }>(sql, params);
    return rows.map((r) => ({ address: r.address, blockedUntil: Number(r.blockedUntil) }));
  }

  async markBlocked(address: string, windowStart: number, rule: ThrottleRule): Promise<void> {
    const { sql, params } = markBlockedSql(postgresDialect, address, windowStart, rule.windowMs, rule.limit);
    await this.#db.q(sql, params);
  }

  async refundAttempt(address: string, windowStart: number, rule: ThrottleRule): Promise<void> {
    const { sql, params } = refundAttemptSql(postgresDialect, address, windowStart, rule.limit);
    await this.#db.q(sql, params);
  }

  async pruneAttempts(
    now: number,
    rule: ThrottleRule,
    opts: { batch: number; maxEntries: number },
  ): Promise<number> {
    const expired = pruneExpiredSql(postgresDialect, now - rule.windowMs, opts.batch);
    const overflow = pruneOverflowSql(postgresDialect, opts.maxEntries, opts.batch);
    const a = await this.#db.q(expired.sql, expired.params);
    const b = await this.#db.q(overflow.sql, overflow.params);
    return (a.rowCount ?? 0) + (b.rowCount ?? 0);
  }
}

/** Maintenance leases in the PostgreSQL database: one process at a time takes each round. */
export class PostgresLeaseStore implements LeaseStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async claim(name: string, now: number, ttlMs: number): Promise<boolean> {
    const { sql, params } = claimLeaseSql(postgresDialect, name, now, now + ttlMs);
    return (await this.#db.rows(sql, params)).length === 1;
  }

  async release(name: string): Promise<void> {
    const { sql, params } = releaseLeaseSql(postgresDialect, name);
    await this.#db.q(sql, params);
  }
}
