import type { CartFigures } from '../cart-values/cart-figures.js';
import { compareByFigure, isFigureColumn } from '../cart-values/sort-by-figure.js';
import { type SessionStatus, sessionStatus } from '../format/time.js';
import type { SessionRow } from './session-row.js';

/** Columns `s` cycles through, in order; `id` is the server's own order (cart_id). */
export const SORT_COLUMNS = [
  'id',
  'created',
  'expiry',
  'customer',
  'email',
  'key',
  'source',
  'items',
  'value',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** The columns of the list's own fields; `items` and `value` sort by the carts read (compareByFigure). */
const compareBy: Record<Exclude<SortColumn, 'items' | 'value'>, (a: SessionRow, b: SessionRow) => number> = {
  id: (a, b) => a.id - b.id,
  created: (a, b) => a.createdMs - b.createdMs || a.id - b.id,
  expiry: (a, b) => a.expiryMs - b.expiryMs || a.id - b.id,
  customer: (a, b) =>
    cmp(a.summary.customers_name.toLowerCase(), b.summary.customers_name.toLowerCase()) || a.id - b.id,
  email: (a, b) =>
    cmp(a.summary.customers_email.toLowerCase(), b.summary.customers_email.toLowerCase()) || a.id - b.id,
  key: (a, b) => cmp(a.key, b.key),
  source: (a, b) => cmp(a.summary.cart_source, b.summary.cart_source) || a.id - b.id,
};

/**
 * Rows in cart_id order, the order `visibleRows` relies on for the `id` column. A 3.x server already
 * answers in that order (checked in one pass); a 4.x server lists by creation date.
 */
export function inIdOrder(rows: SessionRow[]): SessionRow[] {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1]!.id > rows[i]!.id) return rows.sort(compareBy.id);
  }
  return rows;
}

/**
 * The rows matching `filter` (case-insensitive substring of key, name or email) and, when given, of
 * one status at a moment, sorted; `items` and `value` sort by `figures` (the carts read so far).
 */
export function visibleRows(
  rows: readonly SessionRow[],
  filter: string,
  column: SortColumn,
  descending: boolean,
  status?: { is: SessionStatus; at: number },
  figures: ReadonlyMap<string, CartFigures> = new Map(),
): SessionRow[] {
  const needle = filter.trim().toLowerCase();
  const out =
    needle === '' && status === undefined
      ? rows.slice()
      : rows.filter(
          (r) =>
            (needle === '' || r.haystack.includes(needle)) &&
            (status === undefined ||
              (!Number.isNaN(r.expiryMs) && sessionStatus(r.expiryMs, status.at) === status.is)),
        );
  // Rows whose cart is not read yet stay last in both directions: the comparator holds the direction.
  if (isFigureColumn(column)) return out.sort(compareByFigure(figures, column, descending));
  const compare = compareBy[column];
  // Rows are kept in id order (inIdOrder); skip the sort when that is what was asked for.
  if (column !== 'id') out.sort(compare);
  if (descending) out.reverse();
  return out;
}

/** The next column of the `s` cycle. */
export function nextSortColumn(column: SortColumn): SortColumn {
  const i = SORT_COLUMNS.indexOf(column);
  return SORT_COLUMNS[(i + 1) % SORT_COLUMNS.length] ?? 'id';
}
