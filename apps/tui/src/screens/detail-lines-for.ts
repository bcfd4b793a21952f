import { cartLines, type DetailLine, itemsLines } from '../format/cart.js';
import type { State } from '../state/reducer.js';
import { helpLines } from './help-screen.js';

/** Width of the detail views' lines on a terminal `columns` wide: a margin, and never under 40. */
export const detailWidth = (columns: number): number => Math.max(40, columns - 2);

/**
 * The lines of the current detail screen (cart, items, help), `width` columns wide, or null on the
 * list and while loading. The app builds them once; the screen draws them and scrolling stops at their end.
 */
export function detailLinesFor(
  state: Pick<State, 'screen' | 'cart' | 'items' | 'readOnly'>,
  width: number,
): DetailLine[] | null {
  if (state.screen === 'help') return helpLines(state.readOnly);
  if (state.screen === 'cart' && state.cart?.status === 'loaded') return cartLines(state.cart.value, width);
  if (state.screen === 'items' && state.items?.status === 'loaded') {
    return itemsLines(state.items.key, state.items.value.items, state.items.value.cart.currency, width);
  }
  return null;
}
