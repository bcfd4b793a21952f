import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/** Columns `text` takes in a terminal: 2 per CJK letter or emoji, 0 per combining mark. */
export const displayWidth = (text: string): number => stringWidth(text);

/** Cuts `text` to `width` terminal columns, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  return cliTruncate(text, width, { position: 'end' });
}

/** Pads `text` with spaces to `width` terminal columns (never cuts). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

/** Truncates then pads to exactly `width` terminal columns. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  return pad(truncate(text, width), width, align);
}

/**
 * A plain text table: columns as wide as their widest cell, two spaces apart, no trailing spaces.
 * @example plainTable(['A', 'B'], [['1', '22']]) // "A  B\n1  22"
 */
export function plainTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string {
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, align[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
