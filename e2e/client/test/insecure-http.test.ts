import { inspect } from 'node:util';
import {
  type ClientAuth,
  CoCartApiError,
  CoCartClientError,
  createClient,
  hasErrorCode,
  isInsecureHttp,
} from '@cocart-sessions/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type RealServer, sessionsFor, startRealServer } from './helpers/real-server.js';

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ sessions: sessionsFor(3) });
});
afterAll(() => server.close());

/**
 * A fetch that sends every request, whatever host its URL names, to the real server, and records
 * what it was asked: how a remote store is reached without leaving the machine.
 */
function toRealServer(): { fetch: typeof fetch; seen: Request[] } {
  const seen: Request[] = [];
  const real = new URL(server.url);
  return {
    seen,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      seen.push(request);
      const url = new URL(request.url);
      url.protocol = real.protocol;
      url.host = real.host;
      return fetch(new Request(url, request));
    },
  };
}

const SECRET = 'pa55-w0rd-secret';
const AUTHS: ClientAuth[] = [
  { username: ADMIN.login, password: SECRET },
  { consumerKey: 'ck_0123', consumerSecret: SECRET },
  { consumerKey: 'ck_0123', consumerSecret: SECRET, queryString: true },
  { token: SECRET },
];

describe('credentials over plain HTTP', () => {
  it('are refused for a remote http:// host before any request, saying how to opt in', () => {
    const { fetch, seen } = toRealServer();
    const cases = [
      ...AUTHS.map((auth) => ({ url: 'http://shop.example:8080', auth })),
      // Userinfo in the URL is a login too, and its password must not show in the refusal.
      { url: `http://admin:${SECRET}@shop.example:8080`, auth: undefined },
      { url: 'http://10.0.0.5', auth: AUTHS[0] },
    ];
    for (const { url, auth } of cases) {
      let error: unknown;
      try {
        createClient({ url, auth, fetch, retry: 0 });
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(CoCartClientError);
      expect(hasErrorCode(error, 'insecure_http')).toBe(true);
      const e = error as CoCartClientError;
      expect(e.message).toMatch(
        /^Refusing to send credentials over plain HTTP to (shop\.example:8080|10\.0\.0\.5):/,
      );
      expect(e.message).toContain('allowInsecureHttp: true');
      expect(`${e.message} ${inspect(e)} ${JSON.stringify(e)}`).not.toContain(SECRET);
    }
    expect(seen).toHaveLength(0);
  });

  it('are sent to a remote http:// host with allowInsecureHttp: true', async () => {
    const { fetch, seen } = toRealServer();
    const client = createClient({
      url: 'http://shop.example',
      auth: { username: ADMIN.login, password: ADMIN.password },
      allowInsecureHttp: true,
      fetch,
    });
    expect(await client.sessions.list()).toHaveLength(3);
    expect(seen[0]?.url).toBe('http://shop.example/wp-json/cocart/v2/sessions');
    expect(seen[0]?.headers.get('authorization')).toBe(`Basic ${btoa(`${ADMIN.login}:${ADMIN.password}`)}`);
  });

  it('go to loopback hosts in every spelling without an opt-in', async () => {
    for (const url of [
      server.url,
      'http://localhost:9',
      'http://LOCALHOST',
      'http://127.0.0.2:8080',
      'http://127.1',
      'http://[::1]:8080',
      'http://[0:0:0:0:0:0:0:1]',
    ]) {
      const { fetch, seen } = toRealServer();
      const client = createClient({ url, auth: { username: ADMIN.login, password: ADMIN.password }, fetch });
      expect(await client.sessions.list(), url).toHaveLength(3);
      expect(seen).toHaveLength(1);
    }
  });

  it('need no opt-in when there are none, nor over https://', async () => {
    const { fetch, seen } = toRealServer();
    const anonymous = createClient({ url: 'http://shop.example', fetch, retry: 0 });
    const e = await anonymous.sessions.list().catch((error: unknown) => error);
    expect(e).toBeInstanceOf(CoCartApiError);
    expect((e as CoCartApiError).status).toBe(401);
    expect(seen[0]?.headers.get('authorization')).toBeNull();
    expect(() => createClient({ url: 'https://shop.example', auth: AUTHS[0] })).not.toThrow();
  });

  it('isInsecureHttp tells the URLs that need the opt-in', () => {
    const insecure = [
      'http://shop.example',
      'http://10.0.0.1:8080',
      'http://127.0.0.1.nip.io',
      'http://localhost.evil.example',
      'http://[::2]',
      // IPv4-mapped loopback: rare enough to ask for the opt-in rather than to guess.
      'http://[::ffff:127.0.0.1]',
    ];
    const fine = [
      'https://shop.example',
      'http://localhost',
      'http://127.255.0.9',
      'http://[::1]',
      'not a url',
    ];
    for (const url of insecure) expect(isInsecureHttp(url), url).toBe(true);
    for (const url of fine) expect(isInsecureHttp(url), url).toBe(false);
  });
});
