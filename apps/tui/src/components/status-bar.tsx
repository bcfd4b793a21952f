import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { clockTime } from '../format/time.js';
import { useColor } from '../hooks/use-theme.js';
import type { Notice } from '../state/reducer.js';

/** Bottom lines: a notice, the store URL with counts and refresh time, and the key help. */
export function StatusBar(props: {
  url: string;
  count: number;
  shown: number;
  total: number | null;
  loadingMore: boolean;
  lastRefresh: number | null;
  notice: Notice | null;
  hint: string;
  /** Replaces the notice line (the delete confirmation). */
  prompt?: ReactNode;
}) {
  const color = useColor();
  const count =
    props.shown === props.count
      ? `${props.count.toLocaleString('en-US')} sessions`
      : `${props.shown.toLocaleString('en-US')} of ${props.count.toLocaleString('en-US')} sessions`;
  const loading =
    props.loadingMore && props.total !== null ? ` · loading ${props.total.toLocaleString('en-US')}…` : '';
  const refreshed = props.lastRefresh === null ? '' : ` · refreshed ${clockTime(props.lastRefresh)}`;
  return (
    <Box flexDirection="column">
      {props.prompt ?? (
        <Text wrap="truncate" color={props.notice?.kind === 'error' ? color('red') : color('yellow')}>
          {props.notice?.text ?? ' '}
        </Text>
      )}
      <Text wrap="truncate" inverse>
        {` ${props.url} · ${count}${loading}${refreshed} `}
      </Text>
      <Text wrap="truncate" dimColor={props.hint !== ''}>
        {props.hint || ' '}
      </Text>
    </Box>
  );
}
