import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { StoreUnavailableError } from '../../src/store/store-errors.js';
import { defineStoreContract, session } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'cocart-sqlite-'));
let n = 0;
const nextPath = (): string => join(dir, `nested/db-${++n}.sqlite`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

defineStoreContract('sqlite', {
  open: () => openStore(`sqlite:${nextPath()}`),
  openPair: async () => {
    const path = `sqlite:${nextPath()}`;
    return [await openStore(path), await openStore(path)];
  },
});

describe('SQLite store specifics', () => {
  it('accepts a bare path and sqlite:// form, creates parent directories, records migrations once', async () => {
    const path = join(dir, 'a/b/c/sessions.db');
    const s1 = await openStore(path);
    expect(s1.kind).toBe('sqlite');
    await s1.sessions.putSessions([session(1)]);
    await s1.close();
    const s2 = await openStore(`sqlite://${path}`);
    expect(await s2.sessions.getCartValue('k00001')).toBe(session(1).cartValue);
    await s2.close();
    const db = new DatabaseSync(path);
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'cocart_carts, users, api_keys' },
      { version: 2, name: 'cocart_carts_list covering index' },
      { version: 3, name: 'change_versions: store-wide change counters' },
      { version: 4, name: 'login_throttle and maintenance_leases' },
    ]);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
  });

  it('adds the list index to a database of the first schema, and the full list reads only it', async () => {
    const path = nextPath();
    const s1 = await openStore(path);
    await s1.sessions.putSessions([session(1), session(2)]);
    await s1.close();
    const db = new DatabaseSync(path);
    db.exec('DROP INDEX cocart_carts_list; DELETE FROM schema_migrations WHERE version = 2');
    db.close();
    const s2 = await openStore(path);
    const rows: unknown[] = [];
    for await (const batch of s2.sessions.streamSessionRows()) rows.push(...batch);
    expect(rows).toHaveLength(2);
    await s2.close();
    const check = new DatabaseSync(path);
    const plan = check
      .prepare(
        'EXPLAIN QUERY PLAN SELECT cart_id, cart_key, cart_source, cart_created, cart_expiry, customer_name, ' +
          'customer_email FROM cocart_carts WHERE cart_id > ? ORDER BY cart_id LIMIT ?',
      )
      .all(0, 10)
      .map((r) => (r as { detail: string }).detail);
    expect(plan.join('\n')).toContain('COVERING INDEX cocart_carts_list');
    check.close();
  });

  it('throws StoreUnavailableError for writes while another connection holds BEGIN EXCLUSIVE', async () => {
    const path = nextPath();
    const store = await openStore(path, { busyTimeoutMs: 100 });
    await store.sessions.putSessions([session(1)]);
    const other = new DatabaseSync(path);
    other.exec('BEGIN EXCLUSIVE');
    try {
      await expect(store.sessions.putSessions([session(2)])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.sessions.deleteSession('k00001')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.sessions.deleteExpired(Number.MAX_SAFE_INTEGER)).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.sessions.deleteSession('k00001')).toBe(true);
    await store.close();
  });

  it('commits the cart writes asked for in one turn in one transaction, seen by any call made after them', async () => {
    const path = nextPath();
    const store = await openStore(path);
    await store.sessions.putSessions([session(1, { cartValue: '{"n":0}' })]);
    const other = new DatabaseSync(path);
    const versionOf = () =>
      (
        other.prepare("SELECT version FROM change_versions WHERE scope = 'sessions'").get() as {
          version: number;
        }
      ).version;
    const v0 = versionOf();
    const writes = [
      store.sessions.createSession(session(2)),
      store.sessions.updateSession('k00001', (current) => ({ ...current, cartValue: '{"n":1}' })),
      store.sessions.updateSession('k00001', (current) => ({
        ...current,
        cartValue: current.cartValue === '{"n":1}' ? '{"n":2}' : '{"lost":true}',
      })),
    ];
    // Nothing is committed until this turn of the event loop ends...
    expect(versionOf()).toBe(v0);
    // ...unless a call comes first: it sees every write asked for before it.
    expect(await store.sessions.getCartValue('k00001')).toBe('{"n":2}');
    // One version per row written, all in one commit.
    expect(versionOf()).toBe(v0 + 3);
    expect((await Promise.all(writes)).map((w) => (typeof w === 'object' ? w.cartValue : w))).toEqual([
      true,
      '{"n":1}',
      '{"n":2}',
    ]);
    // Closing right after a write commits it first.
    const last = store.sessions.createSession(session(3));
    await store.close();
    expect(await last).toBe(true);
    expect(other.prepare('SELECT count(*) AS n FROM cocart_carts').get()).toEqual({ n: 3 });
    other.close();
  });

  it('changes a cart from the row as stored, though this connection wrote it last and another since', async () => {
    const path = nextPath();
    const store = await openStore(path);
    const other = new DatabaseSync(path);
    try {
      expect(await store.sessions.createSession(session(1, { customerName: 'one' }))).toBe(true);
      other
        .prepare(
          "UPDATE cocart_carts SET customer_name = customer_name || '+other' WHERE cart_key = 'k00001'",
        )
        .run();
      const appended = await store.sessions.updateSession('k00001', (c) => ({
        ...c,
        customerName: `${c.customerName}+one`,
      }));
      expect(appended?.customerName).toBe('one+other+one');
      // Deleted by the other: unknown here too, though this connection kept the row it wrote.
      other.prepare("DELETE FROM cocart_carts WHERE cart_key = 'k00001'").run();
      expect(
        await store.sessions.updateSession('k00001', (c) => ({ ...c, cartHash: 'again' })),
      ).toBeUndefined();
      // Its own other writes of the row (the Sessions API's, an import's) count too.
      expect(await store.sessions.createSession(session(2, { customerName: 'two' }))).toBe(true);
      await store.sessions.putSessions([session(2, { customerName: 'imported' })]);
      const renamed = await store.sessions.updateSession('k00002', (c) => ({
        ...c,
        cartHash: `${c.customerName}!`,
      }));
      expect(renamed?.cartHash).toBe('imported!');
    } finally {
      other.close();
      await store.close();
    }
  });

  it('changes a cart from the row as stored after a batch that wrote it failed as a whole', async () => {
    const path = nextPath();
    const store = await openStore(path);
    const other = new DatabaseSync(path);
    try {
      // An error that ends the whole transaction: the batch fails, and the writes it had run are undone.
      other.exec(
        "CREATE TRIGGER fail_batch BEFORE UPDATE ON cocart_carts WHEN NEW.customer_name = 'fail' BEGIN SELECT RAISE(ROLLBACK, 'forced'); END",
      );
      for (const i of [1, 2])
        expect(await store.sessions.createSession(session(i, { cartValue: '{"n":0}' }))).toBe(true);
      const results = await Promise.allSettled([
        store.sessions.updateSession('k00001', (c) => ({ ...c, cartValue: '{"n":1}' })),
        store.sessions.updateSession('k00002', (c) => ({ ...c, customerName: 'fail' })),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(await store.sessions.getCartValue('k00001')).toBe('{"n":0}');
      const next = await store.sessions.updateSession('k00001', (c) => ({
        ...c,
        cartValue: `${c.cartValue}+`,
      }));
      expect(next?.cartValue).toBe('{"n":0}+');
      expect(await store.sessions.getCartValue('k00001')).toBe('{"n":0}+');
    } finally {
      other.close();
      await store.close();
    }
  });

  it('fails every cart write of a batch, writing none, while another connection holds the write lock', async () => {
    const path = nextPath();
    const store = await openStore(path, { busyTimeoutMs: 100 });
    await store.sessions.putSessions([session(1)]);
    const other = new DatabaseSync(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const results = await Promise.allSettled([
        store.sessions.createSession(session(2)),
        store.sessions.updateSession('k00001', (current) => ({ ...current, cartValue: '{"changed":true}' })),
      ]);
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
      }
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.sessions.getCartValue('k00001')).toBe(session(1).cartValue);
    expect(await store.sessions.getSessionRecord('k00002')).toBeUndefined();
    expect(await store.sessions.createSession(session(2))).toBe(true);
    await store.close();
  });

  it('throws StoreUnavailableError when opening a file locked by another connection', async () => {
    const path = nextPath();
    const other = new DatabaseSync(path);
    other.exec('BEGIN EXCLUSIVE; CREATE TABLE t (x);');
    try {
      await expect(openStore(path, { busyTimeoutMs: 100 })).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('throws StoreUnavailableError for a path that cannot be a database', async () => {
    await expect(openStore(dir)).rejects.toBeInstanceOf(StoreUnavailableError);
    const notDb = join(dir, 'not-a-db.sqlite');
    writeFileSync(
      notDb,
      'this is not a database file, just text that is long enough to have a header '.repeat(10),
    );
    await expect(openStore(notDb)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
