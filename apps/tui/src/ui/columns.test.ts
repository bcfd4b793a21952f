import { describe, expect, it } from 'vitest';
import { displayWidth } from '../format/text.js';
import { fitColumns, ROW_MARGIN, type TableColumn, widestCells } from './columns.js';

type Cells = Record<TableColumn, string>;

// Rows as the demo store gives them: 32-hex guest keys, names up to 15 characters, long emails.
const DEMO: Cells[] = [
  {
    key: 'afa399e3a0647fe660438409d9ad7eb9',
    customer: 'Sophia Williams',
    email: 'sophia.williams123@example.com',
    items: '7',
    value: '1.234,56€',
    created: '6d ago',
    expires: 'in 1d',
    status: 'active',
    source: 'woocommerce',
  },
  {
    key: '27',
    customer: 'Mia Rossi',
    email: 'mia.rossi0@example.com',
    items: '12',
    value: '£207.00',
    created: '3h ago',
    expires: 'in 2h',
    status: 'expiring',
    source: 'cocart',
  },
];

const widthOf = (fitted: ReturnType<typeof fitColumns>) =>
  ROW_MARGIN + fitted.reduce((sum, c) => sum + c.width, 0) + fitted.length - 1;
const asRecord = (fitted: ReturnType<typeof fitColumns>) =>
  Object.fromEntries(fitted.map((c) => [c.column, c.width]));

describe('fitColumns', () => {
  it('at 200 columns gives every column its widest cell or header, and no more', () => {
    const fitted = fitColumns(widestCells(DEMO), 200);
    expect(asRecord(fitted)).toEqual({
      key: 32,
      customer: 15,
      email: 30,
      items: 5,
      value: 9,
      created: 7,
      expires: 7,
      status: 8,
      source: 11,
    });
    expect(widthOf(fitted)).toBeLessThanOrEqual(200);
  });

  it('at 120 columns cuts the key, and only the key', () => {
    const fitted = fitColumns(widestCells(DEMO), 120);
    expect(widthOf(fitted)).toBe(120);
    expect(asRecord(fitted)).toEqual({
      key: 32 - (widthOf(fitColumns(widestCells(DEMO), 200)) - 120),
      customer: 15,
      email: 30,
      items: 5,
      value: 9,
      created: 7,
      expires: 7,
      status: 8,
      source: 11,
    });
  });

  it('at 80 columns drops source and created before it cuts a name, and gives the rest to the email', () => {
    const fitted = fitColumns(widestCells(DEMO), 80);
    expect(fitted.map((c) => c.column)).toEqual([
      'key',
      'customer',
      'email',
      'items',
      'value',
      'expires',
      'status',
    ]);
    const w = asRecord(fitted);
    expect(w.key).toBe(8);
    expect(w.customer).toBe(15);
    expect(w.expires).toBe(7);
    expect(widthOf(fitted)).toBe(80);
    expect(w.email).toBe(80 - ROW_MARGIN - 6 - (8 + 15 + 5 + 9 + 7 + 8));
  });

  it('keeps created and source when the names on screen are short', () => {
    const short = DEMO.map((r) => ({ ...r, key: '12', customer: 'Al Li', email: 'al@x.io' }));
    const fitted = fitColumns(widestCells(short), 80);
    expect(fitted.map((c) => c.column)).toContain('source');
    expect(fitted.map((c) => c.column)).toContain('created');
    expect(widthOf(fitted)).toBeLessThanOrEqual(80);
  });

  it('cuts the wider of name and email first when both must give', () => {
    const long = DEMO.map((r) => ({ ...r, customer: 'Maximilian Alexander Montgomery' }));
    const w = asRecord(fitColumns(widestCells(long), 80));
    expect(w.customer).toBe(w.email);
    expect((w.customer ?? 0) + (w.email ?? 0)).toBe(80 - ROW_MARGIN - 6 - (8 + 5 + 9 + 7 + 8));
  });

  it('counts CJK letters and emoji as two cells', () => {
    const cjk = [{ ...(DEMO[1] as Cells), customer: '田中 太郎', email: '🛒 shop@例え.jp' }];
    const widest = widestCells(cjk);
    expect(widest.customer).toBe(9);
    expect(widest.email).toBe(displayWidth('🛒 shop@例え.jp'));
    expect(widest.email).toBe(15);
    const w = asRecord(fitColumns(widest, 80));
    expect(w.customer).toBe(9);
    expect(w.email).toBe(15);
  });

  it('fits 40 columns by dropping what matters least, key, name and value kept', () => {
    const fitted = fitColumns(widestCells(DEMO), 40);
    expect(widthOf(fitted)).toBeLessThanOrEqual(40);
    expect(fitted.map((c) => c.column)).toEqual(expect.arrayContaining(['key', 'customer', 'value']));
  });

  it('a relative time never takes more than 8 columns', () => {
    const times = [{ ...(DEMO[0] as Cells), created: 'just now', expires: '365d ago' }];
    const w = asRecord(fitColumns(widestCells(times), 200));
    expect(w.created).toBe(8);
    expect(w.expires).toBe(8);
  });
});
