import { Box, Text } from 'ink';
import { SessionTable } from '../components/session-table.js';
import type { SessionRow } from '../state/session-row.js';

/** The sessions list: a virtualised table, or a note when a filter matches nothing. */
export function SessionsScreen(props: {
  /** Only the rows on screen. */
  rows: readonly SessionRow[];
  /** Cursor index within `rows`. */
  cursor: number;
  /** How many rows the whole (filtered) view has. */
  total: number;
  filter: string;
  width: number;
  now: number;
}) {
  if (props.total === 0 && props.filter !== '') {
    return (
      <Box flexDirection="column">
        <Text>{`No sessions match "${props.filter}".`}</Text>
        <Text dimColor>Esc clears the filter.</Text>
      </Box>
    );
  }
  return <SessionTable rows={props.rows} cursor={props.cursor} width={props.width} now={props.now} />;
}
