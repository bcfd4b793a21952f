import type { CartFigures } from './cart-figures.js';

/** The table columns that sort by what the carts hold rather than by the list's fields. */
export const FIGURE_COLUMNS = ['items', 'value'] as const;
export type FigureColumn = (typeof FIGURE_COLUMNS)[number];

/** True for a column {@link compareByFigure} sorts. */
export const isFigureColumn = (column: string): column is FigureColumn =>
  (FIGURE_COLUMNS as readonly string[]).includes(column);

/** What a row needs to be sorted by figure: its key, and its id to break ties. */
interface Keyed {
  key: string;
  id: number;
}

/**
 * Orders rows by a figure of their carts among `figures` (the carts read so far): `items` by item
 * count, `value` by currency code then total (amounts in different currencies do not compare), in
 * the direction asked; rows whose cart is not read yet (or has no total) come after every read one,
 * in either direction; ties by id. The whole direction is in the comparator: do not reverse after.
 * @example rows.sort(compareByFigure(loader.figures(), 'value', true)) // biggest carts first
 */
export function compareByFigure(
  figures: ReadonlyMap<string, CartFigures>,
  column: FigureColumn,
  descending: boolean,
): (a: Keyed, b: Keyed) => number {
  const sign = descending ? -1 : 1;
  const known = (f: CartFigures | undefined): f is CartFigures =>
    f !== undefined && (column === 'items' || !Number.isNaN(f.totalMinor));
  return (a, b) => {
    const fa = figures.get(a.key);
    const fb = figures.get(b.key);
    const ka = known(fa);
    const kb = known(fb);
    if (!ka || !kb) return ka === kb ? a.id - b.id : ka ? -1 : 1;
    let order: number;
    if (column === 'items') order = fa.itemCount - fb.itemCount;
    else
      order =
        fa.currencyCode < fb.currencyCode
          ? -1
          : fa.currencyCode > fb.currencyCode
            ? 1
            : fa.totalMinor - fb.totalMinor;
    return order === 0 ? sign * (a.id - b.id) : sign * order;
  };
}
