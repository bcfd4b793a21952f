import { parseApiDate, type SessionSummary } from '@cocart-sessions/core';
import { relativeExpiry, type SessionStatus, sessionStatus } from '../format/time.js';

/** A session of the list with what sorting and filtering need precomputed once. */
export interface SessionRow {
  summary: SessionSummary;
  key: string;
  id: number;
  createdMs: number;
  expiryMs: number;
  /** Lower-cased key, name and email: what `/` matches against. */
  haystack: string;
}

const toMs = (apiDate: string): number => {
  try {
    return parseApiDate(apiDate) * 1000;
  } catch {
    return Number.NaN;
  }
};

/** Builds a row from a session summary of the API. */
export function toSessionRow(summary: SessionSummary): SessionRow {
  return {
    summary,
    key: summary.cart_key,
    id: Number(summary.cart_id),
    createdMs: toMs(summary.cart_created),
    expiryMs: toMs(summary.cart_expiry),
    haystack: `${summary.cart_key}\n${summary.customers_name}\n${summary.customers_email}`.toLowerCase(),
  };
}

/**
 * A row that came from another thread (structured clone), rebuilt with the object shape of the rows
 * `toSessionRow` builds: the loops over every row (`/` filtering, sorting) ran twice as slow over
 * cloned rows, whose shape differs.
 */
export function adoptSessionRow(row: SessionRow): SessionRow {
  return {
    summary: row.summary,
    key: row.key,
    id: row.id,
    createdMs: row.createdMs,
    expiryMs: row.expiryMs,
    haystack: row.haystack,
  };
}

/**
 * The expiry of a row relative to `now` and the status it gives; the API's own text and no status
 * when the date did not parse.
 */
export function expiryOf(row: SessionRow, now: number): { expires: string; status?: SessionStatus } {
  if (Number.isNaN(row.expiryMs)) return { expires: row.summary.cart_expiry };
  return { expires: relativeExpiry(row.expiryMs, now), status: sessionStatus(row.expiryMs, now) };
}
