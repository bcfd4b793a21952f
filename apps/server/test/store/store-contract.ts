import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ListQuery,
  NewSession,
  SessionMeta,
  SessionRecord,
  SessionRow,
  SessionStore,
} from '../../src/store/session-store.js';
import type { Store } from '../../src/store/store.js';
import { StoreInputError, StoreUnavailableError } from '../../src/store/store-errors.js';

const fixtureText = readFileSync(new URL('../../../../fixtures/session-cart.json', import.meta.url), 'utf8');
/** The seed's cart as the plugin sends it (compact JSON). */
export const seedCartText = JSON.stringify(JSON.parse(fixtureText));

const DAY = 86_400;
const T0 = 1_700_000_000;

/** A small session; `i` spreads creation times, names and sources. */
export function session(i: number, over: Partial<NewSession> = {}): NewSession {
  const key = over.cartKey ?? `k${String(i).padStart(5, '0')}`;
  return {
    cartKey: key,
    cartSource: i % 3 === 0 ? 'cocart' : 'woocommerce',
    cartCreated: T0 + ((i * 7919) % 1000) * 60,
    cartExpiry: T0 + 7 * DAY + ((i * 104_729) % 1000) * 60,
    cartHash: `h${i}`,
    customerName: ['Ada Lovelace', 'alan turing', 'Grace Hopper', '', 'Édith Piaf'][i % 5]!,
    customerEmail: i % 4 === 0 ? '' : `user${i}@example.com`,
    cartValue: JSON.stringify({ cart_key: key, items: [], n: i }),
    ...over,
  };
}

const ORDER_PROP = {
  cart_id: 'cartId',
  cart_created: 'cartCreated',
  cart_expiry: 'cartExpiry',
  customers_name: 'customerName',
} as const;

/** The expected order, computed independently of the store (byte-wise strings, ties by cart_id). */
function expectedOrder(rows: SessionMeta[], q: Pick<ListQuery, 'orderBy' | 'order'>): number[] {
  const prop = ORDER_PROP[q.orderBy];
  const sign = q.order === 'asc' ? 1 : -1;
  const cmp = (a: string | number, b: string | number): number => {
    if (typeof a === 'string' && typeof b === 'string') {
      const ba = Buffer.from(a);
      const bb = Buffer.from(b);
      return Buffer.compare(ba, bb);
    }
    return (a as number) - (b as number);
  };
  return [...rows].sort((a, b) => sign * (cmp(a[prop], b[prop]) || a.cartId - b.cartId)).map((r) => r.cartId);
}

/** Reads a batch stream to its end: each batch's size, and every row in order. */
async function drain<T>(stream: AsyncIterable<T[]>): Promise<{ sizes: number[]; rows: T[] }> {
  const sizes: number[] = [];
  const rows: T[] = [];
  for await (const batch of stream) {
    sizes.push(batch.length);
    rows.push(...batch);
  }
  return { sizes, rows };
}

/** Every session's columns, read through the export's stream (the cart text left out). */
async function all(sessions: SessionStore, batchSize?: number): Promise<SessionMeta[]> {
  return (await drain(sessions.streamRecords(batchSize))).rows.map(({ cartValue: _, ...meta }) => meta);
}

/** One key's whole record, as `export` reads it. */
export async function recordOf(sessions: SessionStore, cartKey: string): Promise<SessionRecord | undefined> {
  return (await drain(sessions.streamRecords())).rows.find((r) => r.cartKey === cartKey);
}

/** One page as the list handler reads it, each row named by its id and key. */
async function pageOf(
  sessions: SessionStore,
  q: ListQuery,
): Promise<Array<{ cartId: number; cartKey: string }>> {
  return (await sessions.listSessionRows(q)).map((r) => ({ cartId: r[0], cartKey: r[1] }));
}

const toRow = (m: SessionMeta): SessionRow => [
  m.cartId,
  m.cartKey,
  m.cartSource,
  m.cartCreated,
  m.cartExpiry,
  m.customerName,
  m.customerEmail,
];

export interface StoreHarness {
  /** A fresh, empty, migrated store. */
  open(): Promise<Store>;
  /** Two stores on one fresh database, as two processes would have. */
  openPair(): Promise<[Store, Store]>;
  /** Called once after the suite. */
  dispose?(): Promise<void>;
}

/** Registers the store contract tests (sessions and accounts) for one implementation. */
export function defineStoreContract(name: string, harness: StoreHarness): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const opened: Store[] = [];

    beforeEach(async () => {
      store = await harness.open();
      opened.push(store);
    });

    // Each test's stores close with it: left open to the end, their connections add up past
    // PostgreSQL's max_connections while other test files run beside this one.
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    afterAll(async () => {
      await harness.dispose?.();
    });

    // Both the ordered page path and the plain cart_id path (PostgreSQL's generic-plan pool).
    it.each([
      { page: 2, perPage: 100, orderBy: 'customers_name', order: 'desc' },
      { page: 1, perPage: 100, orderBy: 'cart_id', order: 'asc' },
    ] as const)(
      "keeps a page read at a change version until another process's write moves the version (%o)",
      async (q) => {
        const [a, b] = await harness.openPair();
        opened.push(a, b);
        await a.sessions.putSessions(Array.from({ length: 250 }, (_, i) => session(i + 1)));
        const v0 = await a.changes.current('sessions');
        const first = await a.sessions.listSessionRows(q, v0);
        expect(await a.sessions.listSessionRows(q, v0)).toBe(first);
        const gone = first[0]![1];
        // Another connection (as another process would) deletes a session of that page: the version moves.
        expect(await b.sessions.deleteSession(gone)).toBe(true);
        const v1 = await a.changes.current('sessions');
        expect(v1).not.toBe(v0);
        const fresh = await a.sessions.listSessionRows(q, v1);
        expect(fresh).toHaveLength(100);
        expect(fresh.map((r) => r[1])).not.toContain(gone);
      },
    );

    it('starts empty', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(await store.sessions.countSessions()).toBe(0);
      expect(await all(store.sessions)).toEqual([]);
      expect(
        await pageOf(store.sessions, { page: 1, perPage: 10, orderBy: 'cart_id', order: 'asc' }),
      ).toEqual([]);
      expect(await store.sessions.getCartValue('1')).toBeUndefined();
      expect(await store.sessions.getCartBytes('1')).toBeUndefined();
      expect(await recordOf(store.sessions, '1')).toBeUndefined();
      expect(await store.sessions.deleteSession('1')).toBe(false);
    });

    it("stores the seed's cart text exactly and derives nothing from it", async () => {
      const seed: NewSession = {
        cartKey: '1',
        cartSource: 'woocommerce',
        cartCreated: 1_623_715_200,
        cartExpiry: 1_623_888_000,
        cartHash: '475c7af8e8881aaa1302fdbae3bc93e0',
        customerName: 'Sebastien Dumont Dumont',
        customerEmail: 'mailme@sebastiendumont.com',
        cartValue: seedCartText,
      };
      expect(await store.sessions.putSessions([seed])).toBe(1);
      expect(await store.sessions.getCartValue('1')).toBe(seedCartText);
      const rec = await recordOf(store.sessions, '1');
      expect(rec).toEqual({ ...seed, cartId: expect.any(Number) });
      expect(Number.isInteger(rec?.cartId)).toBe(true);
      expect(await store.sessions.countSessions()).toBe(1);
    });

    it('upserts by cart_key in one call, keeping the cart_id and the last duplicate', async () => {
      await store.sessions.putSessions([session(1), session(2)]);
      const before = await recordOf(store.sessions, 'k00001');
      const n = await store.sessions.putSessions([
        session(1, { cartValue: '{"v":1}' }),
        session(3),
        session(1, { cartValue: '{"v":2}', customerName: 'Replaced', cartSource: 'cocart' }),
      ]);
      expect(n).toBe(2);
      const after = await recordOf(store.sessions, 'k00001');
      expect(after?.cartId).toBe(before?.cartId);
      expect(after?.cartValue).toBe('{"v":2}');
      expect(after?.customerName).toBe('Replaced');
      expect(after?.cartSource).toBe('cocart');
      expect(await store.sessions.countSessions()).toBe(3);
      expect(await store.sessions.putSessions([])).toBe(0);
    });

    it('streams every session by cart_id in keyset batches', async () => {
      await store.sessions.putSessions(Array.from({ length: 25 }, (_, i) => session(i)));
      const { sizes, rows } = await drain(store.sessions.streamSessionRows(10));
      expect(sizes).toEqual([10, 10, 5]);
      expect(rows.map((r) => r[1])).toEqual(Array.from({ length: 25 }, (_, i) => session(i).cartKey));
      const ids = rows.map((r) => r[0]);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(rows[0]).toEqual([ids[0], 'k00000', 'cocart', T0, T0 + 7 * DAY, 'Ada Lovelace', '']);
      expect((await drain(store.sessions.streamSessionRows(5))).sizes).toEqual([5, 5, 5, 5, 5]);
    });

    it('orders by every column both ways, ties broken by cart_id', async () => {
      await store.sessions.putSessions(Array.from({ length: 40 }, (_, i) => session(i)));
      // Force exact ties on created and expiry.
      await store.sessions.putSessions([
        session(5, { cartCreated: T0 }),
        session(6, { cartCreated: T0, cartExpiry: T0 }),
      ]);
      const rows = await all(store.sessions);
      for (const orderBy of ['cart_id', 'cart_created', 'cart_expiry', 'customers_name'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const got: number[] = [];
          for (let page = 1; page <= 5; page++) {
            const items = await pageOf(store.sessions, { page, perPage: 9, orderBy, order });
            got.push(...items.map((r) => r.cartId));
          }
          expect(got, `${orderBy} ${order}`).toEqual(expectedOrder(rows, { orderBy, order }));
        }
      }
    });

    it('pages: full pages, a partial last page, and nothing past the end', async () => {
      await store.sessions.putSessions(Array.from({ length: 23 }, (_, i) => session(i)));
      const q = { perPage: 10, orderBy: 'cart_id', order: 'asc' } as const;
      expect((await pageOf(store.sessions, { ...q, page: 1 })).map((r) => r.cartKey)).toEqual(
        Array.from({ length: 10 }, (_, i) => session(i).cartKey),
      );
      expect((await pageOf(store.sessions, { ...q, page: 3 })).map((r) => r.cartKey)).toEqual([
        'k00020',
        'k00021',
        'k00022',
      ]);
      expect(await pageOf(store.sessions, { ...q, page: 4 })).toEqual([]);
      expect(await pageOf(store.sessions, { ...q, page: 1000 })).toEqual([]);
      expect(await pageOf(store.sessions, { ...q, page: 23, perPage: 1 })).toHaveLength(1);
      await expect(pageOf(store.sessions, { ...q, page: 0 })).rejects.toBeInstanceOf(StoreInputError);
      await expect(pageOf(store.sessions, { ...q, page: 1, perPage: 0 })).rejects.toBeInstanceOf(
        StoreInputError,
      );
    });

    it('serves deep pages (past the anchor step) in the same order as shallow ones, also after writes', async () => {
      const count = 2600;
      await store.sessions.putSessions(Array.from({ length: count }, (_, i) => session(i)));
      const check = async (): Promise<void> => {
        const rows = await all(store.sessions, 700);
        // The writes below delete one session and add one, so the count holds.
        expect(rows).toHaveLength(count);
        for (const orderBy of ['cart_id', 'cart_created', 'customers_name'] as const) {
          for (const order of ['asc', 'desc'] as const) {
            const want = expectedOrder(rows, { orderBy, order });
            for (const page of [10, 11, 20, 21, 26]) {
              const items = await pageOf(store.sessions, { page, perPage: 100, orderBy, order });
              expect(
                items.map((r) => r.cartId),
                `${orderBy} ${order} page ${page}`,
              ).toEqual(want.slice((page - 1) * 100, page * 100));
            }
            expect(await pageOf(store.sessions, { page: 27, perPage: 100, orderBy, order })).toEqual([]);
          }
        }
        expect(await store.sessions.countSessions()).toBe(rows.length);
      };
      await check();
      await store.sessions.deleteSession('k01500');
      await store.sessions.putSessions([session(9999, { customerName: 'AAA first' })]);
      await check();
      const filtered = await pageOf(store.sessions, {
        page: 9,
        perPage: 100,
        orderBy: 'cart_created',
        order: 'desc',
        source: 'woocommerce',
      });
      const wooRows = (await all(store.sessions)).filter((r) => r.cartSource === 'woocommerce');
      expect(filtered.map((r) => r.cartId)).toEqual(
        expectedOrder(wooRows, { orderBy: 'cart_created', order: 'desc' }).slice(800, 900),
      );
      expect(await store.sessions.countSessions({ source: 'woocommerce' })).toBe(wooRows.length);
    });

    it('gives the columns of each session as row arrays, shallow and deep, filtered, in batches', async () => {
      await store.sessions.putSessions(Array.from({ length: 1250 }, (_, i) => session(i)));
      const everything = await all(store.sessions);
      const filters = [
        [{}, () => true],
        [{ source: 'cocart' }, (m: SessionMeta) => m.cartSource === 'cocart'],
        [
          { search: 'ada' },
          (m: SessionMeta) =>
            [m.customerName, m.customerEmail, m.cartKey].some((t) => t.toLowerCase().includes('ada')),
        ],
      ] as const;
      for (const orderBy of ['cart_id', 'cart_created', 'customers_name'] as const) {
        for (const [filter, keep] of filters) {
          const matching = everything.filter(keep);
          const byId = new Map(matching.map((m) => [m.cartId, m]));
          const want = expectedOrder(matching, { orderBy, order: 'desc' }).map((id) => toRow(byId.get(id)!));
          for (const page of [1, 2, 11, 12, 13]) {
            const q = { page, perPage: 100, orderBy, order: 'desc', ...filter } as const;
            const rows = await store.sessions.listSessionRows(q);
            expect(rows, `${orderBy} ${JSON.stringify(filter)} page ${page}`).toEqual(
              want.slice((page - 1) * 100, page * 100),
            );
          }
        }
      }
      const { sizes, rows: streamed } = await drain(store.sessions.streamSessionRows(500));
      expect(sizes).toEqual([500, 500, 250]);
      expect(streamed).toEqual(everything.map(toRow));
      expect(streamed[0]).toEqual([
        expect.any(Number),
        'k00000',
        'cocart',
        T0,
        T0 + 7 * DAY,
        'Ada Lovelace',
        '',
      ]);
      await expect(
        store.sessions.listSessionRows({ page: 0, perPage: 10, orderBy: 'cart_id', order: 'asc' }),
      ).rejects.toBeInstanceOf(StoreInputError);
    });

    it('lets a consumer stop the row stream early and keeps answering', async () => {
      await store.sessions.putSessions(Array.from({ length: 30 }, (_, i) => session(i)));
      for await (const batch of store.sessions.streamSessionRows(10)) {
        expect(batch.map((r) => r[1])).toEqual(Array.from({ length: 10 }, (_, i) => session(i).cartKey));
        break;
      }
      expect(await store.sessions.countSessions()).toBe(30);
      expect((await drain(store.sessions.streamSessionRows(10))).rows).toHaveLength(30);
    });

    it('streams whole records by cart_id in batches, each cart text exactly as written', async () => {
      const written = Array.from({ length: 5 }, (_, i) => session(i));
      await store.sessions.putSessions(written);
      const { sizes, rows } = await drain(store.sessions.streamRecords(2));
      expect(sizes).toEqual([2, 2, 1]);
      expect(rows.map((r) => [r.cartKey, r.cartValue, r.cartCreated])).toEqual(
        written.map((w) => [w.cartKey, w.cartValue, w.cartCreated]),
      );
    });

    it('searches name, email and key case-insensitively, with LIKE wildcards taken literally', async () => {
      await store.sessions.putSessions([
        session(1, { cartKey: 'abc123', customerName: 'Sebastien Dumont', customerEmail: 'mail@x.com' }),
        session(2, { cartKey: 'def456', customerName: 'Jane Doe', customerEmail: 'JANE@SHOP.example' }),
        session(3, { cartKey: 'ghi789', customerName: '', customerEmail: '' }),
        session(4, { cartKey: 'x_y', customerName: '100% cotton', customerEmail: '' }),
      ]);
      const keys = async (search: string, source?: string): Promise<string[]> =>
        (
          await pageOf(store.sessions, {
            page: 1,
            perPage: 10,
            orderBy: 'cart_id',
            order: 'asc',
            search,
            ...(source ? { source } : {}),
          })
        ).map((r) => r.cartKey);
      expect(await keys('dumont')).toEqual(['abc123']);
      expect(await keys('shop.EXAMPLE')).toEqual(['def456']);
      expect(await keys('GHI7')).toEqual(['ghi789']);
      expect(await keys('%')).toEqual(['x_y']);
      expect(await keys('_')).toEqual(['x_y']);
      expect(await keys('nobody')).toEqual([]);
      expect(await keys('')).toEqual(['abc123', 'def456', 'ghi789', 'x_y']);
      expect(await store.sessions.countSessions({ search: 'e' })).toBe(2);
      expect(await store.sessions.countSessions({ search: 'JANE' })).toBe(1);
    });

    it('filters by source, alone and with a search', async () => {
      await store.sessions.putSessions([
        session(1, { cartKey: 'a1', cartSource: 'woocommerce', customerName: 'Ann' }),
        session(2, { cartKey: 'a2', cartSource: 'cocart', customerName: 'Ann' }),
        session(3, { cartKey: 'a3', cartSource: 'cocart', customerName: 'Bob' }),
        session(4, { cartKey: 'a4', cartSource: 'custom-app', customerName: 'Ann' }),
      ]);
      const q = { page: 1, perPage: 10, orderBy: 'cart_id', order: 'asc' } as const;
      expect((await pageOf(store.sessions, { ...q, source: 'cocart' })).map((r) => r.cartKey)).toEqual([
        'a2',
        'a3',
      ]);
      expect(
        (await pageOf(store.sessions, { ...q, source: 'cocart', search: 'ann' })).map((r) => r.cartKey),
      ).toEqual(['a2']);
      expect(await store.sessions.countSessions({ source: 'cocart' })).toBe(2);
      expect(await store.sessions.countSessions({ source: 'custom-app' })).toBe(1);
      expect(await store.sessions.countSessions({ source: 'none' })).toBe(0);
      expect(await store.sessions.countSessions({ source: 'cocart', search: 'ann' })).toBe(1);
      expect(await store.sessions.countSessions()).toBe(4);
    });

    it('deletes one session and reports whether it did', async () => {
      await store.sessions.putSessions([session(1), session(2)]);
      expect(await store.sessions.deleteSession('k00001')).toBe(true);
      expect(await store.sessions.deleteSession('k00001')).toBe(false);
      expect(await store.sessions.getCartValue('k00001')).toBeUndefined();
      expect(await store.sessions.countSessions()).toBe(1);
      expect(await store.sessions.getCartValue('k00002')).toBe(session(2).cartValue);
    });

    it('gives true to exactly one of 50 concurrent deletes of one key', async () => {
      await store.sessions.putSessions([session(7)]);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.sessions.deleteSession('k00007')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await recordOf(store.sessions, 'k00007')).toBeUndefined();
    });

    it('creates a session only under a new key, and bumps the change version when it does', async () => {
      await store.sessions.putSessions([session(3)]);
      const v0 = await store.changes.current('sessions');
      expect(await store.sessions.createSession(session(3, { cartValue: '{"taken":true}' }))).toBe(false);
      expect(await store.sessions.getCartValue('k00003')).toBe(session(3).cartValue);
      expect(await store.changes.current('sessions')).toBe(v0);
      expect(await store.sessions.createSession(session(4))).toBe(true);
      expect(await recordOf(store.sessions, 'k00004')).toMatchObject({ cartValue: session(4).cartValue });
      expect(await store.sessions.getSessionRecord('k00004')).toEqual(
        await recordOf(store.sessions, 'k00004'),
      );
      expect(await store.sessions.getSessionRecord('k00099')).toBeUndefined();
      expect(await store.changes.current('sessions')).not.toBe(v0);
    });

    it('changes one session in place: its cart_id kept, nothing written on undefined or a throw', async () => {
      await store.sessions.putSessions([session(5), session(6)]);
      const before = await recordOf(store.sessions, 'k00005');
      expect(await store.sessions.updateSession('nope', () => session(9))).toBeUndefined();
      const v0 = await store.changes.current('sessions');
      expect(await store.sessions.updateSession('k00005', () => undefined)).toEqual(before);
      await expect(
        store.sessions.updateSession('k00005', () => {
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await store.changes.current('sessions')).toBe(v0);
      const written = await store.sessions.updateSession('k00005', (current) => ({
        ...current,
        cartExpiry: current.cartExpiry + 60,
        customerName: 'Changed Name',
        cartValue: '{"changed":true}',
      }));
      expect(written).toMatchObject({
        cartId: before!.cartId,
        cartKey: 'k00005',
        customerName: 'Changed Name',
      });
      expect(await recordOf(store.sessions, 'k00005')).toEqual(written);
      expect(await store.changes.current('sessions')).not.toBe(v0);
      expect(await store.sessions.getCartValue('k00006')).toBe(session(6).cartValue);
    });

    it('of writes asked for at once, fails only a change that throws, and loses none of the others', async () => {
      await store.sessions.putSessions([
        session(10, { cartValue: '{"n":0}' }),
        session(11, { cartValue: '{"n":0}' }),
      ]);
      const bump = (key: string) =>
        store.sessions.updateSession(key, (current) => ({
          ...current,
          cartValue: JSON.stringify({ n: (JSON.parse(current.cartValue) as { n: number }).n + 1 }),
        }));
      const results = await Promise.allSettled([
        bump('k00010'),
        store.sessions.updateSession('k00010', () => {
          throw new Error('refused');
        }),
        store.sessions.createSession(session(12)),
        bump('k00010'),
        store.sessions.createSession(session(11, { cartValue: '{"taken":true}' })),
        bump('k00011'),
        store.sessions.updateSession('k00099', () => session(99)),
      ]);
      expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message))).toEqual([
        'ok',
        'refused',
        'ok',
        'ok',
        'ok',
        'ok',
        'ok',
      ]);
      const value = (i: number) => (results[i] as PromiseFulfilledResult<unknown>).value;
      expect([value(2), value(4), value(6)]).toEqual([true, false, undefined]);
      expect(await store.sessions.getCartValue('k00010')).toBe('{"n":2}');
      expect(await store.sessions.getCartValue('k00011')).toBe('{"n":1}');
      expect(await store.sessions.getCartValue('k00012')).toBe(session(12).cartValue);
      expect(await store.sessions.getSessionRecord('k00099')).toBeUndefined();
    });

    it('loses no update when two connections change one session 40 times at once', async () => {
      const [a, b] = await harness.openPair();
      opened.push(a, b);
      await a.sessions.putSessions([session(8, { cartValue: '{"n":0}' })]);
      const bump = (s: Store) =>
        s.sessions.updateSession('k00008', (current) => ({
          ...current,
          cartValue: JSON.stringify({ n: (JSON.parse(current.cartValue) as { n: number }).n + 1 }),
        }));
      await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 === 0 ? a : b)));
      expect(await b.sessions.getCartValue('k00008')).toBe('{"n":40}');
    });

    it('deletes expired sessions (expiry before now) and counts them', async () => {
      await store.sessions.putSessions([
        session(1, { cartExpiry: 100 }),
        session(2, { cartExpiry: 199 }),
        session(3, { cartExpiry: 200 }),
        session(4, { cartExpiry: 5000 }),
      ]);
      expect(await store.sessions.countSessions()).toBe(4);
      expect(await store.sessions.deleteExpired(200)).toBe(2);
      expect(await store.sessions.deleteExpired(200)).toBe(0);
      expect((await all(store.sessions)).map((r) => r.cartKey)).toEqual(['k00003', 'k00004']);
      expect(await store.sessions.countSessions()).toBe(2);
    });

    it('deletes expired sessions in batches of `limit`, oldest expiry first', async () => {
      await store.sessions.putSessions([
        session(1, { cartExpiry: 150 }),
        session(2, { cartExpiry: 100 }),
        session(3, { cartExpiry: 120 }),
        session(4, { cartExpiry: 5000 }),
      ]);
      expect(await store.sessions.deleteExpired(200, 2)).toBe(2);
      expect((await all(store.sessions)).map((r) => r.cartKey)).toEqual(['k00001', 'k00004']);
      expect(await store.sessions.deleteExpired(200, 2)).toBe(1);
      expect(await store.sessions.deleteExpired(200, 2)).toBe(0);
      expect(await store.sessions.countSessions()).toBe(1);
    });

    it('keeps users: add, find by login or email, update, list, count, remove', async () => {
      expect(await store.accounts.countUsers()).toBe(0);
      const admin = await store.accounts.addUser({
        login: 'admin',
        email: 'Admin@Example.com',
        role: 'administrator',
        passwordHash: 'h1',
      });
      expect(admin).toEqual({
        id: expect.any(Number),
        login: 'admin',
        email: 'Admin@Example.com',
        role: 'administrator',
        passwordHash: 'h1',
      });
      const a = await store.accounts.addUser({ login: 'a', email: '', role: 'customer', passwordHash: 'h2' });
      const b = await store.accounts.addUser({
        login: 'b',
        email: '',
        role: 'shop_manager',
        passwordHash: 'h3',
      });
      expect(await store.accounts.countUsers()).toBe(3);
      expect(await store.accounts.findUser('admin')).toEqual(admin);
      expect(await store.accounts.findUser('admin@example.COM')).toEqual(admin);
      expect(await store.accounts.findUser('')).toBeUndefined();
      expect(await store.accounts.findUser('nobody')).toBeUndefined();
      expect(await store.accounts.findUserById(a.id)).toEqual(a);
      expect(await store.accounts.findUserById(999_999)).toBeUndefined();
      await expect(
        store.accounts.addUser({ login: 'admin', email: '', role: 'customer', passwordHash: 'x' }),
      ).rejects.toBeInstanceOf(StoreInputError);
      await expect(
        store.accounts.addUser({
          login: 'other',
          email: 'admin@example.com',
          role: 'customer',
          passwordHash: 'x',
        }),
      ).rejects.toBeInstanceOf(StoreInputError);
      const updated = await store.accounts.updateUser('a', {
        role: 'shop_manager',
        passwordHash: 'h9',
        email: 'a@x.io',
      });
      expect(updated).toEqual({ ...a, role: 'shop_manager', passwordHash: 'h9', email: 'a@x.io' });
      expect(await store.accounts.updateUser('a', {})).toEqual(updated);
      expect(await store.accounts.updateUser('ghost', { role: 'customer' })).toBeUndefined();
      expect((await store.accounts.listUsers()).map((u) => u.login)).toEqual(['admin', 'a', 'b']);
      // A login beats another user's email that equals it; the email still finds its user otherwise.
      const byLogin = await store.accounts.addUser({
        login: 'a@x.io',
        email: '',
        role: 'customer',
        passwordHash: 'h4',
      });
      expect(await store.accounts.findUser('a@x.io')).toEqual(byLogin);
      expect(await store.accounts.findUser('A@X.io')).toEqual(updated);
      expect(await store.accounts.removeUser('a@x.io')).toBe(true);
      expect(await store.accounts.removeUser('b')).toBe(true);
      expect(await store.accounts.removeUser('b')).toBe(false);
      expect(await store.accounts.findUserById(b.id)).toBeUndefined();
      expect(await store.accounts.countUsers()).toBe(2);
    });

    it('keeps API keys: add, find, list, revoke by hash or unambiguous ending, cascade on user removal', async () => {
      const u = await store.accounts.addUser({
        login: 'mgr',
        email: 'm@x.io',
        role: 'shop_manager',
        passwordHash: 'h',
      });
      const k1 = await store.accounts.addApiKey({
        userId: u.id,
        consumerKeyHash: 'hash-1',
        consumerKeyEnding: 'abc1234',
        secretHash: 's1',
        description: 'first',
      });
      expect(k1).toEqual({
        id: expect.any(Number),
        userId: u.id,
        consumerKeyHash: 'hash-1',
        consumerKeyEnding: 'abc1234',
        secretHash: 's1',
        description: 'first',
        createdAt: expect.any(Number),
      });
      expect(Math.abs(k1.createdAt - Date.now() / 1000)).toBeLessThan(60);
      const k2 = await store.accounts.addApiKey({
        userId: u.id,
        consumerKeyHash: 'hash-2',
        consumerKeyEnding: 'dup0000',
        secretHash: 's2',
        description: '',
      });
      await store.accounts.addApiKey({
        userId: u.id,
        consumerKeyHash: 'hash-3',
        consumerKeyEnding: 'dup0000',
        secretHash: 's3',
        description: '',
      });
      await expect(
        store.accounts.addApiKey({
          userId: u.id,
          consumerKeyHash: 'hash-1',
          consumerKeyEnding: 'x',
          secretHash: 's',
          description: '',
        }),
      ).rejects.toBeInstanceOf(StoreInputError);
      await expect(
        store.accounts.addApiKey({
          userId: 987_654,
          consumerKeyHash: 'hash-9',
          consumerKeyEnding: 'x',
          secretHash: 's',
          description: '',
        }),
      ).rejects.toBeInstanceOf(StoreInputError);
      expect(await store.accounts.findApiKey('hash-1')).toEqual(k1);
      expect(await store.accounts.findApiKey('nope')).toBeUndefined();
      expect((await store.accounts.listApiKeys()).map((k) => k.consumerKeyHash)).toEqual([
        'hash-1',
        'hash-2',
        'hash-3',
      ]);
      expect(await store.accounts.revokeApiKey('abc1234')).toBe(true);
      expect(await store.accounts.findApiKey('hash-1')).toBeUndefined();
      expect(await store.accounts.revokeApiKey('dup0000')).toBe(false);
      expect(await store.accounts.revokeApiKey('hash-2')).toBe(true);
      expect(await store.accounts.findApiKey(k2.consumerKeyHash)).toBeUndefined();
      expect(await store.accounts.revokeApiKey('hash-2')).toBe(false);
      expect(await store.accounts.removeUser('mgr')).toBe(true);
      expect(await store.accounts.listApiKeys()).toEqual([]);
    });

    it('gives the cart as the UTF-8 bytes of its text, and each call its own copy', async () => {
      // Non-ASCII on purpose: bytes, not UTF-16 code units.
      const text = JSON.stringify({ currency: { currency_symbol: '£' }, note: 'Crème brûlée 🍮' });
      await store.sessions.putSessions([session(7001, { cartKey: 'bytes_1', cartValue: text })]);
      const bytes = await store.sessions.getCartBytes('bytes_1');
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes as Uint8Array).equals(Buffer.from(text, 'utf8'))).toBe(true);
      const again = await store.sessions.getCartBytes('bytes_1');
      (bytes as Uint8Array).fill(0);
      expect(Buffer.from(again as Uint8Array).toString('utf8')).toBe(text);
      expect(await store.sessions.getCartBytes('bytes_2')).toBeUndefined();
      expect(await store.sessions.deleteSession('bytes_1')).toBe(true);
      expect(await store.sessions.getCartBytes('bytes_1')).toBeUndefined();
    });

    it('gives a cart with the sessions change version it is at least as new as', async () => {
      const cart = session(7101, { cartKey: 'at_1' });
      await store.sessions.putSessions([cart]);
      const before = await store.changes.current('sessions');
      const [one, missing] = await Promise.all([
        store.sessions.getCartBytesAt('at_1'),
        store.sessions.getCartBytesAt('at_none'),
      ]);
      expect(one.version).toBe(before);
      expect(Buffer.from(one.bytes as Uint8Array).toString('utf8')).toBe(cart.cartValue);
      expect(missing).toEqual({ version: before, bytes: undefined });
      expect(await store.sessions.deleteSession('at_1')).toBe(true);
      const after = await store.sessions.getCartBytesAt('at_1');
      expect(after.bytes).toBeUndefined();
      expect(after.version).not.toBe(before);
      expect(after.version).toBe(await store.changes.current('sessions'));
    });

    it('reads a cart now, where the store can, as getCartBytesAt does, after the writes asked for before', async () => {
      const read = store.sessions.readCartBytesAtNow?.bind(store.sessions);
      // PostgreSQL has no synchronous read: the fast path takes the promise there.
      if (read === undefined) return;
      const cart = session(7201, { cartKey: 'now_1' });
      await store.sessions.putSessions([cart]);
      expect(read('now_1')).toEqual(await store.sessions.getCartBytesAt('now_1'));
      expect(read('now_none')).toEqual(await store.sessions.getCartBytesAt('now_none'));
      // A created cart not committed yet (its batch waits for the turn to end) is read all the same.
      const second = session(7202, { cartKey: 'now_2' });
      const created = store.sessions.createSession(second);
      const now = read('now_2');
      expect(Buffer.from(now.bytes as Uint8Array).toString('utf8')).toBe(second.cartValue);
      expect(await created).toBe(true);
      expect(now.version).toBe(await store.changes.current('sessions'));
      expect(await store.sessions.deleteSession('now_1')).toBe(true);
      expect(await store.sessions.deleteSession('now_2')).toBe(true);
    });

    it('answers concurrent cart look-ups each with its own cart, repeated and missing keys included', async () => {
      await store.sessions.putSessions(Array.from({ length: 40 }, (_, i) => session(i)));
      const keys = Array.from({ length: 150 }, (_, i) =>
        i % 7 === 0 ? `none_${i}` : session(i % 40).cartKey,
      );
      const answers = await Promise.all(keys.map((k) => store.sessions.getCartBytes(k)));
      answers.forEach((bytes, i) => {
        const key = keys[i]!;
        if (key.startsWith('none_')) expect(bytes, key).toBeUndefined();
        else expect(Buffer.from(bytes as Uint8Array).toString('utf8'), key).toBe(session(i % 40).cartValue);
      });
      // Two callers of one key never share a buffer.
      const [a, b] = await Promise.all([
        store.sessions.getCartBytes('k00001'),
        store.sessions.getCartBytes('k00001'),
      ]);
      (a as Uint8Array).fill(0);
      expect(Buffer.from(b as Uint8Array).toString('utf8')).toBe(session(1).cartValue);
    });

    it('throws StoreUnavailableError once closed', async () => {
      const s = await harness.open();
      await s.close();
      await expect(s.sessions.countSessions()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(s.sessions.getCartValue('1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(s.sessions.getCartBytes('1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(s.accounts.findUser('admin')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(s.close()).resolves.toBeUndefined();
    });

    describe('failed-login throttle and leases', () => {
      const rule = { limit: 3, windowMs: 60_000 };
      const T = 1_800_000_000_000;

      it('grants `limit` attempts per address and window, then refuses until the window ends', async () => {
        const t = store.throttle;
        for (let i = 1; i <= 3; i++) {
          expect(await t.reserveAttempt('10.0.0.1', T + i, rule)).toEqual({
            granted: true,
            attempts: i,
            windowStart: T + 1,
            remainingMs: 60_000 - (i - 1),
          });
        }
        const refused = await t.reserveAttempt('10.0.0.1', T + 10, rule);
        expect(refused).toMatchObject({ granted: false, windowStart: T + 1, remainingMs: 59_991 });
        // Another address has its own count.
        expect((await t.reserveAttempt('10.0.0.2', T + 10, rule)).granted).toBe(true);
        expect(await t.blockedAddresses(T + 20, 10)).toEqual([
          { address: '10.0.0.1', blockedUntil: T + 60_001 },
        ]);
        // The window ends: a fresh one starts at 1, unblocked.
        expect(await t.reserveAttempt('10.0.0.1', T + 60_001, rule)).toMatchObject({
          granted: true,
          attempts: 1,
        });
        expect(await t.blockedAddresses(T + 60_002, 10)).toEqual([]);
      });

      it('never grants more than `limit` of concurrent reservations', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.throttle.reserveAttempt('10.0.0.3', T, rule)),
        );
        expect(results.filter((r) => r.granted)).toHaveLength(3);
      });

      it('marks the limit-th attempt blocked only once it failed; a success is given back', async () => {
        const t = store.throttle;
        await t.reserveAttempt('10.0.0.4', T, rule);
        await t.reserveAttempt('10.0.0.4', T, rule);
        const third = await t.reserveAttempt('10.0.0.4', T, rule);
        // Being checked, it may still turn out right: no mark yet.
        expect(await t.blockedAddresses(T, 10)).toEqual([]);
        await t.refundAttempt('10.0.0.4', third.windowStart, rule);
        expect(await t.blockedAddresses(T, 10)).toEqual([]);
        const again = await t.reserveAttempt('10.0.0.4', T, rule);
        expect(again).toMatchObject({ granted: true, attempts: 3 });
        await t.markBlocked('10.0.0.4', again.windowStart, rule);
        expect(await t.blockedAddresses(T, 10)).toEqual([{ address: '10.0.0.4', blockedUntil: T + 60_000 }]);
        // A mark names its window: an older window's failure marks nothing.
        await t.reserveAttempt('10.0.0.6', T, rule);
        await t.markBlocked('10.0.0.6', T - 1, rule);
        await t.markBlocked('10.0.0.6', T, rule); // under the limit: not blocked
        expect(await t.blockedAddresses(T, 10)).toHaveLength(1);
      });

      it('prunes ended windows a batch at a time, and the oldest beyond the cap', async () => {
        const t = store.throttle;
        for (let i = 0; i < 10; i++) await t.reserveAttempt(`10.1.0.${i}`, T + i, rule);
        for (let i = 0; i < 5; i++) await t.reserveAttempt(`10.2.0.${i}`, T + 120_000 + i, rule);
        // 10 ended windows: a batch of 4, then the rest.
        expect(await t.pruneAttempts(T + 120_010, rule, { batch: 4, maxEntries: 100 })).toBe(4);
        expect(await t.pruneAttempts(T + 120_010, rule, { batch: 100, maxEntries: 100 })).toBe(6);
        // 5 live entries, cap 3: the 2 oldest go.
        expect(await t.pruneAttempts(T + 120_010, rule, { batch: 100, maxEntries: 3 })).toBe(2);
        expect((await t.reserveAttempt('10.2.0.0', T + 120_011, rule)).attempts).toBe(1);
        expect((await t.reserveAttempt('10.2.0.4', T + 120_011, rule)).attempts).toBe(2);
      });

      it('hands a lease to one taker until it runs out', async () => {
        const claims = await Promise.all(
          Array.from({ length: 5 }, () => store.leases.claim('cleanup', T, 1000)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.leases.claim('cleanup', T + 999, 1000)).toBe(false);
        expect(await store.leases.claim('other', T + 999, 1000)).toBe(true);
        expect(await store.leases.claim('cleanup', T + 1000, 1000)).toBe(true);
        await store.leases.release('cleanup');
        expect(await store.leases.claim('cleanup', T + 1001, 1000)).toBe(true);
      });
    });
  });
}
