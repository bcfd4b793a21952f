import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { openStore } from '../../src/store/open-store.js';
import {
  basic,
  buildServerCli,
  PG_URL,
  postgresForTests,
  putSmallSessions,
  tempDatabase,
} from '../http/harness.js';
import {
  NGINX_LOCATION,
  type Nginx,
  nginxBinary,
  requestFrom,
  type ServedProcess,
  serveProcess,
  startNginx,
} from './deploy-harness.js';

const API = '/wp-json/cocart/v2';
const reachable = await postgresForTests();
const haveNginx = nginxBinary() !== undefined;
if (!haveNginx && process.env.CI) throw new Error('nginx is not installed (CI is set): .ci/run installs it.');

const right = { Authorization: basic('admin', 'right-pw') };
const wrong = (i: number) => ({ Authorization: basic('admin', `wrong-${i}`) });
/** The JSON log lines a process printed. */
const logLines = (p: ServedProcess) =>
  p
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.runIf(reachable && haveNginx)(
  'behind nginx, two processes on one PostgreSQL, TRUST_PROXY set',
  () => {
    const db = tempDatabase('postgres');
    const procs: ServedProcess[] = [];
    let nginx: Nginx;

    beforeAll(async () => {
      buildServerCli();
      const store = await openStore(db.url);
      await putSmallSessions(store.sessions, 5);
      await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'right-pw' });
      await store.close();
      // nginx reaches the servers from 127.0.0.1: that one hop is trusted, the clients (127.0.0.5...) are not.
      const env = { TRUST_PROXY: '127.0.0.1' };
      procs.push(
        ...(await Promise.all([
          serveProcess(db.url, { env, args: ['--log-level', 'debug'] }),
          serveProcess(db.url, { env, args: ['--log-level', 'debug'] }),
        ])),
      );
      nginx = await startNginx(procs.map((p) => p.url));
    }, 180_000);

    afterAll(async () => {
      await nginx?.stop();
      for (const p of procs) p.child.kill('SIGKILL');
      await db.dispose();
    });

    it('blocks the eleventh wrong password from 127.0.0.5 across both processes; 127.0.0.6 still logs in', async () => {
      for (let i = 1; i <= 10; i++) {
        const r = await requestFrom('127.0.0.5', `${nginx.url}${API}/sessions`, { headers: wrong(i) });
        expect(r.status, `attempt ${i}`).toBe(401);
        expect(JSON.parse(r.text).code).toBe('cocart_authentication_error');
      }
      const eleventh = await requestFrom('127.0.0.5', `${nginx.url}${API}/sessions`, { headers: wrong(11) });
      expect(eleventh.status).toBe(429);
      expect(JSON.parse(eleventh.text).code).toBe('cocart_too_many_requests');
      expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(290);
      expect(Number(eleventh.headers['retry-after'])).toBeLessThanOrEqual(300);
      // Blocked even with the right password, on either process.
      for (let i = 0; i < 2; i++) {
        const r = await requestFrom('127.0.0.5', `${nginx.url}${API}/sessions`, { headers: right });
        expect(r.status).toBe(429);
      }
      const other = await requestFrom('127.0.0.6', `${nginx.url}${API}/sessions`, { headers: right });
      expect(other.status).toBe(200);
      expect(JSON.parse(other.text)).toHaveLength(5);
      // Cart reads with credentials already verified are answered before Express routes them: there,
      // too, the client is X-Forwarded-For's hop, so 127.0.0.6 reads and the blocked 127.0.0.5 does not.
      for (let i = 0; i < 4; i++) {
        const cart = await requestFrom('127.0.0.6', `${nginx.url}${API}/session/k0001`, { headers: right });
        expect(cart.status, `cart read ${i}`).toBe(200);
        expect(JSON.parse(cart.text).cart_key).toBe('k0001');
        const blockedCart = await requestFrom('127.0.0.5', `${nginx.url}${API}/session/k0001`, {
          headers: right,
        });
        expect(blockedCart.status, `blocked cart read ${i}`).toBe(429);
      }

      // Both processes saw failures (nginx spread them), and logged the client's address, not nginx's.
      for (const p of procs) {
        const failures = logLines(p).filter((l) => l.msg === 'login failed');
        expect(failures.length).toBeGreaterThan(0);
        for (const f of failures) expect(f.ip).toBe('127.0.0.5');
        // Every request line names the client, never nginx's 127.0.0.1.
        const requests = logLines(p).filter((l) => l.msg === 'request' && l.path !== '/healthz');
        expect(requests.length).toBeGreaterThan(0);
        for (const r of requests) expect(['127.0.0.5', '127.0.0.6']).toContain(r.ip);
      }
    });

    it('builds links from X-Forwarded-Proto and X-Forwarded-Host when PUBLIC_URL is unset', async () => {
      const list = await requestFrom('127.0.0.6', `${nginx.url}${API}/sessions`, { headers: right });
      const sessions = JSON.parse(list.text) as Array<{ cart_key: string; link: string }>;
      expect(sessions[0]!.link).toBe(`${nginx.url}${API}/session/${sessions[0]!.cart_key}`);
      const page = await requestFrom('127.0.0.6', `${nginx.url}${API}/sessions?per_page=2&page=2`, {
        headers: right,
      });
      expect(page.headers.link).toBe(
        `<${nginx.url}${API}/sessions?page=1&per_page=2>; rel="prev", <${nginx.url}${API}/sessions?page=3&per_page=2>; rel="next"`,
      );
    });
  },
);

describe("the README's Deploying section", () => {
  it('shows the nginx location block these tests run nginx with', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(NGINX_LOCATION);
    expect(readme).toContain('TRUST_PROXY=loopback');
  });
});

describe('TRUST_PROXY unset: forwarded headers change nothing', () => {
  const db = tempDatabase('sqlite');
  let proc: ServedProcess;

  beforeAll(async () => {
    buildServerCli();
    const store = await openStore(db.url);
    await putSmallSessions(store.sessions, 3);
    await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'right-pw' });
    await store.close();
    proc = await serveProcess(db.url, { args: ['--log-level', 'warn'] });
  }, 180_000);

  afterAll(async () => {
    proc?.child.kill('SIGKILL');
    await db.dispose();
  });

  it('throttles by the socket address whatever X-Forwarded-For a client sends', async () => {
    for (let i = 1; i <= 10; i++) {
      const r = await requestFrom('127.0.0.5', `${proc.url}${API}/sessions`, {
        headers: { ...wrong(i), 'X-Forwarded-For': `10.0.0.${i}` },
      });
      expect(r.status, `attempt ${i}`).toBe(401);
    }
    const blocked = await requestFrom('127.0.0.5', `${proc.url}${API}/sessions`, {
      headers: { ...right, 'X-Forwarded-For': '10.9.9.9' },
    });
    expect(blocked.status).toBe(429);
    // Another client naming the blocked address is not blocked.
    const other = await requestFrom('127.0.0.6', `${proc.url}${API}/sessions`, {
      headers: { ...right, 'X-Forwarded-For': '127.0.0.5' },
    });
    expect(other.status).toBe(200);
    const failures = logLines(proc).filter((l) => l.msg === 'login failed');
    expect(failures).toHaveLength(10);
    for (const f of failures) expect(f.ip).toBe('127.0.0.5');
  });

  it('ignores X-Forwarded-Host and X-Forwarded-Proto in links', async () => {
    const r = await requestFrom('127.0.0.6', `${proc.url}${API}/sessions`, {
      headers: { ...right, 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' },
    });
    const sessions = JSON.parse(r.text) as Array<{ link: string }>;
    expect(sessions[0]!.link.startsWith(`${proc.url}${API}/session/`)).toBe(true);
  });
});

if (!reachable || !haveNginx) {
  describe('behind nginx, two processes on one PostgreSQL, TRUST_PROXY set', () => {
    it.skip(`skipped: ${!reachable ? `PostgreSQL unreachable at ${PG_URL}` : 'nginx not installed'}`, () => {});
  });
}
