// Sorts of a million row indices in a few passes: a comparator sort calls its function some twenty
// million times, which takes seconds; these bucket the rows instead. Ties keep the rows' input order.

/** Rows per index bit: a packed key holds the row index in its low 21 bits. */
const INDEX_BITS = 2 ** 21;
/** Largest whole value a packed key holds above the index (2^32 - 1 is kept for "no value"). */
const VALUE_LIMIT = 2 ** 32 - 1;
/** Runs shorter than this are sorted by comparing their strings. */
const SMALL_RUN = 48;

/**
 * Sorts `rows` (indices below 2^21) by `valueAt(row)`, whole numbers in [0, 2^32 - 1) or NaN (last),
 * ties in index order: each row packed with its value into one double, and the doubles sorted
 * natively. False, and `rows` untouched, when a value or an index does not fit.
 */
export function sortByWholeNumber(rows: Int32Array, valueAt: (row: number) => number): boolean {
  const packed = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as number;
    let v = valueAt(row);
    if (Number.isNaN(v)) v = VALUE_LIMIT;
    else if (!Number.isInteger(v) || v < 0 || v >= VALUE_LIMIT || row >= INDEX_BITS) return false;
    packed[k] = v * INDEX_BITS + row;
  }
  packed.sort();
  for (let k = 0; k < rows.length; k++) rows[k] = (packed[k] as number) % INDEX_BITS;
  return true;
}

/**
 * Sorts `rows` by `values[row]` as `<` orders strings (UTF-16 code units, a prefix first), ties in
 * the rows' input order (the sort is stable).
 */
export function sortByText(rows: Int32Array, values: readonly string[]): void {
  sortByCodes(rows, (row, depth) => {
    const s = values[row] as string;
    return depth < s.length ? s.charCodeAt(depth) + 1 : 0;
  });
}

/**
 * Sorts `rows` by texts given a code at a time (`codeAt(row, depth)`: the text's code unit at
 * `depth` plus one, 0 past its end), ties in the rows' input order: a most-significant-character-first
 * bucket sort, one character position per pass over the rows whose texts still agree.
 */
export function sortByCodes(rows: Int32Array, codeAt: (row: number, depth: number) => number): void {
  const tmp = new Int32Array(rows.length);
  const codes = new Int32Array(rows.length);
  const stack: number[] = [0, rows.length, 0];
  const compareFrom = (depth: number) => (a: number, b: number) => {
    for (let d = depth; ; d++) {
      const x = codeAt(a, d);
      const y = codeAt(b, d);
      if (x !== y) return x - y;
      if (x === 0) return a - b;
    }
  };
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const hi = stack.pop() as number;
    const lo = stack.pop() as number;
    if (hi - lo < SMALL_RUN) {
      rows.subarray(lo, hi).sort(compareFrom(depth));
      continue;
    }
    let min = Number.POSITIVE_INFINITY;
    let max = -1;
    for (let k = lo; k < hi; k++) {
      // 0 for a text that ended here: it sorts before every longer one.
      const c = codeAt(rows[k] as number, depth);
      codes[k] = c;
      if (c < min) min = c;
      if (c > max) max = c;
    }
    if (min === max) {
      if (min !== 0) stack.push(lo, hi, depth + 1);
      continue;
    }
    const starts = new Int32Array(max - min + 2);
    for (let k = lo; k < hi; k++) (starts[(codes[k] as number) - min + 1] as number)++;
    for (let b = 1; b < starts.length; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
    const ends = starts.slice();
    for (let k = lo; k < hi; k++) {
      const b = (codes[k] as number) - min;
      tmp[lo + (ends[b] as number)] = rows[k] as number;
      ends[b] = (ends[b] as number) + 1;
    }
    rows.set(tmp.subarray(lo, hi), lo);
    for (let b = 0; b < starts.length - 1; b++) {
      const from = lo + (starts[b] as number);
      const to = lo + (starts[b + 1] as number);
      // Strings that ended (code 0) are equal: they stay in input order.
      if (to - from > 1 && !(b === 0 && min === 0)) stack.push(from, to, depth + 1);
    }
  }
}
