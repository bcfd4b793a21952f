import { sqliteDialect } from '../sql-dialect.js';
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
import type { SqliteDatabase } from './database.js';

/** The failed-login throttle in the SQLite file: every process on the file shares it. */
export class SqliteThrottleStore implements LoginThrottleStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  reserveAttempt(address: string, now: number, rule: ThrottleRule): Promise<AttemptReservation> {
    return this.#db.run(() => {
      const { sql, params } = reserveAttemptSql(sqliteDialect, address, now, rule.windowMs, rule.limit);
      // One statement is atomic in SQLite; the file lock orders it against other processes.
      const row = this.#db.stmt(sql).get(...params) as { windowStart: number; attempts: number };
      return {
        granted: row.attempts <= rule.limit,
        attempts: row.attempts,
        windowStart: Number(row.windowStart),
        remainingMs: Number(row.windowStart) + rule.windowMs - now,
      };
    });
  }

  blockedAddresses(now: number, max: number): Promise<Array<{ address: string; blockedUntil: number }>> {
    return this.#db.run(() => {
      const { sql, params } = blockedAddressesSql(sqliteDialect, now, max);
      return this.#db
        .stmt(sql)
        .all(...params)
        .map((r) => {
          const row = r as { address: string; blockedUntil: number };
          return { address: row.address, blockedUntil: Number(row.blockedUntil) };
        });
    });
  }

  markBlocked(address: string, windowStart: number, rule: ThrottleRule): Promise<void> {
    return this.#db.run(() => {
      const { sql, params } = markBlockedSql(sqliteDialect, address, windowStart, rule.windowMs, rule.limit);
      this.#db.stmt(sql).run(...params);
    });
  }

  refundAttempt(address: string, windowStart: number, rule: ThrottleRule): Promise<void> {
    return this.#db.run(() => {
      const { sql, params } = refundAttemptSql(sqliteDialect, address, windowStart, rule.limit);
      this.#db.stmt(sql).run(...params);
    });
  }

  pruneAttempts(
    now: number,
    rule: ThrottleRule,
    opts: { batch: number; maxEntries: number },
  ): Promise<number> {
    return this.#db.run(() => {
      const expired = pruneExpiredSql(sqliteDialect, now - rule.windowMs, opts.batch);
      let removed = Number(this.#db.stmt(expired.sql).run(...expired.params).changes);
      const overflow = pruneOverflowSql(sqliteDialect, opts.maxEntries, opts.batch);
      removed += Number(this.#db.stmt(overflow.sql).run(...overflow.params).changes);
      return removed;
    });
  }
}

/** Maintenance leases in the SQLite file: one process at a time takes each round. */
export class SqliteLeaseStore implements LeaseStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  claim(name: string, now: number, ttlMs: number): Promise<boolean> {
    return this.#db.run(() => {
      const { sql, params } = claimLeaseSql(sqliteDialect, name, now, now + ttlMs);
      return this.#db.stmt(sql).get(...params) !== undefined;
    });
  }

  release(name: string): Promise<void> {
    return this.#db.run(() => {
      const { sql, params } = releaseLeaseSql(sqliteDialect, name);
      this.#db.stmt(sql).run(...params);
    });
  }
}
