import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cell, oneLine, plainTable, truncate, wrap } from './text.js';

// Wide and zero-width text: two columns per CJK letter and emoji, none for a combining accent.
const CJK = '田中 太郎'; // 9 columns, 5 code units
const EMOJI = '🎉 Party'; // 8 columns, 8 code units (the emoji is a surrogate pair)
const COMBINING = 'Jose\u0301 Garci\u0301a'; // "José García" with combining acute accents: 11 columns

describe('text helpers', () => {
  it('truncates with an ellipsis', () => {
    expect(truncate('afa399e3a0647fe660438409d9ad7eb9', 8)).toBe('afa399e…');
    expect(truncate('short', 8)).toBe('short');
    expect(truncate('abc', 0)).toBe('');
  });
  it('pads cells', () => {
    expect(cell('ab', 4)).toBe('ab  ');
    expect(cell('ab', 4, 'right')).toBe('  ab');
  });
  it('lays out a plain table', () => {
    expect(
      plainTable(
        ['KEY', 'N'],
        [
          ['1', '22'],
          ['abcd', '3'],
        ],
        ['left', 'right'],
      ),
    ).toBe('KEY    N\n1     22\nabcd   3');
  });
});

describe('display width (CJK, emoji, combining marks)', () => {
  it('pads a cell to its width in terminal columns', () => {
    expect(cell(CJK, 12)).toBe(`${CJK}   `);
    expect(stringWidth(cell(CJK, 12))).toBe(12);
    expect(stringWidth(cell(EMOJI, 12))).toBe(12);
    expect(cell(COMBINING, 12)).toBe(`${COMBINING} `);
    expect(stringWidth(cell(CJK, 12, 'right'))).toBe(12);
  });
  it('cuts by columns, never through a wide letter, an emoji or an accent', () => {
    // 6 columns: "田中" (4) + "…" (1) fits, "田中 " + "…" is 4+1+1 = 6.
    expect(truncate(CJK, 6)).toBe('田中 …');
    expect(stringWidth(truncate(CJK, 5))).toBeLessThanOrEqual(5);
    expect(truncate('🎉🎉🎉', 4)).toBe('🎉…');
    expect(truncate(COMBINING, 5)).toBe('Jose\u0301…');
    expect(truncate(CJK, 9)).toBe(CJK);
    for (const w of [1, 2, 3, 7, 8]) {
      expect(stringWidth(cell(CJK, w))).toBe(w);
      expect(stringWidth(cell(EMOJI, w))).toBe(w);
      expect(stringWidth(cell(COMBINING, w))).toBe(w);
    }
  });
  it('aligns the plain table by display width', () => {
    const out = plainTable(
      ['NAME', 'EMAIL'],
      [
        [CJK, 'tanaka@example.jp'],
        [EMOJI, 'party@example.com'],
        [COMBINING, 'jose@example.es'],
        ['Clark Kent', 'clark@dailyplanet.wb'],
      ],
    );
    const lines = out.split('\n');
    const emailColumn = (line: string) => stringWidth(line.slice(0, line.search(/\S+@|EMAIL/)));
    const columns = lines.map(emailColumn);
    expect(new Set(columns).size).toBe(1);
    expect(columns[0]).toBe(stringWidth(COMBINING) + 2);
  });
});

describe('wrap and oneLine', () => {
  it('wraps at spaces by display width, indenting the following lines', () => {
    expect(wrap('Cannot reach the store: is the server running?', 20, '  ')).toEqual([
      'Cannot reach the',
      '  store: is the',
      '  server running?',
    ]);
    expect(wrap('田中 太郎 田中 太郎', 10)).toEqual(['田中 太郎', '田中 太郎']);
    expect(wrap('', 10)).toEqual(['']);
    expect(wrap('  key: one two three', 12, '    ')).toEqual(['  key: one', '    two', '    three']);
  });
  it('keeps line breaks and escapes out of table cells', () => {
    expect(oneLine('Zoë\nLine\u001b[31m')).toBe('Zoë Line [31m');
    expect(cell('a\tb', 4)).toBe('a b ');
  });
});
