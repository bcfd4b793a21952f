import { describe, expect, it } from 'vitest';
import { ArrayCutter } from './list-stream.js';

/** Everything `cutter` gave for `pieces`, or undefined when it refused the body. */
function read(pieces: Buffer[]): unknown[] | undefined {
  const cutter = new ArrayCutter();
  const got: unknown[] = [];
  for (const piece of pieces) {
    const items = cutter.push(piece);
    if (cutter.state === 'not-array') return undefined;
    if (items) got.push(...items);
  }
  const rest = cutter.end();
  return rest === undefined ? undefined : [...got, ...rest];
}

/** `body` cut into pieces of `size` bytes (a multi-byte character may fall across two). */
const piecesOf = (body: Buffer, size: number) =>
  Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));

describe('ArrayCutter', () => {
  // Strings holding the cut mark, brackets, quotes and escapes; nested objects; characters of 2 to 4 bytes.
  const items = [
    { a: 'x},y', b: [1, { c: '\\"},' }] },
    { a: '"},{"', b: [], n: { m: { k: 1 } } },
    { a: 'ü😀東京', b: null },
    { cart_id: '1', cart_key: 'k', customers_name: 'Mia }, Rossi' },
    {},
  ];

  it('gives every element of the array whatever the cuts between the pieces', () => {
    for (const text of [JSON.stringify(items), ` \n${JSON.stringify(items, null, 2)}\n`]) {
      const body = Buffer.from(text);
      for (let cut = 0; cut <= body.length; cut++) {
        expect(read([body.subarray(0, cut), body.subarray(cut)])).toEqual(items);
      }
      for (const size of [1, 3, 7, 64]) expect(read(piecesOf(body, size))).toEqual(items);
    }
  });

  it('gives nothing for an empty array, and refuses what is not a whole array', () => {
    expect(read([Buffer.from('[]')])).toEqual([]);
    expect(read([Buffer.from(' [ \n ] ')])).toEqual([]);
    expect(read([Buffer.from('{"sessions":[]}')])).toBeUndefined();
    const whole = Buffer.from(JSON.stringify(items));
    expect(read([whole.subarray(0, whole.length - 1)])).toBeUndefined();
    expect(read([whole.subarray(0, 40)])).toBeUndefined();
    expect(read([Buffer.from('[{"a":1},{"a":2}]x')])).toBeUndefined();
  });
});
