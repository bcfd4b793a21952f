import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ArrayCutter, type KnownRun, type Run } from './list-stream.js';

const sha = (parts: readonly Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');

/** The runs `cutter` gave for `pieces`, or undefined when it refused the body. */
function runsOf(pieces: Buffer[], known?: KnownRun): Run[] | undefined {
  const cutter = new ArrayCutter(sha);
  const got: Run[] = [];
  for (const piece of pieces) {
    got.push(...cutter.push(piece, known));
    if (cutter.state === 'not-array') return undefined;
  }
  const rest = cutter.end(known);
  return rest === undefined ? undefined : [...got, rest];
}

/** The elements a run gave (none for a run the list holds). */
const elementsOf = (run: Run | undefined): unknown[] => {
  const sessions = run?.sessions;
  if (sessions === undefined) return run?.items ?? [];
  return Array.from({ length: sessions.count }, (_, k) => sessions.summary(k));
};

/** Everything `cutter` gave for `pieces`, or undefined when it refused the body. */
function read(pieces: Buffer[]): unknown[] | undefined {
  return runsOf(pieces)?.flatMap(elementsOf);
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

describe('ArrayCutter runs', () => {
  // Links ending in `00` mark where a run may end. The mark is also in a name (where its quote is
  // escaped) and at the end of an object nested in a session, where a run must not end.
  const session = (i: number, name = `Customer ${i}`) => ({
    cart_id: String(i),
    cart_key: `k${i}`,
    customers_name: name,
    ...(i % 150 === 0 ? { extra: { note: 'n00' } } : {}),
    link: `https://shop.test/session/${String(i * 7).padStart(4, '1')}`,
  });
  const list = Array.from({ length: 3000 }, (_, i) =>
    session(i, i === 300 ? 'Mark 00"}, inside' : undefined),
  );
  const bodyOf = (sessions: unknown[]) => Buffer.from(JSON.stringify(sessions));

  it('ends runs where the text says, wherever the network cut it', () => {
    const body = bodyOf(list);
    const digests = (size: number) => runsOf(piecesOf(body, size))?.map((r) => r.digest);
    const whole = digests(body.length);
    expect(whole?.length).toBeGreaterThan(4);
    for (const size of [1, 5, 4096]) expect(digests(size)).toEqual(whole);
    expect(read(piecesOf(body, 5))).toEqual(list);
  });

  it('parses only the runs it does not know, and says how many sessions a known run held', () => {
    const before = runsOf([bodyOf(list)]) ?? [];
    const held = new Map(before.map((r) => [r.digest as string, elementsOf(r).length]));
    // One session changed, one removed, one added: the other runs are the same bytes as before.
    const after = list.filter((_, i) => i !== 100);
    after[1449] = session(1450, 'Renamed');
    after.push(session(3000));
    const runs = runsOf(piecesOf(bodyOf(after), 4096), (d) => held.get(d)) ?? [];
    const parsed = runs.flatMap(elementsOf);
    const known = runs.filter((r) => r.held !== undefined);
    expect(known.length).toBeGreaterThan(0);
    expect(parsed.length).toBeLessThan(after.length / 4);
    expect(parsed).toContainEqual(session(1450, 'Renamed'));
    expect(parsed).toContainEqual(session(3000));
    // What was not parsed is exactly the sessions the known runs held.
    const heldCount = known.reduce((n, r) => n + (r.held ?? 0), 0);
    expect(heldCount + parsed.length).toBe(after.length);
  });

  it('without a hasher, gives runs without digests', () => {
    const cutter = new ArrayCutter();
    const runs = [...cutter.push(bodyOf(list)), cutter.end()];
    expect(runs.every((r) => r?.digest === undefined)).toBe(true);
    expect(runs.flatMap(elementsOf)).toEqual(list);
  });
});
