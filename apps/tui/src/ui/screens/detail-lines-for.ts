import { cartLines, type DetailLine, itemsLines } from '../../format/cart.js';
import { wrap } from '../../format/text.js';
import { type BulkDelete, type State, summaryText } from '../state/reducer.js';
import { helpLines } from './help-screen.js';

/** Width of the detail views' lines on a terminal `columns` wide: a margin, and never under 40. */
export const detailWidth = (columns: number): number => Math.max(40, columns - 2);

/**
 * The lines of the current detail screen (cart, items, help), `width` columns wide, or null on the
 * list and while loading. The app builds them once; the screen draws them and scrolling stops at their end.
 */
export function detailLinesFor(
  state: Pick<State, 'screen' | 'cart' | 'items' | 'readOnly'> & Partial<Pick<State, 'summary'>>,
  width: number,
): DetailLine[] | null {
  if (state.screen === 'help') return helpLines(state.readOnly);
  if (state.screen === 'summary' && state.summary) return summaryLines(state.summary, width);
  if (state.screen === 'cart' && state.cart?.status === 'loaded') return cartLines(state.cart.value, width);
  if (state.screen === 'items' && state.items?.status === 'loaded') {
    return itemsLines(state.items.key, state.items.value.items, state.items.value.cart.currency, width);
  }
  return null;
}

/** The report of a finished bulk delete: the counts, then each failure with its reason. */
export function summaryLines(b: BulkDelete, width: number): DetailLine[] {
  const lines: DetailLine[] = [
    { text: `Deleted the marked carts: ${summaryText(b)}`, kind: 'title' },
    { text: '' },
    { text: `  Deleted        ${b.deleted}` },
    { text: `  Already gone   ${b.gone}`, kind: b.gone > 0 ? undefined : 'dim' },
    { text: `  Failed         ${b.failures.length}`, kind: b.failures.length > 0 ? 'total' : 'dim' },
  ];
  if (b.failures.length > 0) {
    lines.push({ text: '' }, { text: 'Failed (still marked: d tries them again)', kind: 'heading' });
    // Whole reasons, wrapped: the advice that ends them ("Is the server running?") matters most.
    for (const f of b.failures) {
      lines.push(...wrap(`  ${f.key}: ${f.message}`, width, '      ').map((text) => ({ text })));
    }
  }
  lines.push({ text: '' }, { text: 'Esc returns to the list.', kind: 'dim' });
  return lines;
}
