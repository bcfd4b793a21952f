import { type SessionSummary, SessionSummarySchema } from '@cocart-sessions/core';
import { stringify } from 'csv-stringify/sync';
import { CliError, EXIT } from '../errors.js';
import { toSessionRow } from '../sessions/session-row.js';
import { type SessionStatus, sessionStatus } from './time.js';

/** A field of a session summary, as the core's schema names it. */
type SummaryField = keyof typeof SessionSummarySchema.shape;

/** The fields of a session summary, in the API's order: what JSON and CSV carry by default. */
export const DEFAULT_FIELDS = Object.keys(SessionSummarySchema.shape) as readonly SummaryField[];

/** Fields `list --fields` can pick: the API's own, and the status the table shows. */
export const SESSION_FIELDS = [...DEFAULT_FIELDS, 'status'] as const;
export type SessionField = (typeof SESSION_FIELDS)[number];

/** Output formats of `list`. */
export const LIST_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** Parses `--fields a,b`; throws a usage error naming the unknown field. */
export function parseFields(text: string): SessionField[] {
  const names = text.split(',').map((f) => f.trim());
  const known = new Set<string>(SESSION_FIELDS);
  const unknown = names.filter((n) => !known.has(n));
  if (names.length === 0 || unknown.length > 0 || names.some((n) => n === '')) {
    throw new CliError(
      `--fields: unknown field "${unknown[0] ?? ''}" (choose among ${SESSION_FIELDS.join(', ')}).`,
      EXIT.usage,
    );
  }
  return names as SessionField[];
}

/** The status of a session at `now`, or "" when its expiry did not parse. */
export function statusOf(session: SessionSummary, now: number): SessionStatus | '' {
  const { expiryMs } = toSessionRow(session);
  return Number.isNaN(expiryMs) ? '' : sessionStatus(expiryMs, now);
}

/** The chosen fields of each session, in order, as the JSON and CSV outputs carry them. */
export function sessionRecords(
  sessions: readonly SessionSummary[],
  fields: readonly SessionField[],
  now: number,
): Array<Record<string, string>> {
  return sessions.map((s) => {
    const record: Record<string, string> = {};
    for (const f of fields) record[f] = f === 'status' ? statusOf(s, now) : s[f];
    return record;
  });
}

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a
 * line break. `bom` adds the byte order mark some spreadsheets need to read a file as UTF-8. The one
 * CSV writer of `list --format csv` and of the TUI's export.
 */
export function sessionsCsv(
  sessions: readonly SessionSummary[],
  fields: readonly SessionField[],
  now: number,
  opts: { bom?: boolean } = {},
): string {
  return stringify(sessionRecords(sessions, fields, now), {
    header: true,
    columns: [...fields],
    record_delimiter: 'windows',
    // csv-stringify quotes only its own record delimiter (CRLF): a lone LF must be quoted as well,
    // or spreadsheets split the row there.
    quoted_match: /[\r\n]/,
    bom: opts.bom ?? false,
    // Names and emails are typed by shoppers, and a spreadsheet runs a cell that starts with = + - @,
    // TAB or CR (or a full-width = + - @) as a formula when an admin opens the file. OWASP's remedy:
    // prefix such a cell with ' so it shows as text. CSV only: JSON and ndjson carry the data exactly.
    escape_formulas: true,
  });
}
