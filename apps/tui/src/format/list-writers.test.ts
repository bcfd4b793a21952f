import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CSV_OPTIONS,
  csvWriter,
  jsonArrayWriter,
  type ListRecord,
  type ListWriter,
  ndjsonWriter,
} from './list-writers.js';
import { tableWriter } from './table-writer.js';
import { plainTable } from './text.js';

function written<T>(writer: ListWriter<T>, items: readonly T[]): string {
  let out = '';
  for (const item of items) out += writer.write(item);
  return out + writer.end();
}

const records: ListRecord[] = [
  { cart_key: 'a', customers_name: 'Zoë\nLine', item_count: 3, total: '19.20' },
  { cart_key: 'b', customers_name: '=1+1', item_count: null, total: null },
];

describe('list writers', () => {
  it('json: element by element, the text JSON.stringify(all, null, 2) gives', () => {
    expect(written(jsonArrayWriter(), records)).toBe(`${JSON.stringify(records, null, 2)}\n`);
    expect(written(jsonArrayWriter(), [])).toBe('[]\n');
  });

  it('ndjson: one object a line', () => {
    expect(
      written(ndjsonWriter(), records)
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l)),
    ).toEqual(records);
  });

  it('csv: the header even with no row; formulas neutralised; empty cells for null', () => {
    const fields = ['cart_key', 'customers_name', 'item_count', 'total'];
    expect(written(csvWriter(fields), [])).toBe('cart_key,customers_name,item_count,total\r\n');
    expect(written(csvWriter(fields), records)).toBe(
      'cart_key,customers_name,item_count,total\r\na,"Zoë\nLine",3,19.20\r\nb,\'=1+1,,\r\n',
    );
  });

  it('csv: every row as csv-stringify writes it, plain or needing quotes or a formula prefix', () => {
    const fields = ['a', 'b', 'c'];
    // Each character that may ask for quotes or a formula prefix, and some that never do.
    const piece = fc.constantFrom(...'x,"\r\n\t-=+@\uFF1D\' é😀');
    const cell = fc.oneof(
      fc.array(piece, { maxLength: 4 }).map((parts) => parts.join('')),
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell)), (rows) => {
        const recs: ListRecord[] = rows.map(([a, b, c]) => ({ a, b, c }));
        const expected = stringify(recs, { ...CSV_OPTIONS, header: true, columns: fields });
        expect(written(csvWriter(fields), recs)).toBe(recs.length ? expected : 'a,b,c\r\n');
      }),
      { numRuns: 500 },
    );
  });

  it('table: plainTable up to its window; past it the first rows set the widths and longer cells are cut', () => {
    const rows = [
      ['k1', 'Ann', 'x'],
      ['k2', 'Bob', 'y'],
    ];
    const headers = ['KEY', 'NAME', 'SOURCE'];
    expect(written(tableWriter(headers, { empty: 'none\n', window: 2 }), rows)).toBe(
      `${plainTable(headers, rows)}\n`,
    );
    expect(written(tableWriter(headers, { empty: 'none\n', window: 2 }), [])).toBe('none\n');
    const longer = [...rows, ['k3', 'Bartholomew', 'woocommerce']];
    const lines = written(tableWriter(headers, { empty: 'none\n', window: 2 }), longer).split('\n');
    expect(lines.slice(0, 3).join('\n')).toBe(plainTable(headers, rows));
    expect(lines[3]).toBe('k3   Bar…  woocommerce');
  });
});
