import type { DetailLine } from '../../format/cart.js';
import { pad } from '../../format/text.js';
import { DetailLines } from '../components/detail-lines.js';
import { type Binding, bindingsFor, CONTEXT_TITLES, KEYMAP } from '../keymap.js';

/** The help screen's lines, generated from the keymap so they never drift from the bindings. */
export function helpLines(readOnly: boolean): DetailLine[] {
  const lines: DetailLine[] = [];
  const line = (b: Binding) => ({ text: `  ${pad(b.label, 9)} ${b.description}` });
  for (const [context, title] of CONTEXT_TITLES) {
    // The list's section covers every screen: a key bound on several screens is listed once.
    const bindings =
      context === 'list'
        ? KEYMAP.filter((b) => !b.contexts.includes('filter') && !b.contexts.includes('confirm'))
        : bindingsFor(context, readOnly);
    const shown = bindings.filter((b) => !(readOnly && b.destructive));
    if (shown.length === 0) continue;
    if (lines.length > 0) lines.push({ text: '' });
    lines.push({ text: title, kind: context === 'list' ? 'title' : 'heading' }, { text: '' });
    lines.push(...shown.map(line));
  }
  lines.push(
    { text: '' },
    { text: 'The table', kind: 'heading' },
    { text: '' },
    { text: '  ITEMS and VALUE fill in as the carts on screen are read (… until then).' },
    { text: '  Sorting by items or value orders the carts read so far, the others last;' },
    { text: '  each s or S takes the carts read by then; the status bar says how many.' },
  );
  if (readOnly) lines.push({ text: '' }, { text: '  Read-only mode: deleting is disabled.', kind: 'dim' });
  return lines;
}

/** The help screen: `helpLines`, scrolled. */
export function HelpScreen(props: { lines: readonly DetailLine[]; offset: number; height: number }) {
  return <DetailLines lines={props.lines} offset={props.offset} height={props.height} />;
}
