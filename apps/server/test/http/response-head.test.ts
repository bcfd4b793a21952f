import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { addUser } from '../../src/auth/accounts.js';
import { defaultConfig } from '../../src/config.js';
import { closeServer, listenAt } from '../../src/http-server.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { basic, fixture, rawExchange, sessionOf, tempDatabase } from './harness.js';

// Issue 20, item 2: one writer of response heads. The cart fast path answers exactly as the routed
// chain does, and answers written before Express carry the same common head.

const ADMIN = { login: 'admin', password: 'pw-response-head' };
const API = '/wp-json/cocart/v2';
const cart = fixture('session-cart.json') as Record<string, unknown>;

/** The SPEC's headers on every answer, and the security headers the routed chain sends. */
const COMMON = {
  'content-type': 'application/json; charset=UTF-8',
  'cocart-version': '4.3.0-reference',
  'cache-control': 'no-cache, must-revalidate, max-age=0, no-store, private',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** One request on its own connection; the whole answer as bytes, read until the server closes. */
function exchange(port: number, head: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.write(head);
  });
}

/** The answer with its Date line blanked (the only line that may differ between two requests). */
const withoutDate = (answer: Buffer) => answer.toString('latin1').replace(/\r\nDate: [^\r]*/, '\r\nDate: -');

const headersOf = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .slice(0, text.indexOf('\r\n\r\n'))
      .split('\r\n')
      .slice(1)
      .map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
  );

describe.each([
  { cors: [] as string[], label: 'without CORS origins' },
  { cors: ['https://shop.example'], label: 'with CORS origins (Vary: Origin)' },
])('GET /session/<key> $label', ({ cors }) => {
  const db = tempDatabase('sqlite');
  let store: Store;
  let server: Server;
  let port: number;
  let routedRequests = 0;

  beforeAll(async () => {
    store = await openStore(db.url);
    await addUser(store.accounts, { login: ADMIN.login, role: 'administrator', password: ADMIN.password });
    await store.sessions.putSessions([sessionOf(cart)]);
    const app = createApp({
      store,
      config: { ...defaultConfig(), corsOrigins: cors },
      clock: () => 1_700_000_000_500,
    });
    // Every request that reaches Express passes the app's router: what does not was answered in front.
    const router = app.router as unknown as { handle: (...args: unknown[]) => unknown };
    const handle = router.handle.bind(router);
    router.handle = (...args: unknown[]) => {
      routedRequests++;
      return handle(...args);
    };
    ({ server } = await listenAt(app, { host: '127.0.0.1', port: 0 }));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await closeServer(server);
    await store.close();
    await db.dispose();
  });

  it('the fast path answers byte for byte as the routed chain (status, headers, body)', async () => {
    const request = (extra: string) =>
      `GET ${API}/session/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic(ADMIN.login, ADMIN.password)}\r\n` +
      `X-Request-Id: req-42\r\nConnection: close\r\n${extra}\r\n`;
    await exchange(port, request('')); // verifies and caches the credentials
    const before = routedRequests;
    // An empty body's Content-Length changes nothing in the answer, but the fast path leaves it to the chain.
    const routed = await exchange(port, request('Content-Length: 0\r\n'));
    expect(routedRequests).toBe(before + 1);
    const fast = await exchange(port, request(''));
    expect(routedRequests).toBe(before + 1);

    expect(withoutDate(fast)).toBe(withoutDate(routed));
    const text = routed.toString('utf8');
    expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    const headers = headersOf(text);
    expect(headers).toMatchObject({ ...COMMON, 'cocart-timestamp': '1700000000', 'x-request-id': 'req-42' });
    expect(headers.vary).toBe(cors.length > 0 ? 'Origin' : undefined);
    // A strong tag (no W/).
    expect(headers.etag).toMatch(/^"[^"]+"$/);
    // The stored cart exactly as the seed gives it.
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual(cart);
  });
});

describe('answers written before Express', () => {
  const db = tempDatabase('sqlite');
  let store: Store;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    store = await openStore(db.url);
    ({ server, url } = await listenAt(createApp({ store, config: defaultConfig() }), {
      host: '127.0.0.1',
      port: 0,
    }));
  });
  afterAll(async () => {
    await closeServer(server);
    await store.close();
    await db.dispose();
  });

  it('a path no route matches gets the envelope with the common head', async () => {
    const { text } = await rawExchange(url, 'GET //a#b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(text.startsWith('HTTP/1.1 404 ')).toBe(true);
    expect(headersOf(text)).toMatchObject(COMMON);
    expect(headersOf(text)['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
      code: 'rest_no_route',
      message: 'No route was found matching the URL and request method.',
      data: { status: 404 },
    });
  });

  it('a request Node cannot parse gets the envelope with the common head', async () => {
    const { text } = await rawExchange(url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(text.startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true);
    const headers = headersOf(text);
    expect(headers).toMatchObject({ ...COMMON, connection: 'close' });
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    expect(Number(headers['content-length'])).toBe(Buffer.byteLength(body));
    expect(JSON.parse(body)).toEqual({
      code: 'rest_invalid_param',
      message: 'The request is not valid HTTP.',
      data: { status: 400 },
    });
  });
});
