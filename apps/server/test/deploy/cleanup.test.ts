import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import {
  buildServerCli,
  fixture,
  postgresForTests,
  putSmallSessions,
  sessionOf,
  tempDatabase,
} from '../http/harness.js';
import { type ServedProcess, serveProcess } from './deploy-harness.js';

const reachable = await postgresForTests();
const cart = fixture('session-cart.json') as Record<string, unknown>;

describe.each([
  ['sqlite', true],
  ['postgres', reachable],
] as const)('the expired-session cleanup of two processes on %s', (kind, runnable) => {
  const db = tempDatabase(kind);
  const procs: ServedProcess[] = [];

  beforeAll(async () => {
    if (!runnable) return;
    buildServerCli();
    const store = await openStore(db.url);
    await putSmallSessions(store.sessions, 4);
    const past = Math.floor(Date.now() / 1000) - 60;
    await store.sessions.putSessions(
      Array.from({ length: 7 }, (_, i) =>
        sessionOf({ ...cart, cart_key: `expired${i}` }, { cartCreated: past - 86_400, cartExpiry: past }),
      ),
    );
    await store.close();
  }, 120_000);

  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await db.dispose();
  });

  it.runIf(runnable)(
    'runs on one process at a time and logs how many sessions it removed',
    async () => {
      const env = { CLEANUP_INTERVAL: '1' };
      procs.push(
        ...(await Promise.all([
          serveProcess(db.url, { env, args: ['--log-level', 'info'] }),
          serveProcess(db.url, { env, args: ['--log-level', 'info'] }),
        ])),
      );
      await new Promise((r) => setTimeout(r, 3500));
      const rounds = procs
        .flatMap((p) => p.output().split('\n'))
        .filter((l) => l.includes('"msg":"expired sessions removed"'))
        .map((l) => JSON.parse(l) as { time: string; removed: number })
        .sort((a, b) => a.time.localeCompare(b.time));
      // The first round removed the seven expired sessions; the later ones found none.
      expect(rounds[0]!.removed).toBe(7);
      expect(rounds.slice(1).every((r) => r.removed === 0)).toBe(true);
      // One round per interval across both processes (each runs its own timer: without the lease
      // there would be two a second); a line is logged after its delete, so gaps vary around 1 s.
      expect(rounds.length).toBeGreaterThanOrEqual(2);
      expect(rounds.length).toBeLessThanOrEqual(5);
      for (let i = 1; i < rounds.length; i++) {
        const gap = Date.parse(rounds[i]!.time) - Date.parse(rounds[i - 1]!.time);
        expect(gap).toBeGreaterThanOrEqual(600);
      }
      const store = await openStore(db.url);
      expect(await store.sessions.countSessions()).toBe(4);
      await store.close();
    },
    60_000,
  );
});
