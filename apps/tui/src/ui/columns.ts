import { displayWidth } from '../format/text.js';

/** The columns of the sessions table, in the order they are drawn. */
export const TABLE_COLUMNS = [
  'key',
  'customer',
  'email',
  'items',
  'value',
  'created',
  'expires',
  'status',
  'source',
] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

/** Header of each column. */
export const COLUMN_HEADERS: Readonly<Record<TableColumn, string>> = {
  key: 'KEY',
  customer: 'CUSTOMER',
  email: 'EMAIL',
  items: 'ITEMS',
  value: 'VALUE',
  created: 'CREATED',
  expires: 'EXPIRES',
  status: 'STATUS',
  source: 'SOURCE',
};

/** Numbers line up on the right. */
export const COLUMN_ALIGN: Readonly<Record<TableColumn, 'left' | 'right'>> = {
  key: 'left',
  customer: 'left',
  email: 'left',
  items: 'right',
  value: 'right',
  created: 'left',
  expires: 'left',
  status: 'left',
  source: 'left',
};

/** Columns before the key (the cursor › and the mark *) and the spare last column that avoids a wrap. */
export const ROW_MARGIN = 3;

/** A cart key cut shorter than this no longer tells carts apart at a glance. */
const KEY_MIN = 8;
/** Names and emails are cut no shorter than this before a column is dropped for them. */
const NAME_MIN = 10;
/** The least a name keeps when nothing else is left to give. */
const NAME_FLOOR = 6;

/** A column and its width in terminal cells. */
export interface FittedColumn {
  column: TableColumn;
  width: number;
}

/**
 * What gives way, in order, when the columns at their natural widths are wider than the terminal:
 * the key is cut first, then the least read columns go, so that names and emails keep their room
 * and are cut only when nothing else is left to give.
 */
type Concession = { cut: readonly TableColumn[]; to: number } | { drop: TableColumn };

const CONCESSIONS: readonly Concession[] = [
  { cut: ['key'], to: KEY_MIN },
  { drop: 'source' },
  { drop: 'created' },
  { cut: ['customer', 'email'], to: NAME_MIN },
  { drop: 'status' },
  { drop: 'items' },
  { drop: 'email' },
  { cut: ['customer'], to: NAME_FLOOR },
  { drop: 'expires' },
];

/** The cells a row of these widths takes: the columns, one space between each, and the margin. */
function rowWidth(widths: ReadonlyMap<TableColumn, number>): number {
  let sum = ROW_MARGIN + Math.max(0, widths.size - 1);
  for (const w of widths.values()) sum += w;
  return sum;
}

/**
 * Takes up to `excess` cells from `columns`, none below `floor`, always from the widest of them
 * (so two columns end up the same width, or the narrower one whole). Returns what is still left to take.
 */
function cutWidest(
  widths: Map<TableColumn, number>,
  columns: readonly TableColumn[],
  floor: number,
  excess: number,
): number {
  let left = excess;
  while (left > 0) {
    let widest: TableColumn | undefined;
    for (const c of columns) {
      const w = widths.get(c);
      if (w === undefined || w <= floor) continue;
      if (widest === undefined || w > (widths.get(widest) ?? 0)) widest = c;
    }
    if (widest === undefined) return left;
    widths.set(widest, (widths.get(widest) ?? 0) - 1);
    left--;
  }
  return 0;
}

/**
 * The widths of the table's columns for a terminal `width` cells wide, given the widest cell of each
 * column among the rows on screen (display cells, so CJK and emoji count double). No column is wider
 * than its widest cell or its header; when they do not all fit, the key is cut, then the source and
 * created columns go, then names and emails are cut, the wider of the two first; and so on (see
 * CONCESSIONS). Columns missing from the result are not drawn.
 * @example fitColumns({ key: 32, customer: 15, email: 30, ... }, 200) // every column at its widest
 */
export function fitColumns(
  widest: Readonly<Partial<Record<TableColumn, number>>>,
  width: number,
): FittedColumn[] {
  const widths = new Map<TableColumn, number>();
  for (const c of TABLE_COLUMNS) widths.set(c, Math.max(displayWidth(COLUMN_HEADERS[c]), widest[c] ?? 0));
  for (const step of CONCESSIONS) {
    const excess = rowWidth(widths) - width;
    if (excess <= 0) break;
    if ('drop' in step) widths.delete(step.drop);
    else cutWidest(widths, step.cut, step.to, excess);
  }
  return TABLE_COLUMNS.filter((c) => widths.has(c)).map((c) => ({ column: c, width: widths.get(c) ?? 0 }));
}

/** The widest cell of each column among `rows` (each row a cell per column), in display cells. */
export function widestCells(
  rows: ReadonlyArray<Readonly<Record<TableColumn, string>>>,
): Record<TableColumn, number> {
  const widest = Object.fromEntries(TABLE_COLUMNS.map((c) => [c, 0])) as Record<TableColumn, number>;
  for (const row of rows) {
    for (const c of TABLE_COLUMNS) widest[c] = Math.max(widest[c], displayWidth(row[c]));
  }
  return widest;
}
