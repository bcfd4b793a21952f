import type { Cart, ItemsMap } from '@cocart-sessions/core';
import { Box, Text } from 'ink';
import type { DetailLine } from '../../format/cart.js';
import { DetailLines } from '../components/detail-lines.js';
import { Spinner } from '../components/spinner.js';
import type { Detail } from '../state/reducer.js';

/** The items view (`GET /session/<key>/items`, formatted with the cart's currency), drawn from `lines`. */
export function ItemsScreen(props: {
  detail: Detail<{ items: ItemsMap; cart: Cart }>;
  lines: readonly DetailLine[] | null;
  offset: number;
  height: number;
}) {
  const { detail } = props;
  if (detail.status === 'loading') return <Spinner label={`Loading items of cart ${detail.key}…`} />;
  if (detail.status === 'error') {
    return (
      <Box flexDirection="column">
        <Text bold>{`Items of cart ${detail.key}`}</Text>
        <Text>{detail.message}</Text>
        <Text dimColor>Esc to go back.</Text>
      </Box>
    );
  }
  return <DetailLines lines={props.lines ?? []} offset={props.offset} height={props.height} />;
}
