import { cartLines, type DetailLine, itemsLines } from '../format/cart.js';
import type { State } from '../state/reducer.js';
import { helpLines } from './help-screen.js';

/** The lines of the current detail screen (cart, items, help), or null on the list. */
export function detailLinesFor(state: State, width: number): DetailLine[] | null {
  const w = Math.max(40, width - 2);
  if (state.screen === 'help') return helpLines(state.readOnly);
  if (state.screen === 'cart' && state.cart?.status === 'loaded') return cartLines(state.cart.value, w);
  if (state.screen === 'items' && state.items?.status === 'loaded') {
    return itemsLines(state.items.key, state.items.value.items, state.items.value.cart.currency, w);
  }
  return null;
}
