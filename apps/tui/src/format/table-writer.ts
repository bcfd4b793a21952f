import type { SessionSummary } from '@cocart-sessions/core';
import { expiryMsOf } from './export.js';
import type { ListWriter } from './list-writers.js';
import { cell, columnWidths, oneLine, plainTable } from './text.js';
import { relativeExpiry, sessionStatus } from './time.js';

/** The fields of `list`'s default table: the key, the customer, the dates and the source. */
export const TABLE_HEADERS = ['KEY', 'CUSTOMER', 'EMAIL', 'CREATED (UTC)', 'EXPIRES', 'STATUS', 'SOURCE'];

/** A row of the default table. */
export function defaultTableRow(s: SessionSummary, now: number): string[] {
  const expiryMs = expiryMsOf(s);
  const known = !Number.isNaN(expiryMs);
  return [
    s.cart_key,
    s.customers_name || '-',
    s.customers_email || '-',
    s.cart_created,
    known ? relativeExpiry(expiryMs, now) : s.cart_expiry,
    known ? sessionStatus(expiryMs, now) : '?',
    s.cart_source,
  ];
}

/** Plain text table of sessions: what `cocart-sessions list` prints without --json. */
export function sessionsTable(sessions: readonly SessionSummary[], now: number): string {
  return plainTable(
    TABLE_HEADERS,
    sessions.map((s) => defaultTableRow(s, now)),
  );
}

/** Rows a table holds before it settles its column widths. */
export const TABLE_WINDOW = 1000;

/**
 * A plain text table, columns two spaces apart. Up to `window` rows it is exactly `plainTable`
 * (columns as wide as their widest cell); past that, the widths of the first `window` rows hold for
 * the rest and a longer cell is cut with an ellipsis, so a table of any length is written as it is
 * read. `empty` is the text when there is no row.
 */
export function tableWriter(
  headers: readonly string[],
  opts: { empty: string; window?: number },
): ListWriter<readonly string[]> {
  const window = opts.window ?? TABLE_WINDOW;
  let held: (readonly string[])[] | undefined = [];
  let widths: number[] = [];
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? oneLine(c) : cell(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return {
    write(row) {
      if (held === undefined) return `${line(row)}\n`;
      if (held.length < window) {
        held.push(row);
        return '';
      }
      // The row past the window: the rows held so far settle the widths, then it follows them.
      const table = plainTable(headers, held);
      widths = columnWidths(headers, held);
      held = undefined;
      return `${table}\n${line(row)}\n`;
    },
    end() {
      if (held === undefined) return '';
      return held.length === 0 ? opts.empty : `${plainTable(headers, held)}\n`;
    },
  };
}
