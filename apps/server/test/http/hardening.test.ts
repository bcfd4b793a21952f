import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKeyOf } from '../../src/auth/client-key.js';
import { CredentialCache } from '../../src/auth/credential-cache.js';
import { ConfigError, parseConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { basic, putSmallSessions, tempDatabase } from './harness.js';

// Issue 22: what a second attacker's afternoon found, each finding a test against the real server.

const ADMIN = { login: 'admin', password: 'pw-hardening' };
const API = '/wp-json/cocart/v2';
const right = { Authorization: basic(ADMIN.login, ADMIN.password) };
const wrong = (i: number) => ({ Authorization: basic(ADMIN.login, `wrong-${i}`) });

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('item 5: IPv6 clients are counted per /64, and TRUST_PROXY=true is refused', () => {
  it('keys an IPv4 address as itself and an IPv6 address as its /64', () => {
    expect(clientKeyOf('192.0.2.7')).toBe('192.0.2.7');
    expect(clientKeyOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientKeyOf('2001:db8:0:1:a:b:c:d')).toBe('2001:db8:0:1::/64');
    expect(clientKeyOf('2001:DB8:0000:0001::ffff')).toBe('2001:db8:0:1::/64');
    expect(clientKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(clientKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKeyOf('2001:db8:0:1::192.0.2.1')).toBe('2001:db8:0:1::/64');
    expect(clientKeyOf('2001:db8:0:2::1')).not.toBe(clientKeyOf('2001:db8:0:1::1'));
  });

  it('refuses TRUST_PROXY=true, naming the safe values', () => {
    const [problem] = problemsOf(() => parseConfig({ env: { TRUST_PROXY: 'true' } }));
    expect(problem).toMatch(/^TRUST_PROXY: true trusts every hop/);
    expect(problem).toMatch(/loopback/);
    expect(problem).toMatch(/hop count/);
    expect(problemsOf(() => parseConfig({ flags: { 'trust-proxy': 'true' } }))[0]).toMatch(
      /^--trust-proxy: /,
    );
  });

  describe('behind a trusted proxy (TRUST_PROXY=loopback)', () => {
    const db = tempDatabase('sqlite');
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ databaseUrl: db.url, admin: ADMIN, trustProxy: 'loopback' });
      await putSmallSessions(server.store.sessions, 1);
    });
    afterAll(async () => {
      await server?.close();
      await db.dispose();
    });
    const as = (client: string, headers: Record<string, string>) =>
      fetch(`${server.url}${API}/session/k0001`, { headers: { ...headers, 'X-Forwarded-For': client } });

    it('blocks a /64 after 10 failures from 10 of its addresses, and no other /64', async () => {
      for (let i = 1; i <= 10; i++)
        expect((await as(`2001:db8:0:1::${i.toString(16)}`, wrong(i))).status).toBe(401);
      const rotated = await as('2001:db8:0:1:ffff:ffff:ffff:fffe', right);
      expect(rotated.status).toBe(429);
      expect(Number(rotated.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await as('2001:db8:0:2::1', right)).status).toBe(200);
    });
  });
});

describe('item 6: logins waiting for a hash are bounded', () => {
  const db = tempDatabase('sqlite');
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ databaseUrl: db.url, admin: ADMIN, trustProxy: 'loopback', hashQueue: 16 });
    await putSmallSessions(server.store.sessions, 1);
  });
  afterAll(async () => {
    await server?.close();
    await db.dispose();
  });

  it("keeps an administrator's first login under 1 s while 400 wrong logins from 400 addresses are in flight", async () => {
    const { port } = new URL(server.url);
    // 400 connections first, then every request at once: the flood arrives within milliseconds.
    const sockets = await Promise.all(
      Array.from(
        { length: 400 },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect(Number(port), '127.0.0.1', () => resolve(s)).on('error', reject);
          }),
      ),
    );
    const answers = sockets.map(
      (socket, i) =>
        new Promise<{ status: number; text: string }>((resolve) => {
          let text = '';
          socket.setEncoding('utf8').on('data', (c: string) => {
            text += c;
          });
          socket.on('close', () => resolve({ status: Number(text.slice(9, 12)), text }));
          socket.write(
            `GET ${API}/session/k0001 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
              `Authorization: ${wrong(i).Authorization}\r\nX-Forwarded-For: 10.${i >> 8}.${i & 255}.1\r\n\r\n`,
          );
        }),
    );
    // Past the bound (4 hashing, 16 waiting) the flood is refused at once: once those answers stop
    // coming, the flood has reached the server, and the administrator logs in with the rest of it
    // in flight. Before the bound, it waited behind every one of them (400 hashes, 4 at a time).
    let refused = 0;
    for (const a of answers) void a.then((r) => (refused += r.status === 503 ? 1 : 0));
    for (let seen = -1; refused < 250 || refused !== seen; ) {
      seen = refused;
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = performance.now();
    const admin = await fetch(`${server.url}${API}/session/k0001`, {
      headers: { ...right, 'X-Forwarded-For': '192.0.2.200' },
    });
    const ms = performance.now() - started;
    expect(admin.status).toBe(200);
    expect(ms).toBeLessThan(1000);
    const all = await Promise.all(answers);
    expect(all.every((a) => a.status === 401 || a.status === 503)).toBe(true);
    const busy = all.find((a) => a.status === 503)!.text;
    expect(busy).toMatch(/\r\nRetry-After: 1\r\n/);
    expect(JSON.parse(busy.slice(busy.indexOf('\r\n\r\n') + 4))).toEqual({
      code: 'cocart_logins_busy',
      message: 'Too many logins are waiting to be checked. Try again shortly.',
      data: { status: 503, retry_after: 1 },
    });
  }, 60_000);
});

describe('item 9: the public URL is stored parsed and normalised', () => {
  it('percent-encodes a non-ASCII path and drops the trailing slash', () => {
    expect(parseConfig({ env: { PUBLIC_URL: 'https://shop.example/中/' } }).publicUrl).toBe(
      'https://shop.example/%E4%B8%AD',
    );
  });

  it.each([
    ['https://user:secret@shop.example', 'credentials'],
    ['https://shop.example/?a=1', 'a query'],
    ['https://shop.example/#top', 'a fragment'],
  ])('refuses %s (%s)', (url, what) => {
    expect(problemsOf(() => parseConfig({ flags: { 'public-url': url } }))).toEqual([
      expect.stringMatching(new RegExp(`^--public-url: must be a base URL without ${what}`)),
    ]);
  });

  describe('served', () => {
    const db = tempDatabase('sqlite');
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ databaseUrl: db.url, admin: ADMIN, publicUrl: 'https://shop.example/中' });
      await putSmallSessions(server.store.sessions, 3);
    });
    afterAll(async () => {
      await server?.close();
      await db.dispose();
    });

    it('answers a paged list with a Link header under that URL (it answered 500)', async () => {
      const res = await fetch(`${server.url}${API}/sessions?per_page=1&page=2`, { headers: right });
      expect(res.status).toBe(200);
      expect(res.headers.get('link')).toBe(
        '<https://shop.example/%E4%B8%AD/wp-json/cocart/v2/sessions?page=1&per_page=1>; rel="prev", ' +
          '<https://shop.example/%E4%B8%AD/wp-json/cocart/v2/sessions?page=3&per_page=1>; rel="next"',
      );
      const [session] = (await res.json()) as Array<{ link: string }>;
      expect(session?.link).toBe('https://shop.example/%E4%B8%AD/wp-json/cocart/v2/session/k0002');
    });
  });
});

describe('item 9: the credential cache keys are keyed hashes', () => {
  it('keys the same credential differently in two processes, and never as its plain SHA-256', async () => {
    const { createHash } = await import('node:crypto');
    const text = `127.0.0.1\n${right.Authorization}`;
    const a = new CredentialCache().keyOf(text);
    const b = new CredentialCache().keyOf(text);
    expect(a).not.toBe(b);
    expect(a).not.toBe(createHash('sha256').update(text).digest('base64'));
    expect(a).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe('item 9: open connections are bounded, in total and per client', () => {
  const db = tempDatabase('sqlite');
  let server: RunningServer;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = await startServer({
      databaseUrl: db.url,
      admin: ADMIN,
      maxConnections: 6,
      maxConnectionsPerClient: 3,
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await server?.close();
    await db.dispose();
  });

  /** An idle connection from `from`; what the server writes on it, and whether it was closed. */
  function open(from: string): Promise<{ text: () => string; closed: Promise<void> }> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = connect({ port: Number(port), host: '127.0.0.1', localAddress: from });
      sockets.push(socket);
      let text = '';
      socket.setEncoding('utf8').on('data', (c: string) => {
        text += c;
      });
      socket.on('error', () => {});
      const closed = new Promise<void>((r) => socket.on('close', () => r()));
      socket.on('connect', () => resolve({ text: () => text, closed }));
      socket.on('error', reject);
    });
  }
  const settle = () => new Promise((r) => setTimeout(r, 100));

  it('answers a client past its limit 429 and closes, while another client still connects', async () => {
    const held = await Promise.all([1, 2, 3].map(() => open('127.0.0.11')));
    const fourth = await open('127.0.0.11');
    await fourth.closed;
    expect(fourth.text()).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(fourth.text()).toMatch(/\r\nRetry-After: 1\r\n/);
    expect(JSON.parse(fourth.text().slice(fourth.text().indexOf('\r\n\r\n') + 4))).toEqual({
      code: 'cocart_too_many_connections',
      message: 'Too many open connections from this client.',
      data: { status: 429, max_connections: 3 },
    });
    await settle();
    for (const h of held) expect(h.text()).toBe('');
    const other = await fetch(`${server.url}/healthz`);
    expect(other.status).toBe(200);
  });

  it('closes connections past the total as they arrive', async () => {
    // 3 are held by 127.0.0.11 (above); 3 more from other clients reach the total of 6.
    await Promise.all(['127.0.0.12', '127.0.0.13', '127.0.0.14'].map(open));
    const past = await open('127.0.0.15');
    await past.closed;
    expect(past.text()).toBe('');
  });
});
