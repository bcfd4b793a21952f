import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { openStore } from '../../src/store/open-store.js';
import {
  basic,
  buildServerCli,
  PG_URL,
  postgresForTests,
  putSmallSessions,
  serveCli,
  tempDatabase,
} from './harness.js';

const API = '/wp-json/cocart/v2';
const reachable = await postgresForTests();

// The SPEC's reason for PostgreSQL: several server processes sharing one database.
describe.runIf(reachable)('two server processes on one PostgreSQL', () => {
  const db = tempDatabase('postgres');
  const children: ChildProcess[] = [];
  let a = '';
  let b = '';
  const headers = { Authorization: basic('admin', 'shared-pw') };

  beforeAll(async () => {
    buildServerCli();
    const store = await openStore(db.url);
    await putSmallSessions(store.sessions, 30);
    await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'shared-pw' });
    await store.close();
    const [first, second] = await Promise.all([serveCli(db.url), serveCli(db.url)]);
    children.push(first.child, second.child);
    a = first.url;
    b = second.url;
  }, 180_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await db.dispose();
  });

  const keysOf = async (base: string) =>
    ((await (await fetch(`${base}${API}/sessions`, { headers })).json()) as Array<{ cart_key: string }>).map(
      (s) => s.cart_key,
    );

  it('serves the same sessions from both, and a delete on one is gone on the other', async () => {
    expect(await keysOf(a)).toHaveLength(30);
    expect(await keysOf(b)).toEqual(await keysOf(a));

    const deleted = await fetch(`${a}${API}/session/k0001`, { method: 'DELETE', headers });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toBe('Cart successfully deleted!');

    const after = await fetch(`${b}${API}/session/k0001`, { headers });
    expect(after.status).toBe(404);
    expect(((await after.json()) as { code: string }).code).toBe('cocart_cart_in_session_not_valid');
    expect(await keysOf(b)).not.toContain('k0001');
  });

  it('gives exactly one 200 to concurrent deletes of one key spread over both processes', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${i % 2 === 0 ? a : b}${API}/session/k0002`, { method: 'DELETE', headers }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 404)).toHaveLength(19);
    expect(await keysOf(a)).toHaveLength(28);
  });
});

if (!reachable) {
  describe('two server processes on one PostgreSQL', () => {
    it.skip(`skipped: PostgreSQL unreachable at ${PG_URL}`, () => {});
  });
}
