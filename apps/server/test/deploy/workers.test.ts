import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { openStore } from '../../src/store/open-store.js';
import { basic, buildServerCli, postgresForTests, putSmallSessions, tempDatabase } from '../http/harness.js';
import {
  type Answer,
  RequestError,
  requestFrom,
  type ServedProcess,
  serveProcess,
  waitFor,
} from './deploy-harness.js';

const API = '/wp-json/cocart/v2';
const reachable = await postgresForTests();
const auth = { Authorization: basic('admin', 'admin-pw') };

/** The workers alive now: each logs `listening` with its pid; a dead one is named by the primary. */
const livePids = (output: string): number[] => {
  const lines = output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; pid?: number });
  const dead = new Set(lines.filter((l) => l.msg === 'worker died; starting another').map((l) => l.pid));
  return lines.filter((l) => l.msg === 'listening' && !dead.has(l.pid)).map((l) => l.pid!);
};
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.each([
  ['sqlite', true],
  ['postgres', reachable],
] as const)('serve --workers 2 on %s', (kind, runnable) => {
  const db = tempDatabase(kind);
  let served: ServedProcess | undefined;

  beforeAll(async () => {
    if (!runnable) return;
    buildServerCli();
    const store = await openStore(db.url);
    await putSmallSessions(store.sessions, 400);
    await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'admin-pw' });
    await store.close();
  }, 180_000);

  afterAll(async () => {
    if (served && served.child.exitCode === null) served.child.kill('SIGKILL');
    await db.dispose();
  });

  const start = async (env: Record<string, string> = {}) => {
    served = await serveProcess(db.url, { args: ['--workers', '2', '--log-level', 'info'], env });
    // The workers' own lines may reach the pipe after the primary's banner.
    const output = served.output;
    await waitFor(() => livePids(output()).length === 2);
    return served;
  };

  it.runIf(runnable)(
    'runs two workers on one port; a worker killed with -9 is replaced and logged',
    { timeout: 60_000 },
    async () => {
      const s = await start();
      try {
        const workers = livePids(s.output());
        expect(workers).toHaveLength(2);
        expect(workers.every(alive)).toBe(true);
        const answered = async () => {
          const r = await requestFrom('127.0.0.1', `${s.url}${API}/session/k0001`, { headers: auth });
          return r.status;
        };
        for (let i = 0; i < 6; i++) expect(await answered()).toBe(200);
        process.kill(workers[0]!, 'SIGKILL');
        // Requests keep being answered by the survivor while the replacement starts.
        for (let i = 0; i < 20; i++) expect(await answered()).toBe(200);
        await waitFor(() => s.output().includes('worker replaced') && livePids(s.output()).length === 2);
        const now = livePids(s.output());
        expect(now).not.toContain(workers[0]);
        expect(now.every(alive)).toBe(true);
        expect(alive(workers[0]!)).toBe(false);
        expect(s.output()).toMatch(/"msg":"worker died; starting another".*"signal":"SIGKILL"/);
        for (let i = 0; i < 6; i++) expect(await answered()).toBe(200);
      } finally {
        s.child.kill('SIGTERM');
        expect(await s.exited).toBe(0);
      }
    },
  );

  it.runIf(runnable)(
    'loses no in-flight request to SIGTERM under load, and all workers exit',
    async () => {
      const s = await start();
      const workers = livePids(s.output());
      expect(workers).toHaveLength(2);
      const results: Array<(Answer & { endedAt: number }) | RequestError> = [];
      let stop = false;
      const loop = async () => {
        while (!stop) {
          try {
            const a = await requestFrom('127.0.0.1', `${s.url}${API}/sessions`, { headers: auth });
            results.push({ ...a, endedAt: performance.now() });
          } catch (e) {
            results.push(e as RequestError);
            if ((e as RequestError).code === 'ECONNREFUSED') return;
          }
        }
      };
      const loops = Array.from({ length: 8 }, loop);
      await waitFor(() => results.length >= 40, 30_000);
      const signalledAt = performance.now();
      s.child.kill('SIGTERM');
      const code = await s.exited;
      stop = true;
      await Promise.all(loops);
      expect(code).toBe(0);
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
      const answers = results.filter((r): r is Answer & { endedAt: number } => !(r instanceof RequestError));
      const errors = results.filter((r): r is RequestError => r instanceof RequestError);
      // Refused, or reset before any answer (the port closing over a connection no worker had read
      // yet), is a request that never got in; one cut after its answer started would be a loss.
      expect(errors.filter((e) => e.answered)).toEqual([]);
      for (const e of errors) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(e.code);
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(JSON.parse(a.text)).toHaveLength(400);
      }
      // Requests in flight when SIGTERM arrived were finished, not dropped.
      expect(answers.filter((a) => a.endedAt > signalledAt).length).toBeGreaterThan(0);
    },
    60_000,
  );

  // Issue 22, item 9: workers inherited the whole environment, the administrator's password included.
  it.runIf(runnable && process.platform === 'linux')(
    "gives workers only the environment they use, not the administrator's password",
    async () => {
      const s = await start({
        COCART_ADMIN_USER: 'env-admin',
        COCART_ADMIN_PASSWORD: 'primary-only-secret',
        NODE_OPTIONS: '--max-semi-space-size=16',
        UNRELATED_TOKEN: 'not-for-workers',
        LOG_LEVEL: 'info',
      });
      try {
        for (const pid of livePids(s.output())) {
          const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
          expect(env).toContain('NODE_OPTIONS=--max-semi-space-size=16');
          expect(env).toContain('LOG_LEVEL=info');
          expect(env.some((e) => e.startsWith('PATH='))).toBe(true);
          expect(env.filter((e) => /^(COCART_ADMIN_\w+|UNRELATED_TOKEN)=/.test(e))).toEqual([]);
        }
        // The primary used the password: the administrator it names logs in on every worker.
        const login = { Authorization: basic('env-admin', 'primary-only-secret') };
        for (let i = 0; i < 4; i++) {
          expect(
            (await requestFrom('127.0.0.1', `${s.url}${API}/session/k0001`, { headers: login })).status,
          ).toBe(200);
        }
      } finally {
        s.child.kill('SIGTERM');
        expect(await s.exited).toBe(0);
      }
    },
    60_000,
  );

  // Issue 22, item 1: a burst the kernel accepted just before SIGTERM must be answered in full (on
  // PostgreSQL, 3 to 6 of 20 were reset in 2 of 3 runs: the workers closed the listening socket
  // with connections still in its backlog).
  it.runIf(runnable).each([
    ['--workers 2', ['--workers', '2']],
    ['one process', []],
  ])(
    'answers every request of a burst sent 20 ms before SIGTERM, 5 times in a row (%s)',
    async (_label, args) => {
      for (let run = 1; run <= 5; run++) {
        const s = await serveProcess(db.url, { args: [...args, '--log-level', 'info'] });
        if (args.length > 0) await waitFor(() => livePids(s.output()).length === 2);
        const burst = Array.from({ length: 20 }, (_, i) =>
          requestFrom('127.0.0.1', `${s.url}${API}/session/k${String(i + 1).padStart(4, '0')}`, {
            headers: auth,
          }).then(
            (a) => String(a.status),
            (e: RequestError) => e.message,
          ),
        );
        await new Promise((r) => setTimeout(r, 20));
        s.child.kill('SIGTERM');
        const outcomes = await Promise.all(burst);
        expect({ run, outcomes }).toEqual({ run, outcomes: Array(20).fill('200') });
        expect(await s.exited).toBe(0);
      }
    },
    120_000,
  );

  it.runIf(runnable)(
    'answers /readyz 503 as soon as draining starts, while it still serves during DRAIN_DELAY',
    async () => {
      const s = await start({ DRAIN_DELAY: '2' });
      expect((await requestFrom('127.0.0.1', `${s.url}/readyz`)).status).toBe(200);
      s.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      for (let i = 0; i < 4; i++) {
        const ready = await requestFrom('127.0.0.1', `${s.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(JSON.parse(ready.text).code).toBe('cocart_shutting_down');
        const cart = await requestFrom('127.0.0.1', `${s.url}${API}/session/k0002`, { headers: auth });
        expect(cart.status).toBe(200);
      }
      expect(await s.exited).toBe(0);
    },
    30_000,
  );
});
