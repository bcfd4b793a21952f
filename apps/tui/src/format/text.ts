import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/** Columns `text` takes in a terminal: 2 per CJK letter or emoji, 0 per combining mark. */
export const displayWidth = (text: string): number => stringWidth(text);

// C0 and C1 control characters: a line break or an escape sequence in a customer's name must not
// break a table row or reach the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` on one line: control characters (line breaks, tabs, escapes) become spaces. */
export const oneLine = (text: string): string => text.replace(CONTROL, ' ');

/** Cuts `text` to `width` terminal columns, marking the cut with an ellipsis. */
export function truncate(raw: string, width: number): string {
  const text = oneLine(raw);
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

/** The width of each column of a table: its widest cell, header included, in terminal columns. */
export function columnWidths(headers: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return headers.map((h, i) => {
    let width = stringWidth(h);
    for (const r of rows) width = Math.max(width, stringWidth(oneLine(r[i] ?? '')));
    return width;
  });
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
  const clean = rows.map((r) => r.map(oneLine));
  const widths = columnWidths(headers, clean);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, align[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), ...clean.map(line)].join('\n');
}

/**
 * A bar `width` columns wide, filled in proportion to `done` of `total`.
 * @example progressBar(1, 4, 8) // "██░░░░░░"
 */
export function progressBar(done: number, total: number, width: number): string {
  const filled = total <= 0 ? width : Math.round((Math.min(done, total) / total) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/**
 * `text` cut into lines of at most `width` columns at spaces (a word longer than a line is cut), each
 * line after the first starting with `indent`.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const flat = oneLine(text);
  // The first line keeps its own indentation.
  const lead = /^ */.exec(flat)?.[0] ?? '';
  const words = flat.split(' ').filter((w) => w !== '');
  const lines: string[] = [];
  let line = `${lead}${words.shift() ?? ''}`;
  for (const word of words) {
    const candidate = `${line} ${word}`;
    const room = width - (lines.length === 0 ? 0 : stringWidth(indent));
    if (stringWidth(candidate) <= room) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.map((l, i) => truncate(i === 0 ? l : `${indent}${l}`, width));
}
