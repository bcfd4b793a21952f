import { parseApiDate, type SessionSummary, type SessionSummaryField } from '@cocart-sessions/core';
import { DEFAULT_FIELDS } from './fields.js';
import { csvWriter } from './list-writers.js';
import { type SessionStatus, sessionStatus } from './time.js';

export { DEFAULT_FIELDS };

/** A field of the session itself: the API's own, and the status derived from its expiry. */
export type SummaryOrStatus = SessionSummaryField | 'status';

/** A session's expiry in ms since the epoch, or NaN when the API's date did not parse. */
export function expiryMsOf(session: SessionSummary): number {
  try {
    return parseApiDate(session.cart_expiry) * 1000;
  } catch {
    return Number.NaN;
  }
}

/** The status of a session at `now`, or "" when its expiry did not parse. */
export function statusOf(session: SessionSummary, now: number): SessionStatus | '' {
  const expiryMs = expiryMsOf(session);
  return Number.isNaN(expiryMs) ? '' : sessionStatus(expiryMs, now);
}

/** The chosen fields of one session, in order, as the JSON and CSV outputs carry them. */
export function sessionRecord(
  session: SessionSummary,
  fields: readonly SummaryOrStatus[],
  now: number,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const f of fields) record[f] = f === 'status' ? statusOf(session, now) : session[f];
  return record;
}

/** The chosen fields of each session, in order. */
export function sessionRecords(
  sessions: readonly SessionSummary[],
  fields: readonly SummaryOrStatus[],
  now: number,
): Array<Record<string, string>> {
  return sessions.map((s) => sessionRecord(s, fields, now));
}

/**
 * RFC 4180 CSV of `sessions` (the TUI's export): the writer of `list --format csv`, over a list in
 * hand. `bom` adds the byte order mark some spreadsheets need to read a file as UTF-8.
 */
export function sessionsCsv(
  sessions: readonly SessionSummary[],
  fields: readonly SummaryOrStatus[],
  now: number,
  opts: { bom?: boolean } = {},
): string {
  const writer = csvWriter(fields, opts);
  let out = '';
  for (const s of sessions) out += writer.write(sessionRecord(s, fields, now));
  return out + writer.end();
}
