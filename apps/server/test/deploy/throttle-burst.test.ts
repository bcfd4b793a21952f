import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { openStore } from '../../src/store/open-store.js';
import { basic, buildServerCli, postgresForTests, putSmallSessions, tempDatabase } from '../http/harness.js';
import { requestFrom, type ServedProcess, serveProcess } from './deploy-harness.js';

const API = '/wp-json/cocart/v2';

/**
 * A client in its own process, from 127.0.0.6: started now, it sends its request on `go()` and
 * reports the status and how long the answer took.
 */
function otherClient(
  url: string,
  authorization: string,
): { ready: Promise<void>; go: () => void; answer: Promise<{ status: number; ms: number }> } {
  const script = `
    const http = require('node:http');
    process.stdin.once('data', () => {
      const t = performance.now();
      const agent = new http.Agent({ localAddress: '127.0.0.6' });
      http.get(process.argv[1], { agent, headers: { authorization: process.argv[2] } }, (res) => {
        res.resume();
        res.on('end', () => { process.stdout.write(JSON.stringify({ status: res.statusCode, ms: performance.now() - t })); process.exit(0); });
      }).on('error', (e) => { process.stdout.write(JSON.stringify({ status: 0, ms: -1, error: e.message })); process.exit(0); });
    });
    process.stdout.write('ready');
  `;
  const child = spawn(process.execPath, ['-e', script, url, authorization], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.startsWith('ready')) resolve();
    });
  });
  const answer = new Promise<{ status: number; ms: number }>((resolve) => {
    child.on('exit', () => resolve(JSON.parse(out.slice('ready'.length)) as { status: number; ms: number }));
  });
  return { ready, go: () => void child.stdin.write('go\n'), answer };
}
const reachable = await postgresForTests();

describe.each([
  ['sqlite', true],
  ['postgres', reachable],
] as const)('a burst of guesses on two processes sharing %s', (kind, runnable) => {
  const db = tempDatabase(kind);
  const procs: ServedProcess[] = [];

  beforeAll(async () => {
    if (!runnable) return;
    buildServerCli();
    const store = await openStore(db.url);
    await putSmallSessions(store.sessions, 3);
    await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'right-pw' });
    // Never logged in before the burst: its login needs a hash, like the 0.06 s idle figure.
    await addUser(store.accounts, { login: 'bystander', role: 'shop_manager', password: 'bystander-pw' });
    await store.close();
    procs.push(...(await Promise.all([serveProcess(db.url), serveProcess(db.url)])));
  }, 180_000);

  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await db.dispose();
  });

  it.runIf(runnable)(
    'checks at most 10 of 200 concurrent guesses, refuses the right one with 429, and lets another address in under 0.5 s',
    async () => {
      const target = (i: number) => `${procs[i % 2]!.url}${API}/sessions`;
      // Each process has served logins and a smaller burst before, as a running server has.
      for (let i = 0; i < 2; i++) {
        const warm = await requestFrom('127.0.0.7', target(i), {
          headers: { Authorization: basic('admin', 'right-pw') },
        });
        expect(warm.status).toBe(200);
      }
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          requestFrom('127.0.0.8', target(i), { headers: { Authorization: basic('admin', `warm-${i}`) } }),
        ),
      );
      // The other client is its own process, as another machine would be: timed by a test
      // process busy with 200 answers, its login would include that process's own queueing.
      const bystander = otherClient(target(0), basic('bystander', 'bystander-pw'));
      await bystander.ready;
      let firstRefusal: () => void = () => {};
      const refused = new Promise<void>((r) => {
        firstRefusal = r;
      });
      const guesses = Array.from({ length: 199 }, (_, i) =>
        requestFrom('127.0.0.5', target(i), {
          headers: { Authorization: basic('admin', `guess-${i}`) },
        }).then((a) => {
          if (a.status === 429) firstRefusal();
          return a;
        }),
      );
      // The right password goes last, while the burst is still in flight (reservations reach the
      // database in no fixed order, so "last" is only certain once one guess has been refused).
      const last = refused.then(() =>
        requestFrom('127.0.0.5', target(199), { headers: { Authorization: basic('admin', 'right-pw') } }),
      );
      await new Promise((r) => setTimeout(r, 30));
      bystander.go();
      const answers = await Promise.all([...guesses, last]);
      const lastAnswer = answers[199]!;
      const checked = answers.filter((a) => a.status === 401).length;
      expect(checked).toBeLessThanOrEqual(10);
      const others = answers.filter((a) => a.status !== 401 && a.status !== 429);
      expect(others.map((a) => `${a.status} ${a.text}`)).toEqual([]);
      expect(lastAnswer.status).toBe(429);
      expect(Number(lastAnswer.headers['retry-after'])).toBeGreaterThan(0);
      const other = await bystander.answer;
      expect(other.status).toBe(200);
      expect(other.ms).toBeLessThan(500);
    },
    60_000,
  );

  it.runIf(runnable)(
    'refuses the right password from an address at its limit, also on the process that verified it for another address',
    async () => {
      const url = (i: number) => `${procs[i]!.url}${API}/sessions`;
      const right = { headers: { Authorization: basic('admin', 'right-pw') } };
      // Process 0 has verified (and remembers) these credentials, for another client.
      expect((await requestFrom('127.0.0.9', url(0), right)).status).toBe(200);
      // Ten failures from 127.0.0.10, all on process 1: process 0 has not seen any of them.
      for (let i = 0; i < 10; i++) {
        const wrong = { headers: { Authorization: basic('admin', `wrong-${i}`) } };
        expect((await requestFrom('127.0.0.10', url(1), wrong)).status).toBe(401);
      }
      const answer = await requestFrom('127.0.0.10', url(0), right);
      expect(answer.status).toBe(429);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      // The client it was verified for is not affected.
      expect((await requestFrom('127.0.0.9', url(0), right)).status).toBe(200);
    },
    30_000,
  );
});
