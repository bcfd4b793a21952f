import type { SessionSummary } from '@cocart-sessions/core';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import listFixture from '../../../../fixtures/sessions-list.json' with { type: 'json' };
import { parseKeyList } from '../cli/delete-command.js';
import { parseFields, sessionRecords, sessionsCsv } from './export.js';
import { parseDuration } from './time.js';

const seed = listFixture as SessionSummary[];
const NOW = Date.UTC(2021, 4, 1, 12, 0, 0);

describe('CSV export', () => {
  it('quotes per RFC 4180 and reads back equal to the records', () => {
    const odd = seed.map((s, i) => ({
      ...s,
      customers_name: ['Dumont, "Seb"', 'Zoë\nLine'][i] ?? s.customers_name,
    }));
    const fields = parseFields('cart_key,customers_name,status');
    const csv = sessionsCsv(odd, fields, NOW);
    expect(csv).toBe(
      `cart_key,customers_name,status\r\n${odd[0]?.cart_key},"Dumont, ""Seb""",expired\r\n${odd[1]?.cart_key},"Zoë\nLine",active\r\n`,
    );
    expect(parse(csv, { columns: true })).toEqual(sessionRecords(odd, fields, NOW));
    expect(sessionsCsv(odd, fields, NOW, { bom: true }).startsWith('\uFEFFcart_key,')).toBe(true);
  });
  it('refuses an unknown field', () => {
    expect(() => parseFields('cart_key,nope')).toThrow('unknown field "nope"');
    expect(() => parseFields('cart_key,,link')).toThrow('--fields');
  });
});

describe('command-line values', () => {
  it('reads durations like 30d and 12h, and nothing else', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    for (const bad of ['30x', '30', 'd', '1.5d', '-2h', '', '30 d'])
      expect(parseDuration(bad)).toBeUndefined();
  });
  it('reads a key list, one a line, and refuses blank or invalid lines', () => {
    expect(parseKeyList('a\r\nb_2\nb_2\n')).toEqual(['a', 'b_2']);
    expect(() => parseKeyList('a\n\nb\n')).toThrow('line 2 of stdin is blank');
    expect(() => parseKeyList('a\nnot-a-key\n')).toThrow('line 2 of stdin, "not-a-key", is not a cart key');
    expect(() => parseKeyList('')).toThrow('no cart keys');
  });
});
