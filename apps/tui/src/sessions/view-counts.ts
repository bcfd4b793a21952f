import { sessionStatus } from '../format/time.js';
import type { SessionRow } from './session-row.js';

/** How many sessions each status view holds, as the view switcher shows them. */
export interface ViewCounts {
  all: number;
  active: number;
  expiring: number;
  expired: number;
}

/**
 * The count of every view over `rows` at the moment `at` (the moment the status view is computed at,
 * so the counts and the rows of a view agree). A row whose expiry does not parse counts in `all` only.
 */
export function viewCountsOf(rows: readonly SessionRow[], at: number): ViewCounts {
  const counts: ViewCounts = { all: rows.length, active: 0, expiring: 0, expired: 0 };
  for (const row of rows) {
    if (!Number.isNaN(row.expiryMs)) counts[sessionStatus(row.expiryMs, at)]++;
  }
  return counts;
}
