import { describe, expect, it } from 'vitest';
import { cell, plainTable, truncate } from './text.js';

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
