import { DetailLines } from '../components/detail-lines.js';
import type { DetailLine } from '../format/cart.js';
import { KEYMAP } from '../keymap.js';

/** The help screen, generated from the keymap so it never drifts from the bindings. */
export function helpLines(readOnly: boolean): DetailLine[] {
  const lines: DetailLine[] = [{ text: 'Keys', kind: 'title' }, { text: '' }];
  for (const b of KEYMAP) {
    if (readOnly && b.destructive) continue;
    lines.push({ text: `  ${b.label.padEnd(8)} ${b.description}` });
  }
  lines.push({ text: '' });
  lines.push({
    text: '  While filtering: type to narrow, Enter keeps the filter, Esc clears it.',
    kind: 'dim',
  });
  if (readOnly) lines.push({ text: '  Read-only mode: deleting is disabled.', kind: 'dim' });
  return lines;
}

/** The help screen. */
export function HelpScreen(props: { readOnly: boolean; offset: number; height: number }) {
  return <DetailLines lines={helpLines(props.readOnly)} offset={props.offset} height={props.height} />;
}
