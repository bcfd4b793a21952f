import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { progressBar } from '../../format/text.js';
import { clockTime } from '../../format/time.js';
import { useColor } from '../hooks/use-theme.js';
import type { BulkDelete, Notice } from '../state/reducer.js';

/** Bottom lines: a notice, the store URL with counts and refresh time, and the key help. */
export function StatusBar(props: {
  url: string;
  count: number;
  shown: number;
  total: number | null;
  loadingMore: boolean;
  /** Sessions received so far while the full list loads. */
  loaded?: number | null;
  lastRefresh: number | null;
  notice: Notice | null;
  hint: string;
  /** Replaces the notice line (the delete confirmation). */
  prompt?: ReactNode;
  /** How many rows are marked. */
  marked?: number;
  /** A bulk delete under way: a progress bar replaces the notice line. */
  progress?: BulkDelete | null;
  /** Sorted by items or value: how many of the rows shown had their cart read when sorted. */
  sortedOver?: { column: string; read: number; of: number } | null;
}) {
  const color = useColor();
  const count =
    props.shown === props.count
      ? `${props.count.toLocaleString('en-US')} sessions`
      : `${props.shown.toLocaleString('en-US')} of ${props.count.toLocaleString('en-US')} sessions`;
  const loaded = props.loaded ?? null;
  const loading =
    !props.loadingMore || props.total === null
      ? ''
      : loaded === null
        ? ` · loading ${props.total.toLocaleString('en-US')}…`
        : ` · loading ${loaded.toLocaleString('en-US')} of ${props.total.toLocaleString('en-US')}…`;
  const refreshed = props.lastRefresh === null ? '' : ` · refreshed ${clockTime(props.lastRefresh)}`;
  const marked = props.marked ? ` · ${props.marked.toLocaleString('en-US')} marked` : '';
  const o = props.sortedOver;
  const sortedOver =
    o && o.read < o.of
      ? ` · ${o.column} of ${o.read.toLocaleString('en-US')}/${o.of.toLocaleString('en-US')} carts read`
      : '';
  const p = props.progress;
  const progress = p
    ? `Deleting ${p.total} ${p.total === 1 ? 'cart' : 'carts'} ${progressBar(p.done, p.total, 20)} ${p.done}/${p.total}${
        p.failures.length > 0 ? ` · ${p.failures.length} failed` : ''
      }`
    : null;
  return (
    <Box flexDirection="column">
      {props.prompt ??
        (progress !== null ? (
          <Text wrap="truncate" color={color('yellow')}>
            {progress}
          </Text>
        ) : (
          <Text wrap="truncate" color={props.notice?.kind === 'error' ? color('red') : color('yellow')}>
            {props.notice?.text ?? ' '}
          </Text>
        ))}
      <Text wrap="truncate" inverse>
        {` ${props.url} · ${count}${marked}${sortedOver}${loading}${refreshed} `}
      </Text>
      <Text wrap="truncate" dimColor={props.hint !== ''}>
        {props.hint || ' '}
      </Text>
    </Box>
  );
}
