import { Box, Text } from 'ink';
import type { CartValue } from '../../cart-values/cart-figures.js';
import { cell, oneLine } from '../../format/text.js';
import { relativeAge, type SessionStatus } from '../../format/time.js';
import { expiryOf, type SessionRow } from '../../sessions/session-row.js';
import {
  COLUMN_ALIGN,
  COLUMN_HEADERS,
  type FittedColumn,
  fitColumns,
  type TableColumn,
  widestCells,
} from '../columns.js';
import { useColor } from '../hooks/use-theme.js';

/** Shown in ITEMS and VALUE while the cart is on its way, and when it could not be read. */
const PENDING = '…';
const MISSING = '—';

type Cells = Record<TableColumn, string>;

/** The text of every cell of a row, before fitting. */
function cellsOf(row: SessionRow, value: CartValue | undefined, now: number): Cells {
  const s = row.summary;
  const { status } = expiryOf(row, now);
  const figures = value?.status === 'loaded' ? value.figures : undefined;
  const unknown = value?.status === 'missing' ? MISSING : PENDING;
  return {
    key: s.cart_key,
    customer: oneLine(s.customers_name || '—'),
    email: oneLine(s.customers_email || '—'),
    items: figures ? String(figures.itemCount) : unknown,
    value: figures ? oneLine(figures.total) : unknown,
    created: Number.isNaN(row.createdMs) ? s.cart_created : relativeAge(row.createdMs, now),
    // The status column says "expired": the time alone fits in 8 columns ("in 6d", "44d ago").
    expires: Number.isNaN(row.expiryMs) ? s.cart_expiry : relativeAge(row.expiryMs, now),
    status: status ?? '?',
    source: oneLine(s.cart_source),
  };
}

function line(cells: Cells, columns: readonly FittedColumn[]): string {
  return columns.map((c) => cell(cells[c.column], c.width, COLUMN_ALIGN[c.column])).join(' ');
}

const STATUS_COLOR: Record<SessionStatus, string> = { active: 'green', expiring: 'yellow', expired: 'red' };

/**
 * The sessions table. Virtualised: it is handed only the rows on screen (never the whole list, which
 * React's dev-mode prop diffing would walk), so 100k sessions cost the same per frame as 20. Column
 * widths follow these rows and the terminal's width (`fitColumns`).
 */
export function SessionTable(props: {
  /** The rows on screen, from `offset` of the full view. */
  rows: readonly SessionRow[];
  /** Index of the cursor within `rows` (-1 when it is off screen). */
  cursor: number;
  /** Keys of the marked rows, drawn with a `*` and in bold. */
  marked?: ReadonlySet<string>;
  /** What is known of the carts on screen (ITEMS and VALUE); a row missing here shows `…`. */
  values?: ReadonlyMap<string, CartValue>;
  width: number;
  now: number;
}) {
  const color = useColor();
  const cells = props.rows.map((row) => cellsOf(row, props.values?.get(row.key), props.now));
  const columns = fitColumns(widestCells(cells), props.width);
  const header = Object.fromEntries(columns.map((c) => [c.column, COLUMN_HEADERS[c.column]])) as Cells;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {`  ${line(header, columns)}`}
      </Text>
      {props.rows.map((row, i) => {
        const selected = i === props.cursor;
        const marked = props.marked?.has(row.key) ?? false;
        const { status } = expiryOf(row, props.now);
        return (
          <Text
            key={row.key}
            inverse={selected}
            bold={marked}
            wrap="truncate"
            color={status ? color(STATUS_COLOR[status]) : undefined}
          >
            {`${selected ? '›' : ' '}${marked ? '*' : ' '}${line(cells[i] as Cells, columns)}`}
          </Text>
        );
      })}
    </Box>
  );
}
