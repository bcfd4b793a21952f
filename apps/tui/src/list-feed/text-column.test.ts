import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByCodes } from './row-sort.js';
import { TextColumn } from './text-column.js';

// ASCII of both cases, and characters of 2 to 4 UTF-8 bytes, some with a lower case of another length.
const text = fc
  .array(fc.constantFrom('a', 'B', 'z', 'Q', '.', '@', ' ', '0', 'é', 'Ü', 'İ', 'K', '東', '😀', '\uE000'), {
    maxLength: 8,
  })
  .map((cs) => cs.join(''));

const sign = (n: number) => Math.sign(n);
const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function columnOf(texts: readonly string[]): TextColumn {
  const column = new TextColumn();
  column.grow(texts.length);
  texts.forEach((t, i) => {
    column.set(i, t);
  });
  return column;
}

describe('TextColumn', () => {
  it('gives back, matches, searches and orders every text as its string would', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 30 }), text, (texts, probe) => {
        const column = columnOf(texts);
        const needle = probe.slice(0, 3).toLowerCase();
        texts.forEach((t, i) => {
          expect(column.get(i)).toBe(t);
          expect(column.equals(i, t)).toBe(true);
          expect(column.equals(i, probe)).toBe(t === probe);
          expect(column.includesLower(i, needle)).toBe(t.toLowerCase().includes(needle));
          texts.forEach((u, j) => {
            expect(sign(column.compare(i, j, false))).toBe(cmp(t, u));
            expect(sign(column.compare(i, j, true))).toBe(cmp(t.toLowerCase(), u.toLowerCase()));
          });
        });
        const rows = Int32Array.from(texts.keys());
        sortByCodes(rows, (row, depth) => column.codeAt(row, depth, true));
        const expected = [...texts.keys()].sort(
          (a, b) => cmp((texts[a] as string).toLowerCase(), (texts[b] as string).toLowerCase()) || a - b,
        );
        expect([...rows]).toEqual(expected);
      }),
    );
  });

  it('keeps every text through rewrites, moves and growth past its first buffer', () => {
    const count = 20_000;
    const texts = Array.from({ length: count }, (_, i) => `Customer ${i} ${'x'.repeat(i % 7)}`);
    const column = columnOf(texts);
    // Rewrites leave dead bytes behind, which the growth of the buffer drops.
    for (let i = 0; i < count; i += 2) {
      texts[i] = i % 10 === 0 ? `Zoë ${i}` : `Renamed ${i}`;
      column.set(i, texts[i] as string);
    }
    // Every third row removed, the rest moved down, as a compaction does.
    const kept = texts.filter((_, i) => i % 3 !== 0);
    let to = 0;
    for (let i = 0; i < count; i++) if (i % 3 !== 0) column.move(i, to++);
    column.truncate(to);
    for (let i = 0; i < 5000; i++) column.set(to + i, '');
    expect(Array.from({ length: to }, (_, i) => column.get(i))).toEqual(kept);
    expect(column.get(to)).toBe('');
  });
});
