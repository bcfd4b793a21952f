import { type BuiltSql, type Dialect, SqlParams } from './sql-dialect.js';

/**
 * One upsert counts an attempt: a window that ended starts again at 1; otherwise the count grows
 * up to `limit + 1` and stays there, so the answer tells a granted attempt (`<= limit`) from a
 * refused one. A refused attempt marks the address blocked until its window ends (other processes
 * read that mark). The limit-th attempt does not: it may still turn out right, and a mark set while
 * it is checked would lock the address out of every other process until they next read the marks;
 * {@link markBlockedSql} sets the mark once it has failed. Set expressions read the row as it was,
 * in both dialects.
 */
export function reserveAttemptSql(
  d: Dialect,
  address: string,
  now: number,
  windowMs: number,
  limit: number,
): BuiltSql {
  const p = new SqlParams(d);
  const insert = `INSERT INTO login_throttle (address, window_start, attempts) VALUES (${p.add(address)}, ${p.add(now)}, 1)`;
  const ended = () => `login_throttle.window_start <= ${p.add(now - windowMs)}`;
  const sql = `${insert} ON CONFLICT (address) DO UPDATE SET
  window_start = CASE WHEN ${ended()} THEN ${p.add(now)} ELSE login_throttle.window_start END,
  attempts = CASE WHEN ${ended()} THEN 1 WHEN login_throttle.attempts > ${p.add(limit)} THEN login_throttle.attempts ELSE login_throttle.attempts + 1 END,
  blocked_until = CASE WHEN ${ended()} THEN 0 WHEN login_throttle.attempts >= ${p.add(limit)} THEN login_throttle.window_start + ${p.add(windowMs)} ELSE 0 END
RETURNING window_start AS "windowStart", attempts`;
  return { sql, params: p.params };
}

/** Marks the address blocked once an attempt of its window failed with the limit used up. */
export function markBlockedSql(
  d: Dialect,
  address: string,
  windowStart: number,
  windowMs: number,
  limit: number,
): BuiltSql {
  const p = new SqlParams(d);
  const sql = `UPDATE login_throttle SET blocked_until = window_start + ${p.add(windowMs)} WHERE address = ${p.add(address)} AND window_start = ${p.add(windowStart)} AND attempts >= ${p.add(limit)}`;
  return { sql, params: p.params };
}

export function refundAttemptSql(d: Dialect, address: string, windowStart: number, limit: number): BuiltSql {
  const p = new SqlParams(d);
  const sql = `UPDATE login_throttle SET attempts = attempts - 1, blocked_until = CASE WHEN attempts - 1 >= ${p.add(limit)} THEN blocked_until ELSE 0 END WHERE address = ${p.add(address)} AND window_start = ${p.add(windowStart)} AND attempts > 0`;
  return { sql, params: p.params };
}

/** Ended windows, oldest first, through the window_start index. */
export function pruneExpiredSql(d: Dialect, cutoff: number, batch: number): BuiltSql {
  const p = new SqlParams(d);
  const sql = `DELETE FROM login_throttle WHERE address IN (SELECT address FROM login_throttle WHERE window_start <= ${p.add(cutoff)} ORDER BY window_start LIMIT ${p.add(batch)})`;
  return { sql, params: p.params };
}

/** Entries beyond the newest `maxEntries`, at most `batch` of them. */
export function pruneOverflowSql(d: Dialect, maxEntries: number, batch: number): BuiltSql {
  const p = new SqlParams(d);
  const sql = `DELETE FROM login_throttle WHERE address IN (SELECT address FROM login_throttle ORDER BY window_start DESC LIMIT ${p.add(batch)} OFFSET ${p.add(maxEntries)})`;
  return { sql, params: p.params };
}

/** Takes the lease `name` when it is free or ran out; returns a row only to the taker. */
export function claimLeaseSql(d: Dialect, name: string, now: number, until: number): BuiltSql {
  const p = new SqlParams(d);
  const sql = `INSERT INTO maintenance_leases (name, held_until) VALUES (${p.add(name)}, ${p.add(until)})
ON CONFLICT (name) DO UPDATE SET held_until = ${p.add(until)} WHERE maintenance_leases.held_until <= ${p.add(now)}
RETURNING name`;
  return { sql, params: p.params };
}

/** Addresses blocked now, through the blocked_until index (only blocked rows are in its range). */
export function blockedAddressesSql(d: Dialect, now: number, max: number): BuiltSql {
  const p = new SqlParams(d);
  const sql = `SELECT address, blocked_until AS "blockedUntil" FROM login_throttle WHERE blocked_until > ${p.add(now)} ORDER BY blocked_until DESC LIMIT ${p.add(max)}`;
  return { sql, params: p.params };
}

export function releaseLeaseSql(d: Dialect, name: string): BuiltSql {
  const p = new SqlParams(d);
  return { sql: `DELETE FROM maintenance_leases WHERE name = ${p.add(name)}`, params: p.params };
}
