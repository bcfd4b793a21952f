import { Box, Text } from 'ink';
import type { CartValue } from '../../cart-values/cart-figures.js';
import type { SessionRow } from '../../sessions/session-row.js';
import { SessionTable } from '../components/session-table.js';

/** The sessions list: a virtualised table, or a note when a filter matches nothing. */
export function SessionsScreen(props: {
  /** Only the rows on screen. */
  rows: readonly SessionRow[];
  /** Cursor index within `rows`. */
  cursor: number;
  /** Keys of the marked rows. */
  marked?: ReadonlySet<string>;
  /** What is known of the carts on screen (ITEMS, VALUE). */
  values?: ReadonlyMap<string, CartValue>;
  /** How many rows the whole (filtered) view has. */
  total: number;
  filter: string;
  width: number;
  now: number;
}) {
  if (props.total === 0) {
    return (
      <Box flexDirection="column">
        <Text>
          {props.filter !== '' ? `No sessions match "${props.filter}".` : 'No sessions with this status.'}
        </Text>
        <Text dimColor>{props.filter !== '' ? 'Esc clears the filter.' : 'v shows the next status.'}</Text>
      </Box>
    );
  }
  return (
    <SessionTable
      rows={props.rows}
      cursor={props.cursor}
      marked={props.marked}
      values={props.values}
      width={props.width}
      now={props.now}
    />
  );
}
