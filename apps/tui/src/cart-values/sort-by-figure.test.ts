import { describe, expect, it } from 'vitest';
import { toSessionRow } from '../sessions/session-row.js';
import { visibleRows } from '../sessions/sort.js';
import type { CartFigures } from './cart-figures.js';
import { compareByFigure } from './sort-by-figure.js';

const figures = (itemCount: number, totalMinor: number, currencyCode = 'GBP'): CartFigures => ({
  itemCount,
  totalMinor,
  currencyCode,
  total: String(totalMinor),
});

const rows = ['a', 'b', 'c', 'd', 'e'].map((key, i) => ({ key, id: i + 1 }));
const read = new Map<string, CartFigures>([
  ['a', figures(3, 20700)],
  ['b', figures(1, 500)],
  ['c', figures(3, 99_000, 'EUR')],
  // d is not read yet; e has a total that did not parse.
  ['e', figures(7, Number.NaN)],
]);
const order = (column: 'items' | 'value', descending: boolean) =>
  [...rows].sort(compareByFigure(read, column, descending)).map((r) => r.key);

describe('compareByFigure', () => {
  it('sorts by value within each currency, carts not read (or without a total) last', () => {
    expect(order('value', false)).toEqual(['c', 'b', 'a', 'd', 'e']);
    expect(order('value', true)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
  it('sorts by item count, ties by id in the direction asked, carts not read last', () => {
    expect(order('items', false)).toEqual(['b', 'a', 'c', 'e', 'd']);
    expect(order('items', true)).toEqual(['e', 'c', 'a', 'b', 'd']);
  });
});

describe('visibleRows by value', () => {
  it('orders the view by the carts read, biggest first, the rest after in id order', () => {
    const sessionRows = rows.map((r) =>
      toSessionRow({
        cart_id: String(r.id),
        cart_key: r.key,
        customers_name: '',
        customers_email: '',
        cart_created: '04/24/2021 12:00:00',
        cart_expiry: '05/01/2021 12:00:00',
        cart_source: 'woocommerce',
        link: '',
      }),
    );
    const gbp = new Map([...read].filter(([, f]) => f.currencyCode === 'GBP'));
    expect(visibleRows(sessionRows, '', 'value', true, undefined, gbp).map((r) => r.key)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(visibleRows(sessionRows, '', 'value', false, undefined, gbp).map((r) => r.key)).toEqual([
      'b',
      'a',
      'c',
      'd',
      'e',
    ]);
  });
});
