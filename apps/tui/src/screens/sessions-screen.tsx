import { Box, Text } from 'ink';
import { SessionTable } from '../components/session-table.js';
import type { State } from '../state/reducer.js';

/** The sessions list: a virtualised table, or a note when a filter matches nothing. */
export function SessionsScreen(props: { state: State; height: number; width: number; now: number }) {
  const { state } = props;
  if (state.view.length === 0 && state.filter !== '') {
    return (
      <Box flexDirection="column">
        <Text>{`No sessions match "${state.filter}".`}</Text>
        <Text dimColor>Esc clears the filter.</Text>
      </Box>
    );
  }
  return (
    <SessionTable
      rows={state.view}
      cursor={state.cursor}
      offset={state.offset}
      height={props.height}
      width={props.width}
      now={props.now}
    />
  );
}
