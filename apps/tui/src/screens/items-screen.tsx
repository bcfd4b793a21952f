import type { Cart, ItemsMap } from '@cocart-sessions/core';
import { Box, Text } from 'ink';
import { DetailLines } from '../components/detail-lines.js';
import { Spinner } from '../components/spinner.js';
import { itemsLines } from '../format/cart.js';
import type { Detail } from '../state/reducer.js';

/** The items view: `GET /session/<key>/items`, formatted with the cart's currency. */
export function ItemsScreen(props: {
  detail: Detail<{ items: ItemsMap; cart: Cart }>;
  offset: number;
  height: number;
  width: number;
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
  const lines = itemsLines(
    detail.key,
    detail.value.items,
    detail.value.cart.currency,
    Math.max(40, props.width - 2),
  );
  return <DetailLines lines={lines} offset={props.offset} height={props.height} />;
}
