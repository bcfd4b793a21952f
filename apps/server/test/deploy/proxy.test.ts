import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { type RunningServer, startServer } from '../../src/server.js';
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
  freePort,
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
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

  it('shows the nginx location block these tests run nginx with', () => {
    expect(readme).toContain(NGINX_LOCATION);
    expect(readme).toContain('TRUST_PROXY=loopback');
  });

  // Issue 22, item 9: the example served Basic credentials on plain port 80.
  describe.runIf(haveNginx)('its whole nginx site, run as it stands', () => {
    const db = tempDatabase('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'cocart-nginx-tls-'));
    let server: RunningServer;
    let nginx: ChildProcess;
    let httpPort: number;
    let httpsPort: number;

    beforeAll(async () => {
      server = await startServer({
        databaseUrl: db.url,
        admin: { login: 'admin', password: 'right-pw' },
        trustProxy: 'loopback',
      });
      await putSmallSessions(server.store.sessions, 2);
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=shop.example',
          '-keyout',
          join(dir, 'privkey.pem'),
          '-out',
          join(dir, 'fullchain.pem'),
        ],
        { stdio: 'ignore' },
      );
      [httpPort, httpsPort] = [await freePort(), await freePort()];
      const site = /```nginx\n([\s\S]*?)```/
        .exec(readme)![1]!
        .replace('server 127.0.0.1:8080;', `server ${new URL(server.url).host};`)
        .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
        .replace('listen 443 ssl;', `listen 127.0.0.1:${httpsPort} ssl;`)
        .replaceAll('/etc/ssl/cocart-sessions/', `${dir}/`);
      for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
      writeFileSync(
        join(dir, 'nginx.conf'),
        `daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
    access_log off;
${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${join(dir, t)};`).join('\n')}
${site}
}
`,
      );
      nginx = spawn(nginxBinary()!, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
      for (let i = 0; i < 200; i++) {
        try {
          await fetch(`http://127.0.0.1:${httpPort}/`);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }, 60_000);
    afterAll(async () => {
      nginx?.kill('SIGQUIT');
      await server?.close();
      await db.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('port 80 only redirects to https, without passing anything to the server', async () => {
      const res = await fetch(`http://127.0.0.1:${httpPort}${API}/sessions`, {
        headers: right,
        redirect: 'manual',
      });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(`https://127.0.0.1${API}/sessions`);
      expect(res.headers.get('cocart-version')).toBeNull();
    });

    it('serves the API over TLS, with https links from X-Forwarded-Proto', async () => {
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        httpsGet(
          {
            host: '127.0.0.1',
            port: httpsPort,
            path: `${API}/sessions`,
            headers: right,
            rejectUnauthorized: false,
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (c: string) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        ).on('error', reject);
      });
      expect(answer.status).toBe(200);
      const sessions = JSON.parse(answer.text) as Array<{ cart_key: string; link: string }>;
      expect(sessions.map((x) => x.cart_key)).toEqual(['k0001', 'k0002']);
      expect(sessions[0]!.link).toBe(`https://127.0.0.1:${httpsPort}${API}/session/k0001`);
    });
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
