import type { SessionSummary } from '@cocart-sessions/core';

/** One page of sessions in one shape, whichever list format the server speaks. */
export interface SessionPage {
  items: SessionSummary[];
  page: number;
  perPage: number;
  /** Sessions matching the query on the server (X-WP-Total, or `total_sessions` of a 4.x server). */
  total: number;
  /** Pages of `perPage` (X-WP-TotalPages, or `total_pages` of a 4.x server). */
  totalPages: number;
  /** The answer's ETag, when the server sends one (present only then). */
  etag?: string;
}
