import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { StoreUnavailableError } from '../../src/store/store.js';
import { dropSchemas, PG_URL, postgresReachable, randomSchema } from './pg-harness.js';
import { defineStoreContract, session } from './store-contract.js';

const reachable = await postgresReachable();
if (!reachable && process.env.CI) throw new Error(`PostgreSQL is unreachable at ${PG_URL} (CI is set).`);

const schemas: string[] = [];
const url = (schema: string): string => `${PG_URL}?schema=${schema}`;

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
    dispose: () => dropSchemas(schemas),
  });

  describe('PostgreSQL store specifics', () => {
    it('throws StoreUnavailableError for a closed port', async () => {
      await expect(
        openStore('postgres://postgres@127.0.0.1:1/test', { connectionTimeoutMs: 500 }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
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

    it('rejects an invalid schema name', async () => {
      await expect(openStore(`${PG_URL}?schema=bad;name`)).rejects.toThrow(/schema/);
    });
  });
}
