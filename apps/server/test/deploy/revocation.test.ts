import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiKey, revokeApiKey } from '../../src/auth/accounts.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { basic, buildServerCli, postgresForTests, putSmallSessions, tempDatabase } from '../http/harness.js';
import { dropSchemas, PG_URL, randomSchema } from '../store/pg-harness.js';
import { type PgProxy, startPgProxy } from '../store/pg-proxy.js';
import { runCliProcess, type ServedProcess, serveProcess } from './deploy-harness.js';

const API = '/wp-json/cocart/v2';
const reachable = await postgresForTests();

/** Milliseconds until `check` holds on every URL (polled every 25 ms), or Infinity after 5 s. */
async function msUntil(urls: string[], check: (url: string) => Promise<boolean>): Promise<number> {
  const started = performance.now();
  const pending = new Set(urls);
  while (pending.size > 0) {
    if (performance.now() - started > 5000) return Number.POSITIVE_INFINITY;
    for (const url of [...pending]) if (await check(url)) pending.delete(url);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 25));
  }
  return performance.now() - started;
}

const status = async (url: string, headers: Record<string, string>) => {
  const r = await fetch(url, { headers });
  await r.arrayBuffer();
  return r.status;
};

describe.each([
  ['sqlite', true],
  ['postgres', reachable],
] as const)('revocation and freshness across two processes on %s', (kind, runnable) => {
  const db = tempDatabase(kind);
  const procs: ServedProcess[] = [];
  let urls: string[] = [];
  let key: { consumerKey: string; consumerSecret: string };
  const admin = { Authorization: basic('admin', 'admin-pw') };
  const cli = (args: string[], input?: string) =>
    runCliProcess([...args, '--db', db.url], input === undefined ? {} : { input });

  beforeAll(async () => {
    if (!runnable) return;
    buildServerCli();
    const store = await openStore(db.url);
    await putSmallSessions(store.sessions, 12);
    await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'admin-pw' });
    for (const login of ['bob', 'carol', 'dave']) {
      await addUser(store.accounts, { login, role: 'shop_manager', password: `${login}-pw` });
    }
    key = await createApiKey(store.accounts, 'admin');
    await store.close();
    procs.push(...(await Promise.all([serveProcess(db.url), serveProcess(db.url)])));
    urls = procs.map((p) => `${p.url}${API}/session/k0001`);
  }, 180_000);

  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await db.dispose();
  });

  /** Both processes answer `expected` to these credentials now (and have them cached when 200). */
  const warm = async (headers: Record<string, string>, expected = 200) => {
    for (const url of urls) {
      for (let i = 0; i < 3; i++) expect(await status(url, headers)).toBe(expected);
    }
  };

  it.runIf(runnable)('refuses a revoked key on both processes within 1 s', async () => {
    const asKey = { Authorization: basic(key.consumerKey, key.consumerSecret) };
    await warm(asKey);
    expect(cli(['keys', 'revoke', key.consumerKey]).status).toBe(0);
    expect(await msUntil(urls, async (u) => (await status(u, asKey)) === 401)).toBeLessThan(1000);
  });

  it.runIf(runnable)('refuses a removed user on both processes within 1 s', async () => {
    const bob = { Authorization: basic('bob', 'bob-pw') };
    await warm(bob);
    expect(cli(['users', 'remove', 'bob']).status).toBe(0);
    expect(await msUntil(urls, async (u) => (await status(u, bob)) === 401)).toBeLessThan(1000);
  });

  it.runIf(runnable)(
    'refuses an old password within 1 s of users set-password, and takes the new one',
    async () => {
      const old = { Authorization: basic('carol', 'carol-pw') };
      await warm(old);
      const changed = cli(['users', 'set-password', 'carol'], 'carol-new-pw\n');
      expect(changed.status).toBe(0);
      expect(changed.stdout).toContain('carol');
      expect(await msUntil(urls, async (u) => (await status(u, old)) === 401)).toBeLessThan(1000);
      await warm({ Authorization: basic('carol', 'carol-new-pw') });
      const byFlag = cli(['users', 'set-password', 'carol', '--password', 'third-pw']);
      expect(byFlag.status).toBe(0);
      expect(byFlag.stderr).toMatch(/^Warning: a password given with --password is visible/);
      await new Promise((r) => setTimeout(r, 1000));
      await warm({ Authorization: basic('carol', 'third-pw') });
    },
  );

  it.runIf(runnable)('applies users set-role on both processes within 1 s', async () => {
    const dave = { Authorization: basic('dave', 'dave-pw') };
    await warm(dave);
    expect(cli(['users', 'set-role', 'dave', 'customer']).status).toBe(0);
    expect(await msUntil(urls, async (u) => (await status(u, dave)) === 403)).toBeLessThan(1000);
    const bad = cli(['users', 'set-role', 'dave', 'overlord']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('administrator, shop_manager, customer');
    expect(cli(['users', 'set-role', 'nobody', 'customer']).status).toBe(1);
  });

  it.runIf(runnable)("shows a delete on one process in the other's X-WP-Total within 1 s", async () => {
    const total = async (base: string) => {
      const r = await fetch(`${base}${API}/sessions?per_page=1`, { headers: admin });
      await r.arrayBuffer();
      return Number(r.headers.get('x-wp-total'));
    };
    const [a, b] = procs.map((p) => p.url) as [string, string];
    const before = await total(b);
    expect(before).toBe(12);
    expect(await total(b)).toBe(12); // cached on b now
    const del = await fetch(`${a}${API}/session/k0005`, { method: 'DELETE', headers: admin });
    expect(del.status).toBe(200);
    expect(await msUntil([b], async (u) => (await total(u)) === 11)).toBeLessThan(1000);
  });
});

describe.runIf(reachable)('revocation on PostgreSQL when the LISTEN connection dies unnoticed', () => {
  const schema = randomSchema('deaf');
  const appName = `cocart_${schema}`;
  let proxy: PgProxy;
  let store: Store;
  let served: ServedProcess | undefined;
  let key: { consumerKey: string; consumerSecret: string };

  beforeAll(async () => {
    buildServerCli();
    proxy = await startPgProxy();
    store = await openStore(`${PG_URL}?schema=${schema}`);
    await putSmallSessions(store.sessions, 2);
    await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'admin-pw' });
    key = await createApiKey(store.accounts, 'admin');
    // The server reaches PostgreSQL through the proxy, a NAT the test can make forget a connection.
    served = await serveProcess(proxy.url(schema, { application_name: appName }));
  }, 180_000);

  afterAll(async () => {
    served?.child.kill('SIGKILL');
    await store?.close();
    await proxy?.close();
    await dropSchemas([schema]);
  });

  it('refuses a revoked key within 1.5 s when its listener was killed without a word reaching it', async () => {
    const url = `${served!.url}${API}/session/k0001`;
    const asKey = { Authorization: basic(key.consumerKey, key.consumerSecret) };
    for (let i = 0; i < 3; i++) expect(await status(url, asKey)).toBe(200);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number; port: number }>(
        "SELECT pid, client_port AS port FROM pg_stat_activity WHERE application_name = $1 AND query = 'LISTEN cocart_changes'",
        [appName],
      );
      expect(rows).toHaveLength(1);
      // Nothing reaches the server on that connection any more, not even the news of its end.
      expect(proxy.silence(rows[0]!.port)).toBe(true);
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    } finally {
      await admin.end();
    }
    expect(await status(url, asKey)).toBe(200);
    expect(await revokeApiKey(store.accounts, key.consumerKey)).toBe(true);
    expect(await msUntil([url], async (u) => (await status(u, asKey)) === 401)).toBeLessThan(1500);
  });
});
