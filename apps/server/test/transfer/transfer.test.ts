import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import type { Store } from '../../src/store/store.js';
import { exportSessions, importSessions } from '../../src/transfer/index.js';
import { dropSchemas, PG_URL, postgresForTests, randomSchema } from '../store/pg-harness.js';
import { recordOf } from '../store/store-contract.js';

const fixtureText = readFileSync(new URL('../../../../fixtures/session-cart.json', import.meta.url), 'utf8');
const fixture = JSON.parse(fixtureText) as Record<string, unknown>;
/** The seed's cart as GET /session/1 must answer it. */
const seedCart = JSON.stringify(fixture);
const seedLine = JSON.stringify({
  cart_key: '1',
  cart_source: 'woocommerce',
  cart_created: 1_623_715_200,
  cart_expiry: 1_624_320_000,
  cart: fixture,
});

const dir = mkdtempSync(join(tmpdir(), 'cocart-transfer-'));
let n = 0;
const stores: Store[] = [];
async function sqliteStore(): Promise<SessionStore> {
  const s = await openStore(`sqlite:${join(dir, `t-${++n}.db`)}`);
  stores.push(s);
  return s.sessions;
}
afterAll(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

function guestCart(
  key: string,
  first = 'Ann',
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const cart = structuredClone(fixture) as Record<string, unknown> & {
    customer: { billing_address: Record<string, string> };
  };
  cart.cart_key = key;
  cart.customer.billing_address.billing_first_name = first;
  cart.customer.billing_address.billing_last_name = 'Example';
  cart.customer.billing_address.billing_email = `${first.toLowerCase()}@example.com`;
  return { ...cart, ...overrides };
}

function line(key: string, cart: unknown = guestCart(key), extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    cart_key: key,
    cart_source: 'cocart',
    cart_created: 1_700_000_000,
    cart_expiry: 1_700_604_800,
    cart,
    ...extra,
  });
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const s of it) out.push(s);
  return out;
}

describe('importSessions / exportSessions on SQLite', () => {
  it("imports the seed's cart exactly, with name, email and hash derived from it", async () => {
    const store = await sqliteStore();
    expect(await importSessions(store, `${seedLine}\n`)).toEqual({ imported: 1, errors: [] });
    expect(await store.getCartValue('1')).toBe(seedCart);
    expect(await recordOf(store, '1')).toMatchObject({
      cartKey: '1',
      cartSource: 'woocommerce',
      cartCreated: 1_623_715_200,
      cartExpiry: 1_624_320_000,
      cartHash: '475c7af8e8881aaa1302fdbae3bc93e0',
      customerName: 'Sebastien Dumont Dumont',
      customerEmail: 'mailme@sebastiendumont.com',
    });
    expect(await collect(exportSessions(store))).toEqual([seedLine]);
  });

  it('reports a bad line 3 by number, writes nothing of it and imports the others', async () => {
    const store = await sqliteStore();
    const text = [line('a1'), line('a2'), '{"cart_key": "a3", "cart_source": ', line('a4')].join('\n');
    const result = await importSessions(store, text);
    expect(result.imported).toBe(3);
    expect(result.errors).toEqual([{ line: 3, message: expect.stringMatching(/JSON/) }]);
    expect((await collect(exportSessions(store))).map((l) => JSON.parse(l).cart_key)).toEqual([
      'a1',
      'a2',
      'a4',
    ]);
  });

  it('rejects lines whose fields or cart are invalid, counting blank lines', async () => {
    const store = await sqliteStore();
    const noItems = guestCart('b3');
    delete noItems.items;
    const text = [
      line('b1'),
      '',
      line('b3', noItems),
      line('b4', guestCart('other')),
      line('b-5', guestCart('b-5')),
      line('b6', guestCart('b6'), { cart_created: 'yesterday' }),
      line('b7', [1, 2]),
      line('b8'),
      '   ',
    ].join('\r\n');
    const result = await importSessions(store, text);
    expect(result.imported).toBe(2);
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(result.errors[0]?.message).toMatch(/cart\.items/);
    expect(result.errors[1]?.message).toMatch(/differs/);
    expect(result.errors[2]?.message).toMatch(/cart_key/);
    expect(result.errors[3]?.message).toMatch(/cart_created/);
    expect(await store.countSessions()).toBe(2);
  });

  it('replaces an existing key, keeping its cart_id', async () => {
    const store = await sqliteStore();
    await importSessions(store, [line('c1'), line('c2')].join('\n'));
    const before = await recordOf(store, 'c1');
    const replacement = line('c1', guestCart('c1', 'Zoe'), { cart_source: 'woocommerce' });
    expect(await importSessions(store, replacement)).toEqual({ imported: 1, errors: [] });
    const after = await recordOf(store, 'c1');
    expect(after?.cartId).toBe(before?.cartId);
    expect(after?.customerName).toBe('Zoe Example');
    expect(after?.cartSource).toBe('woocommerce');
    expect(after?.cartValue).toBe(JSON.stringify(guestCart('c1', 'Zoe')));
    expect(await store.countSessions()).toBe(2);
  });

  it('reads readline lines, fs streams and byte chunks split inside a character', async () => {
    const file = join(dir, 'in.jsonl');
    const lines = [line('d1'), line('d2', guestCart('d2', 'Chloé')), 'not json', line('d4')];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const expected = { imported: 3, errors: [{ line: 3, message: expect.any(String) }] };

    const viaReadline = await sqliteStore();
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    expect(await importSessions(viaReadline, rl)).toEqual(expected);

    const viaStream = await sqliteStore();
    expect(await importSessions(viaStream, createReadStream(file, { highWaterMark: 97 }))).toEqual(expected);

    const bytes = Buffer.from(readFileSync(file));
    const cut = bytes.indexOf(Buffer.from('é')) + 1;
    const viaChunks = await sqliteStore();
    expect(
      await importSessions(viaChunks, Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)])),
    ).toEqual(expected);
    expect((await recordOf(viaChunks, 'd2'))?.customerName).toBe('Chloé Example');
    expect(await collect(exportSessions(viaChunks))).toEqual(await collect(exportSessions(viaStream)));
  });

  it('exports in cart_id order across batches, and re-imports to the same lines', async () => {
    const store = await sqliteStore();
    const keys = Array.from({ length: 1203 }, (_, i) => `e${i}`);
    await importSessions(store, keys.map((k) => line(k)).join('\n'));
    const exported = await collect(exportSessions(store));
    expect(exported.map((l) => JSON.parse(l).cart_key)).toEqual(keys);
    const copy = await sqliteStore();
    expect(await importSessions(copy, exported.join('\n'))).toEqual({ imported: 1203, errors: [] });
    expect(await collect(exportSessions(copy))).toEqual(exported);
  });
});

const reachable = await postgresForTests();

describe('SQLite -> file -> PostgreSQL round trip', () => {
  if (!reachable) {
    it.skip(`skipped: PostgreSQL unreachable at ${PG_URL}`, () => {});
    return;
  }
  const schema = randomSchema('transfer');
  afterAll(() => dropSchemas([schema]));

  it("brings the seed's cart back equal to the fixture's JSON.stringify, losing nothing", async () => {
    const sqlite = await sqliteStore();
    await importSessions(sqlite, [seedLine, line('f2'), line('f3', guestCart('f3', 'Jürgen'))].join('\n'));
    const file = join(dir, 'export.jsonl');
    writeFileSync(file, `${(await collect(exportSessions(sqlite))).join('\n')}\n`);

    const pgStore = await openStore(`${PG_URL}?schema=${schema}`);
    const pg = pgStore.sessions;
    try {
      const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
      expect(await importSessions(pg, rl)).toEqual({ imported: 3, errors: [] });
      expect(await pg.getCartValue('1')).toBe(seedCart);
      const pgExport = await collect(exportSessions(pg));
      expect(pgExport).toEqual(await collect(exportSessions(sqlite)));
      expect(pgExport[0]).toBe(seedLine);
      const { cartId: _a, ...fromPg } = (await recordOf(pg, 'f3'))!;
      const { cartId: _b, ...fromSqlite } = (await recordOf(sqlite, 'f3'))!;
      expect(fromPg).toEqual(fromSqlite);
    } finally {
      await pgStore.close();
    }
  });
});
