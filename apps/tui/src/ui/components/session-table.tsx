import { Box, Text } from 'ink';
import { cell } from '../../format/text.js';
import { relativeAge, type SessionStatus } from '../../format/time.js';
import { expiryOf, type SessionRow } from '../../sessions/session-row.js';
import { useColor } from '../hooks/use-theme.js';

/** Column widths of the table for a terminal `width` columns wide. */
export interface TableColumns {
  key: number;
  customer: number;
  email: number;
  created: number;
  expires: number;
  status: number;
  source: number;
}

/** Columns before the key: the cursor (›) and the mark (*). */
const MARKERS = 2;

/** Fixed columns first; what is left goes to key, customer and email. */
export function tableColumns(width: number): TableColumns {
  const fixed = { created: 8, expires: 15, status: 8, source: 11 };
  // markers + six single-space gaps + the fixed columns; one spare column avoids terminal wrap.
  const flexible = Math.max(
    24,
    width - 1 - MARKERS - 6 - fixed.created - fixed.expires - fixed.status - fixed.source,
  );
  const key = Math.min(32, Math.max(8, Math.floor(flexible * 0.26)));
  const customer = Math.floor((flexible - key) / 2);
  const email = flexible - key - customer;
  return { key, customer, email, ...fixed };
}

/** The row text (without the cursor marker), every column padded to its width. */
function rowText(row: SessionRow, cols: TableColumns, now: number): string {
  const s = row.summary;
  const { expires, status } = expiryOf(row, now);
  return [
    cell(s.cart_key, cols.key),
    cell(s.customers_name || '—', cols.customer),
    cell(s.customers_email || '—', cols.email),
    cell(Number.isNaN(row.createdMs) ? s.cart_created : relativeAge(row.createdMs, now), cols.created),
    cell(expires, cols.expires),
    cell(status ?? '?', cols.status),
    cell(s.cart_source, cols.source),
  ].join(' ');
}

/** The header line, aligned with `rowText`. */
function headerText(cols: TableColumns): string {
  return [
    cell('KEY', cols.key),
    cell('CUSTOMER', cols.customer),
    cell('EMAIL', cols.email),
    cell('CREATED', cols.created),
    cell('EXPIRES', cols.expires),
    cell('STATUS', cols.status),
    cell('SOURCE', cols.source),
  ].join(' ');
}

const STATUS_COLOR: Record<SessionStatus, string> = { active: 'green', expiring: 'yellow', expired: 'red' };

/**
 * The sessions table. Virtualised: it is handed only the rows on screen (never the whole list, which
 * React's dev-mode prop diffing would walk), so 100k sessions cost the same per frame as 20.
 */
export function SessionTable(props: {
  /** The rows on screen, from `offset` of the full view. */
  rows: readonly SessionRow[];
  /** Index of the cursor within `rows` (-1 when it is off screen). */
  cursor: number;
  /** Keys of the marked rows, drawn with a `*` and in bold. */
  marked?: ReadonlySet<string>;
  width: number;
  now: number;
}) {
  const color = useColor();
  const cols = tableColumns(props.width);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {`${' '.repeat(MARKERS)}${headerText(cols)}`}
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
            {`${selected ? '›' : ' '}${marked ? '*' : ' '}${rowText(row, cols, props.now)}`}
          </Text>
        );
      })}
    </Box>
  );
}
