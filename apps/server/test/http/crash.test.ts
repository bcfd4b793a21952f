import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { openStore } from '../../src/store/open-store.js';
import { basic, buildServerCli, putSmallSessions, serveCli, serverCli, tempDatabase } from './harness.js';

const API = '/wp-json/cocart/v2';
const SESSIONS = 400;

describe('kill -9 in the middle of deletes (built CLI, SQLite)', () => {
  const db = tempDatabase('sqlite');
  let child: ChildProcess | undefined;

  beforeAll(buildServerCli, 180_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await db.dispose();
  });

  it('keeps the file intact and every answered delete deleted', async () => {
    expect(existsSync(serverCli)).toBe(true);
    const store = await openStore(db.url);
    await putSmallSessions(store.sessions, SESSIONS);
    await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'crash-pw' });
    await store.close();

    const started = await serveCli(db.url);
    child = started.child;
    const headers = { Authorization: basic('admin', 'crash-pw') };
    const answered: string[] = [];
    let next = 1;
    let killed = false;
    const worker = async () => {
      while (next <= SESSIONS) {
        const key = `k${String(next++).padStart(4, '0')}`;
        try {
          const res = await fetch(`${started.url}${API}/session/${key}`, { method: 'DELETE', headers });
          await res.arrayBuffer();
          if (res.status === 200) answered.push(key);
        } catch {
          // Requests in flight when the process dies fail: they were never answered.
        }
        if (!killed && answered.length >= 120) {
          killed = true;
          child!.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(killed).toBe(true);
    await new Promise((r) =>
      child!.exitCode !== null || child!.signalCode !== null ? r(null) : child!.once('exit', r),
    );

    const file = join(db.dir!, 'sessions.sqlite');
    const raw = new DatabaseSync(file);
    expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    raw.close();
    const after = await openStore(db.url);
    try {
      for (const key of answered) expect(await after.sessions.getCartValue(key), key).toBeUndefined();
      expect(await after.sessions.countSessions()).toBeLessThanOrEqual(SESSIONS - answered.length);
    } finally {
      await after.close();
    }
  }, 60_000);
});
