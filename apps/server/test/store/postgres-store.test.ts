import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { StoreUnavailableError } from '../../src/store/store-errors.js';
import { dropSchemas, PG_URL, postgresForTests, randomSchema } from './pg-harness.js';
import { startPgProxy } from './pg-proxy.js';
import { defineStoreContract, session } from './store-contract.js';

const reachable = await postgresForTests();

const schemas: string[] = [];
const url = (schema: string): string => `${PG_URL}?schema=${schema}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!reachable) {
  describe('PostgreSQL store', () => {
    it.skip(`skipped: PostgreSQL unreachable at ${PG_URL}`, () => {});
  });
} else {
  defineStoreContract('postgres', {
    open: () => {
      const schema = randomSchema('contract');
      schemas.push(schema);
      return openStore(url(schema));
    },
    openPair: async () => {
      const schema = randomSchema('pair');
      schemas.push(schema);
      return [await openStore(url(schema)), await openStore(url(schema))];
    },
    dispose: () => dropSchemas(schemas),
  });

  describe('PostgreSQL store specifics', () => {
    it('throws StoreUnavailableError for a closed port', async () => {
      await expect(
        openStore('postgres://postgres@127.0.0.1:1/test', { connectionTimeoutMs: 500 }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('changes a cart from the row as stored, though this process wrote it last and another since', async () => {
      const schema = randomSchema('kept');
      const one = await openStore(url(schema));
      const other = await openStore(url(schema));
      try {
        expect(await one.sessions.createSession(session(1, { customerName: 'one' }))).toBe(true);
        await other.sessions.updateSession('k00001', (c) => ({
          ...c,
          customerName: `${c.customerName}+other`,
        }));
        const appended = await one.sessions.updateSession('k00001', (c) => ({
          ...c,
          customerName: `${c.customerName}+one`,
        }));
        expect(appended?.customerName).toBe('one+other+one');
        // A change that throws on the row this process wrote, but not on the row as stored, succeeds.
        await other.sessions.updateSession('k00001', (c) => ({ ...c, customerEmail: 'b@example.com' }));
        const checked = await one.sessions.updateSession('k00001', (c) => {
          if (c.customerEmail !== 'b@example.com') throw new Error('changed from a stale row');
          return { ...c, cartHash: 'checked' };
        });
        expect(checked).toMatchObject({ customerName: 'one+other+one', cartHash: 'checked' });
        expect(await other.sessions.getSessionRecord('k00001')).toMatchObject({ cartHash: 'checked' });
        // Deleted by the other: unknown here too, though this process kept the row it wrote.
        expect(await other.sessions.deleteSession('k00001')).toBe(true);
        expect(
          await one.sessions.updateSession('k00001', (c) => ({ ...c, cartHash: 'again' })),
        ).toBeUndefined();
        expect(await other.sessions.getSessionRecord('k00001')).toBeUndefined();
      } finally {
        await one.close();
        await other.close();
        await dropSchemas([schema]);
      }
    });

    it('writes the carts created and changed in one turn with one statement of each kind', async () => {
      const schema = randomSchema('batch');
      const store = await openStore(url(schema));
      try {
        for (const i of [1, 2]) expect(await store.sessions.createSession(session(i))).toBe(true);
        const v0 = await store.changes.current('sessions');
        const bumps = async () =>
          Number((await store.changes.current('sessions')).split('.')[1]) - Number(v0.split('.')[1]);
        const writes = await Promise.all([
          store.sessions.createSession(session(3)),
          store.sessions.createSession(session(4)),
          store.sessions.createSession(session(1, { cartValue: '{"taken":true}' })),
          store.sessions.updateSession('k00001', (c) => ({ ...c, cartValue: '{"n":1}' })),
          store.sessions.updateSession('k00002', (c) => ({ ...c, cartValue: '{"n":2}' })),
          // A second change of one cart waits for the next statement, and starts from the first's row.
          store.sessions.updateSession('k00001', (c) => ({ ...c, cartValue: `${c.cartValue}+` })),
        ]);
        expect(writes.map((w) => (typeof w === 'object' ? w?.cartValue : w))).toEqual([
          true,
          true,
          false,
          '{"n":1}',
          '{"n":2}',
          '{"n":1}+',
        ]);
        // Each statement bumps the change version once: one insert, one update, then the second change.
        expect(await bumps()).toBe(3);
        expect(await store.sessions.getCartValue('k00001')).toBe('{"n":1}+');
        expect(await store.sessions.getCartValue('k00003')).toBe(session(3).cartValue);
      } finally {
        await store.close();
        await dropSchemas([schema]);
      }
    });

    it('of cart writes sharing a statement, fails only one the database refuses, and writes the others whole', async () => {
      const schema = randomSchema('batchfail');
      const store = await openStore(url(schema));
      try {
        for (const i of [1, 2, 3]) expect(await store.sessions.createSession(session(i))).toBe(true);
        const before = await store.sessions.getSessionRecord('k00002');
        // PostgreSQL's text holds no NUL character: such a value fails the statement that carries it.
        const refused = 'Nul\u0000Name';
        const results = await Promise.allSettled([
          store.sessions.createSession(session(4)),
          store.sessions.createSession(session(5, { customerName: refused })),
          store.sessions.createSession(session(6)),
          store.sessions.updateSession('k00001', (c) => ({
            ...c,
            customerName: 'One',
            cartValue: '{"n":1}',
          })),
          store.sessions.updateSession('k00002', (c) => ({
            ...c,
            customerName: refused,
            cartValue: '{"n":2}',
          })),
          store.sessions.updateSession('k00003', (c) => ({
            ...c,
            customerName: 'Three',
            cartValue: '{"n":3}',
          })),
        ]);
        expect(results.map((r) => r.status)).toEqual([
          'fulfilled',
          'rejected',
          'fulfilled',
          'fulfilled',
          'rejected',
          'fulfilled',
        ]);
        for (const i of [4, 6]) {
          expect(await store.sessions.getSessionRecord(`k0000${i}`)).toMatchObject(session(i));
        }
        expect(await store.sessions.getSessionRecord('k00005')).toBeUndefined();
        expect(await store.sessions.getSessionRecord('k00001')).toMatchObject({
          customerName: 'One',
          cartValue: '{"n":1}',
        });
        expect(await store.sessions.getSessionRecord('k00003')).toMatchObject({
          customerName: 'Three',
          cartValue: '{"n":3}',
        });
        // The refused change left its row as it was, and the cart can still be changed.
        expect(await store.sessions.getSessionRecord('k00002')).toEqual(before);
        expect(
          await store.sessions.updateSession('k00002', (c) => ({ ...c, cartValue: '{"n":22}' })),
        ).toMatchObject({ cartValue: '{"n":22}' });
        expect(await store.sessions.countSessions()).toBe(5);
      } finally {
        await store.close();
        await dropSchemas([schema]);
      }
    });

    it('compresses the carts it writes with lz4 when the server has it', async () => {
      const schema = randomSchema('lz4');
      const store = await openStore(url(schema));
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await store.sessions.putSessions([
          session(1, { cartValue: JSON.stringify({ pad: 'ab'.repeat(4000) }) }),
        ]);
        const { rows } = await client.query(
          `SELECT (SELECT enumvals::text[] @> '{lz4}' FROM pg_settings WHERE name = 'default_toast_compression') AS has_lz4,
                  pg_column_compression(cart_value) AS method
           FROM "${schema}".cocart_carts`,
        );
        expect(rows[0].method).toBe(rows[0].has_lz4 ? 'lz4' : 'pglz');
        expect(await store.sessions.getCartValue('k00001')).toBe(JSON.stringify({ pad: 'ab'.repeat(4000) }));
      } finally {
        await client.end();
        await store.close();
        await dropSchemas([schema]);
      }
    });

    it('migrates once when several processes open one schema together', async () => {
      const schema = randomSchema('race');
      try {
        const stores = await Promise.all(Array.from({ length: 6 }, () => openStore(url(schema), { max: 2 })));
        await stores[0]!.sessions.putSessions([session(1)]);
        expect(await stores[5]!.sessions.getCartValue('k00001')).toBe(session(1).cartValue);
        await Promise.all(stores.map((s) => s.close()));
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        const { rows } = await client.query(
          `SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`,
        );
        const indexes = await client.query(
          'SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
          [schema, 'cocart_carts'],
        );
        await client.end();
        expect(rows).toEqual([
          { version: 1, name: 'cocart_carts, users, api_keys' },
          { version: 2, name: 'cocart_carts_list covering index' },
          { version: 3, name: 'change_versions: store-wide change counters' },
          { version: 4, name: 'login_throttle and maintenance_leases' },
          { version: 5, name: 'change_version_slots: cart writes bump one of 16 counters' },
          { version: 6, name: 'cocart_carts.cart_value compressed with lz4 where the server has it' },
        ]);
        expect(indexes.rows.map((r) => r.indexname)).toContain('cocart_carts_list');
      } finally {
        await dropSchemas([schema]);
      }
    });

    it('survives its connections being terminated (no crash, reconnects)', async () => {
      const schema = randomSchema('kill');
      try {
        const appName = `cocart_${schema}`;
        const store = await openStore(`${url(schema)}&application_name=${appName}`);
        await store.ping();
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        // Terminate only this store's pooled connections, as a server restart would.
        const { rows } = await admin.query(
          'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1',
          [appName],
        );
        expect(rows.length).toBeGreaterThan(0);
        await admin.end();
        await new Promise((r) => setTimeout(r, 50));
        // The pool drops dead connections and reconnects.
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
      } finally {
        await dropSchemas([schema]);
      }
    });

    it('fails a cart read that outlasts the query timeout with StoreUnavailableError, then reads again', async () => {
      const schema = randomSchema('hung');
      try {
        const store = await openStore(url(schema), { queryTimeoutMs: 300 });
        await store.sessions.putSessions([session(1, { cartKey: 'hung-cart' })]);
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        try {
          // The lock makes every read of the table wait, as a hung server would.
          await admin.query('BEGIN');
          await admin.query(`LOCK TABLE "${schema}".cocart_carts IN ACCESS EXCLUSIVE MODE`);
          const started = performance.now();
          const read = store.sessions.getCartBytesAt('hung-cart');
          await expect(read).rejects.toBeInstanceOf(StoreUnavailableError);
          const waited = performance.now() - started;
          expect(waited).toBeGreaterThanOrEqual(290);
          expect(waited).toBeLessThan(2000);
        } finally {
          await admin.query('ROLLBACK');
          await admin.end();
        }
        const again = await store.sessions.getCartBytesAt('hung-cart');
        expect(again.bytes).toBeDefined();
        await store.close();
      } finally {
        await dropSchemas([schema]);
      }
    });

    it('leaves no backend of its own running once it answered 503 to queries a lock holds', async () => {
      const schema = randomSchema('orphan');
      const appName = `cocart_${schema}`;
      try {
        const store = await openStore(`${url(schema)}&application_name=${appName}`, { queryTimeoutMs: 300 });
        await store.sessions.putSessions([session(1, { cartKey: 'locked-cart' })]);
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        const running = async (): Promise<number> => {
          const { rows } = await admin.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'",
            [appName],
          );
          return rows[0]!.n;
        };
        try {
          await admin.query('BEGIN');
          await admin.query(`LOCK TABLE "${schema}".cocart_carts IN ACCESS EXCLUSIVE MODE`);
          // A cart read (the generic-plan pool, timed by its watchdog) and a filtered page (the other
          // pool, timed by pg's query_timeout).
          const reads = await Promise.allSettled([
            store.sessions.getCartBytesAt('locked-cart'),
            store.sessions.listSessionRows({
              page: 1,
              perPage: 10,
              orderBy: 'customers_name',
              order: 'asc',
              search: 'x',
            }),
          ]);
          for (const read of reads) {
            expect(read.status).toBe('rejected');
            expect((read as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
          }
          // The lock still holds: a statement abandoned by its client alone would wait on it as long.
          const until = performance.now() + 1000;
          while ((await running()) > 0 && performance.now() < until) await sleep(25);
          expect(await running()).toBe(0);
        } finally {
          await admin.query('ROLLBACK');
          await admin.end();
        }
        await store.close();
      } finally {
        await dropSchemas([schema]);
      }
    });

    it('times out a cart read whose connection took longer than a watchdog period to open', async () => {
      const schema = randomSchema('slowopen');
      const proxy = await startPgProxy();
      try {
        // Its watchdog looks every 100 ms.
        const store = await openStore(proxy.url(schema), { queryTimeoutMs: 400 });
        await store.sessions.putSessions([session(1, { cartKey: 'slow-cart' })]);
        // With the pools' connections cut, the read opens a new one: slowly, and then no answer comes.
        proxy.cutAll();
        await sleep(100);
        proxy.connectDelayMs = 300;
        proxy.silenceAfterStartup = true;
        const started = performance.now();
        const outcome = await Promise.race([
          store.sessions.getCartBytesAt('slow-cart').then(
            () => 'answered',
            (e: unknown) => e,
          ),
          sleep(4000).then(() => 'still waiting after 4 s'),
        ]);
        expect(outcome).toBeInstanceOf(StoreUnavailableError);
        // 300 ms to open, the 400 ms timeout, up to 100 ms until the watchdog looks.
        expect(performance.now() - started).toBeLessThan(2000);
        proxy.connectDelayMs = 0;
        proxy.silenceAfterStartup = false;
        expect((await store.sessions.getCartBytesAt('slow-cart')).bytes).toBeDefined();
        await store.close();
      } finally {
        await proxy.close();
        await dropSchemas([schema]);
      }
    });

    it('fails a full-list stream whose read-ahead hangs with StoreUnavailableError, leaving no rejection unhandled', async () => {
      const schema = randomSchema('hungstream');
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const store = await openStore(url(schema), { queryTimeoutMs: 300 });
        await store.sessions.putSessions(Array.from({ length: 100 }, (_, i) => session(i)));
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        const batches: number[] = [];
        try {
          const stream = store.sessions.streamSessionRows(10)[Symbol.asyncIterator]();
          batches.push((await stream.next()).value.length);
          // The batches read ahead arrive; the lock then hangs every later one, as a hung server would.
          await new Promise((r) => setTimeout(r, 200));
          await admin.query('BEGIN');
          await admin.query(`LOCK TABLE "${schema}".cocart_carts IN ACCESS EXCLUSIVE MODE`);
          const rest = (async () => {
            for (;;) {
              const next = await stream.next();
              if (next.done) return;
              batches.push(next.value.length);
            }
          })();
          await expect(rest).rejects.toBeInstanceOf(StoreUnavailableError);
        } finally {
          await admin.query('ROLLBACK');
          await admin.end();
        }
        // The batches read before the lock were delivered, and the stream ended at the hung one.
        expect(batches.length).toBeGreaterThanOrEqual(2);
        expect(batches.length).toBeLessThan(10);
        expect(batches.every((n) => n === 10)).toBe(true);
        // Rejections surface as unhandled after a turn of the event loop.
        await new Promise((r) => setTimeout(r, 100));
        expect(unhandled).toEqual([]);
        await store.close();
      } finally {
        process.off('unhandledRejection', onUnhandled);
        await dropSchemas([schema]);
      }
    });

    it('vacuums the tail of a bulk load when it closes (autovacuum would not)', async () => {
      const schema = randomSchema('tail');
      const visibility = async (): Promise<{ pages: number; allVisible: number }> => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        const { rows } = await client.query(
          `SELECT pg_relation_size(c.oid) / current_setting('block_size')::int AS pages, c.relallvisible AS "allVisible"
             FROM pg_class c WHERE c.oid = $1::regclass`,
          [`"${schema}".cocart_carts`],
        );
        await client.end();
        return { pages: Number(rows[0].pages), allVisible: Number(rows[0].allVisible) };
      };
      try {
        const store = await openStore(url(schema));
        // Loads of 1000 as the seed writes them: the pacing vacuums after 2000 rows, the third is the tail.
        for (let b = 0; b < 3; b++) {
          await store.sessions.putSessions(Array.from({ length: 1000 }, (_, i) => session(b * 1000 + i + 1)));
        }
        const open = await visibility();
        expect(open.allVisible).toBeGreaterThan(0);
        expect(open.allVisible).toBeLessThan(open.pages);
        await store.close();
        const closed = await visibility();
        expect(closed.allVisible).toBe(closed.pages);
      } finally {
        await dropSchemas([schema]);
      }
    });

    it('answers identical page reads that overlap with one query, and reads after a write afresh', async () => {
      const schema = randomSchema('pages');
      try {
        const store = await openStore(url(schema));
        await store.sessions.putSessions(Array.from({ length: 250 }, (_, i) => session(i + 1)));
        for (const q of [
          { page: 2, perPage: 100, orderBy: 'cart_id', order: 'asc' },
          { page: 2, perPage: 100, orderBy: 'customers_name', order: 'desc', search: 'a' },
        ] as const) {
          const [a, b] = await Promise.all([
            store.sessions.listSessionRows(q),
            store.sessions.listSessionRows(q),
          ]);
          expect(b).toBe(a);
          expect(a).toHaveLength(100);
          const gone = a[0]![1];
          expect(await store.sessions.deleteSession(gone)).toBe(true);
          const after = await store.sessions.listSessionRows(q);
          expect(after).not.toBe(a);
          expect(after).toHaveLength(100);
          expect(after.map((r) => r[1])).not.toContain(gone);
        }
        await store.close();
      } finally {
        await dropSchemas([schema]);
      }
    });

    it('rejects an invalid schema name', async () => {
      await expect(openStore(`${PG_URL}?schema=bad;name`)).rejects.toThrow(/schema/);
    });
  });
}
