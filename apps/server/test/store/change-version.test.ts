import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { putSmallSessions } from '../http/harness.js';
import { dropSchemas, PG_URL, postgresForTests, randomSchema } from './pg-harness.js';

const reachable = await postgresForTests();

const dir = mkdtempSync(join(tmpdir(), 'cocart-changes-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (reachable) await dropSchemas(schemas);
});

function databaseUrl(kind: 'sqlite' | 'postgres'): string {
  if (kind === 'sqlite') return `sqlite:${join(dir, `${randomSchema('db')}.sqlite`)}`;
  const schema = randomSchema('changes');
  schemas.push(schema);
  return `${PG_URL}?schema=${schema}`;
}

/** Resolves with the first version `scope`'s subscription hears, or rejects after `ms`. */
function nextChange(store: Store, scope: 'sessions' | 'accounts', ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${scope} change heard within ${ms} ms`));
    }, ms);
    const stop = store.changes.subscribe(scope, (v) => {
      clearTimeout(timer);
      stop();
      resolve(v);
    });
  });
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || reachable)(`the store-wide change version (${kind})`, () => {
    it('moves with every write of its scope, from any connection, and only then', async () => {
      const url = databaseUrl(kind);
      const one = await openStore(url);
      const other = await openStore(url);
      try {
        const v0 = await one.changes.current('sessions');
        expect(v0).toMatch(/^[0-9a-f]{16}\.\d+$/);
        expect(await other.changes.current('sessions')).toBe(v0);
        const accounts0 = await one.changes.current('accounts');

        await putSmallSessions(other.sessions, 3);
        const v1 = await one.changes.current('sessions');
        expect(v1).not.toBe(v0);
        // Sessions and accounts are counted apart.
        expect(await one.changes.current('accounts')).toBe(accounts0);

        // Nothing deleted, nothing missing: no change.
        expect(await other.sessions.deleteExpired(1)).toBe(0);
        expect(await other.sessions.deleteSession('nope')).toBe(false);
        expect(await one.changes.current('sessions')).toBe(v1);

        expect(await other.sessions.deleteSession('k0002')).toBe(true);
        const v2 = await one.changes.current('sessions');
        expect(v2).not.toBe(v1);

        await addUser(other.accounts, { login: 'ann', role: 'shop_manager', password: 'pw-123456789' });
        expect(await one.changes.current('accounts')).not.toBe(accounts0);
        expect(await one.changes.current('sessions')).toBe(v2);
      } finally {
        await one.close();
        await other.close();
      }
    });

    it("tells subscribers of another connection's commits", async () => {
      const url = databaseUrl(kind);
      const listener = await openStore(url);
      const writer = await openStore(url);
      try {
        const before = await listener.changes.current('sessions');
        const heard = nextChange(listener, 'sessions');
        // Let the subscription start (PostgreSQL: LISTEN on its own connection).
        await new Promise((r) => setTimeout(r, 300));
        await putSmallSessions(writer.sessions, 2);
        const version = await heard;
        expect(version).not.toBe(before);
        expect(version).toBe(await writer.changes.current('sessions'));

        const heardAccounts = nextChange(listener, 'accounts');
        await new Promise((r) => setTimeout(r, 300));
        await addUser(writer.accounts, { login: 'bob', role: 'administrator', password: 'pw-123456789' });
        expect(await heardAccounts).toBe(await writer.changes.current('accounts'));
      } finally {
        await listener.close();
        await writer.close();
      }
    });
  });
}

describe.runIf(reachable)('the change version on PostgreSQL under concurrent cart writes', () => {
  it('moves with every write statement, however many write at once, and reads alike from every process', async () => {
    const url = databaseUrl('postgres');
    const store = await openStore(url);
    const other = await openStore(url);
    try {
      await putSmallSessions(store.sessions, 4);
      const number = async () => Number((await other.changes.current('sessions')).split('.')[1]);
      const before = await number();
      // 40 writes from two processes' pools at once: creations and rewrites of four carts.
      const writes = Array.from({ length: 20 }, (_, i) => [
        (i % 2 === 0 ? store : other).sessions.updateSession(`k000${(i % 4) + 1}`, (current) => ({
          ...current,
          customerName: `writer ${i}`,
        })),
        (i % 2 === 0 ? other : store).sessions.createSession({
          cartKey: `new-${i}`,
          cartSource: 'cocart',
          cartCreated: 1_700_000_000,
          cartExpiry: 1_800_000_000,
          cartHash: '',
          customerName: '',
          customerEmail: '',
          cartValue: '{}',
        }),
      ]);
      const results = await Promise.all(writes.flat());
      expect(results.every((r) => r !== undefined && r !== false)).toBe(true);
      // One bump per statement: the writes a process asks for at once share statements (each slot
      // bump still its own row update, none lost), so no more than one per write, and never none.
      const moved = (await number()) - before;
      expect(moved).toBeGreaterThanOrEqual(2);
      expect(moved).toBeLessThanOrEqual(40);
      expect(await store.changes.current('sessions')).toBe(await other.changes.current('sessions'));
    } finally {
      await store.close();
      await other.close();
    }
  });
});

describe.runIf(reachable)('the change version on PostgreSQL when its listening connection fails', () => {
  it('tells subscribers at once, though nothing changed: what the connection missed is unknown', async () => {
    const schema = randomSchema('lost');
    schemas.push(schema);
    const appName = `cocart_${schema}`;
    const store = await openStore(`${PG_URL}?schema=${schema}&application_name=${appName}`);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const heard: string[] = [];
      const stop = store.changes.subscribe('accounts', (v) => heard.push(v));
      const listener = async (): Promise<number | undefined> => {
        const { rows } = await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query = 'LISTEN cocart_changes'",
          [appName],
        );
        return rows[0]?.pid;
      };
      let pid: number | undefined;
      for (let i = 0; i < 100 && pid === undefined; i++) {
        await new Promise((r) => setTimeout(r, 30));
        pid = await listener();
      }
      expect(pid).toBeDefined();
      await new Promise((r) => setTimeout(r, 50));
      expect(heard).toEqual([]);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // Sooner than the reconnection (1 s), which finds no new version to tell.
      const until = performance.now() + 500;
      while (heard.length === 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(heard).toEqual([await store.changes.current('accounts')]);
      stop();
    } finally {
      await admin.end();
      await store.close();
    }
  });
});
