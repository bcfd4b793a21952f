import type { Cart } from '@cocart-sessions/core';
import { Box, Text } from 'ink';
import type { DetailLine } from '../../format/cart.js';
import { DetailLines } from '../components/detail-lines.js';
import { Spinner } from '../components/spinner.js';
import type { Detail } from '../state/reducer.js';

/**
 * The cart view: addresses, items, coupons, shipping, fees, taxes and totals of one cart, drawn from
 * `lines` (`detailLinesFor`), built by the caller so that scrolling and drawing share one copy.
 */
export function CartScreen(props: {
  detail: Detail<Cart>;
  lines: readonly DetailLine[] | null;
  offset: number;
  height: number;
}) {
  const { detail } = props;
  if (detail.status === 'loading') return <Spinner label={`Loading cart ${detail.key}…`} />;
  if (detail.status === 'error') {
    return (
      <Box flexDirection="column">
        <Text bold>{`Cart ${detail.key}`}</Text>
        <Text>{detail.message}</Text>
        <Text dimColor>Esc to go back to the list.</Text>
      </Box>
    );
  }
  return <DetailLines lines={props.lines ?? []} offset={props.offset} height={props.height} />;
}
