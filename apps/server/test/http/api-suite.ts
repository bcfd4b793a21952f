import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiKey } from '../../src/auth/accounts.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import { requestFrom, serveProcess } from '../deploy/deploy-harness.js';
import {
  basic,
  buildServerCli,
  fixture,
  putSmallSessions,
  rawRequest,
  sessionOf,
  tempDatabase,
} from './harness.js';

const ADMIN = { login: 'admin', password: 'correct horse battery staple' };
const API = '/wp-json/cocart/v2';
const cart = fixture('session-cart.json') as Record<string, unknown>;
const items = fixture('session-items.json');
const SMALL = 25;

/** What the suite needs of its server: where it listens, the store it serves, how to stop it. */
type SuiteServer = Pick<RunningServer, 'url' | 'store' | 'close'>;

/** `serve --workers N` from the built CLI, with the suite's administrator and CORS origin. */
async function serveWorkers(databaseUrl: string, workers: number): Promise<SuiteServer> {
  buildServerCli();
  const served = await serveProcess(databaseUrl, {
    args: ['--workers', String(workers)],
    env: {
      COCART_ADMIN_USER: ADMIN.login,
      COCART_ADMIN_PASSWORD: ADMIN.password,
      CORS_ORIGINS: 'https://shop.example',
    },
  });
  const store = await openStore(databaseUrl);
  return {
    url: served.url,
    store,
    close: async () => {
      served.child.kill('SIGTERM');
      await served.exited;
      await store.close();
    },
  };
}

/**
 * Every endpoint, status, error code and header of the SPEC, against a real server on `kind`: the
 * embedded one, or with `workers` the CLI's `serve --workers N` (the suite's writes then come from
 * another process, as the CLI's would).
 */
export function defineHttpSuite(kind: 'sqlite' | 'postgres', opts: { workers?: number } = {}): void {
  describe(`HTTP API on ${kind}${opts.workers ? ` with serve --workers ${opts.workers}` : ''}`, () => {
    const db = tempDatabase(kind);
    let srv: SuiteServer;
    let v4: RunningServer;
    let key: { consumerKey: string; consumerSecret: string };
    const auth = { Authorization: basic(ADMIN.login, ADMIN.password) };
    const get = (path: string, headers: Record<string, string> = auth) =>
      fetch(`${srv.url}${path}`, { headers });

    beforeAll(async () => {
      srv = opts.workers
        ? await serveWorkers(db.url, opts.workers)
        : await startServer({
            databaseUrl: db.url,
            port: 0,
            admin: ADMIN,
            corsOrigins: ['https://shop.example'],
          });
      await addUser(srv.store.accounts, {
        login: 'manager',
        role: 'shop_manager',
        email: 'Manager@Example.com',
        password: 'm-pass',
      });
      await addUser(srv.store.accounts, {
        login: 'jane',
        role: 'customer',
        email: 'jane@example.com',
        password: 'j-pass',
      });
      key = await createApiKey(srv.store.accounts, 'admin');
    }, 60_000);

    afterAll(async () => {
      await v4?.close();
      await srv?.close();
      await db.dispose();
    });

    describe('an empty store', () => {
      it('answers 404 cocart_no_carts_in_session to the full list', async () => {
        const res = await get(`${API}/sessions`);
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({
          code: 'cocart_no_carts_in_session',
          message: 'No carts in session!',
          data: { status: 404 },
        });
      });

      it('answers an empty page with X-WP-Total 0 when paginating', async () => {
        const res = await get(`${API}/sessions?per_page=5`);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-wp-total')).toBe('0');
        expect(await res.json()).toEqual([]);
      });
    });

    describe('with the seed cart and small sessions', () => {
      beforeAll(async () => {
        await srv.store.sessions.putSessions([sessionOf(cart)]);
        await putSmallSessions(srv.store.sessions, SMALL);
      });

      it('serves the seed cart back as the exact JSON text it was imported with', async () => {
        const res = await get(`${API}/session/1`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(JSON.stringify(cart));
      });

      it('sends the plugin headers and a strong ETag', async () => {
        const res = await get(`${API}/session/1?thumb=true`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
        expect(res.headers.get('cocart-version')).toMatch(/^\d+\.\d+\.\d+/);
        expect(res.headers.get('cocart-timestamp')).toMatch(/^\d{10}$/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('cache-control')).toBe(
          'no-cache, must-revalidate, max-age=0, no-store, private',
        );
        expect(res.headers.get('x-request-id')).toBeTruthy();
        // Our extension (SPEC): the tag of the store's change version; test/http/etag.test.ts covers it.
        expect(res.headers.get('etag')).toMatch(/^"[^"\s]+"$/);
        expect(res.headers.get('x-powered-by')).toBeNull();
      });

      it('answers a repeated cart request (verified credentials cached) exactly like the first', async () => {
        const headerSet = (res: Response) =>
          [...res.headers.entries()]
            .filter(([name]) => !['date', 'cocart-timestamp', 'x-request-id'].includes(name))
            .sort();
        const first = await get(`${API}/session/1`);
        const firstText = await first.text();
        for (let i = 0; i < 3; i++) {
          const res = await get(`${API}/session/1`, { ...auth, 'X-Request-Id': `again-${i}` });
          expect(res.status).toBe(200);
          expect(await res.text()).toBe(firstText);
          expect(headerSet(res)).toEqual(headerSet(first));
          expect(res.headers.get('x-request-id')).toBe(`again-${i}`);
          expect(res.headers.get('cocart-timestamp')).toMatch(/^\d{10}$/);
          expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(firstText)));
        }
        expect(headerSet(first)).toContainEqual(['vary', 'Origin']);
        // Cached credentials still do not turn a missing cart or a wrong case into an answer.
        expect((await get(`${API}/session/nope`)).status).toBe(404);
        expect((await get(`${API}/session/nope`)).status).toBe(404);
        expect((await get(`/WP-JSON/cocart/v2/session/1`)).status).toBe(200);
        const jane = { Authorization: basic('jane', 'j-pass') };
        expect((await get(`${API}/session/1`, jane)).status).toBe(403);
        expect((await get(`${API}/session/1`, jane)).status).toBe(403);
      });

      it('serves the items keyed by item_key, equal to the seed', async () => {
        const res = await get(`${API}/session/1/items`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual(items);
      });

      it('answers [] for the items of an empty cart', async () => {
        const res = await get(`${API}/session/k0001/items`);
        expect(await res.text()).toBe('[]');
      });

      it('answers 404 cocart_cart_in_session_not_valid for an unknown key', async () => {
        for (const path of [`${API}/session/nope`, `${API}/session/nope/items`]) {
          const res = await get(path);
          expect(res.status).toBe(404);
          expect(await res.json()).toEqual({
            code: 'cocart_cart_in_session_not_valid',
            message: 'Cart in session is not valid!',
            data: { status: 404 },
          });
        }
      });

      it('streams every session in cart_id order with the seed fields', async () => {
        const res = await get(`${API}/sessions`);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-wp-total')).toBeNull();
        const list = (await res.json()) as Array<Record<string, string>>;
        expect(list).toHaveLength(SMALL + 1);
        const ids = list.map((s) => Number(s.cart_id));
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(list[0]).toEqual({
          cart_id: expect.stringMatching(/^\d+$/),
          cart_key: '1',
          customers_name: 'Sebastien Dumont Dumont',
          customers_email: 'mailme@sebastiendumont.com',
          cart_created: '04/23/2021 07:36:59',
          cart_expiry: '04/30/2021 07:36:59',
          cart_source: 'cocart',
          link: `${srv.url}${API}/session/1`,
        });
        expect(Object.keys(list[1]!)).toEqual(Object.keys((fixture('sessions-list.json') as object[])[0]!));
      });

      it('paginates with X-WP-Total, X-WP-TotalPages and Link', async () => {
        const first = await get(`${API}/sessions?per_page=10`);
        expect(first.status).toBe(200);
        expect(first.headers.get('x-wp-total')).toBe(String(SMALL + 1));
        expect(first.headers.get('x-wp-totalpages')).toBe('3');
        expect(first.headers.get('link')).toBe(`<${srv.url}${API}/sessions?page=2&per_page=10>; rel="next"`);
        expect(((await first.json()) as unknown[]).length).toBe(10);

        const middle = await get(`${API}/sessions?page=2&per_page=10&orderby=cart_created&order=desc`);
        const link = middle.headers.get('link') ?? '';
        expect(link).toContain('page=1&per_page=10&orderby=cart_created&order=desc>; rel="prev"');
        expect(link).toContain('page=3&per_page=10&orderby=cart_created&order=desc>; rel="next"');
        const page = (await middle.json()) as Array<{ cart_key: string }>;
        expect(page[0]!.cart_key).toBe('k0015');

        const last = await get(`${API}/sessions?page=3&per_page=10`);
        expect(last.headers.get('link')).not.toContain('rel="next"');
        expect(((await last.json()) as unknown[]).length).toBe(6);

        const past = await get(`${API}/sessions?page=9&per_page=10`);
        expect(past.status).toBe(200);
        expect(await past.json()).toEqual([]);
      });

      it('filters by search and source', async () => {
        const bySearch = await get(`${API}/sessions?search=sebastiendumont`);
        expect(((await bySearch.json()) as Array<{ cart_key: string }>).map((s) => s.cart_key)).toEqual([
          '1',
        ]);
        const bySource = await get(`${API}/sessions?source=woocommerce&per_page=100`);
        expect(bySource.headers.get('x-wp-total')).toBe(String(Math.floor(SMALL / 2)));
      });

      it.each([
        ['per_page=0', 'per_page'],
        ['per_page=101', 'per_page'],
        ['page=0', 'page'],
        ['page=-1', 'page'],
        ['page=abc', 'page'],
        ['orderby=cart_value', 'orderby'],
        ['order=sideways', 'order'],
        ['foo=1', 'foo'],
        ['page=1&page=2', 'page'],
      ])('answers 400 rest_invalid_param for %s', async (query, param) => {
        const res = await get(`${API}/sessions?${query}`);
        expect(res.status).toBe(400);
        const body = (await res.json()) as {
          code: string;
          message: string;
          data: { status: number; params: object };
        };
        expect(body.code).toBe('rest_invalid_param');
        expect(body.data.status).toBe(400);
        expect(Object.keys(body.data.params)).toEqual([param]);
        expect(body.message).toContain(param);
      });

      it('refuses unknown parameters on the cart route too', async () => {
        const res = await get(`${API}/session/1?_fields=items`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { data: { params: object } }).data.params).toHaveProperty('_fields');
      });

      it('accepts the ?rest_route= form', async () => {
        const res = await get(`/?rest_route=/cocart/v2/session/1`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(JSON.stringify(cart));
        const list = await get(`/?rest_route=/cocart/v2/sessions&per_page=2`);
        expect(list.headers.get('x-wp-total')).toBe(String(SMALL + 1));
      });
    });

    describe('access', () => {
      const cannotView = (status: number) => ({
        code: 'cocart_rest_cannot_view',
        message: 'Sorry, you cannot list resources.',
        data: { status },
      });
      const authFailed = {
        code: 'cocart_authentication_error',
        message: 'Authentication failed: invalid credentials.',
        data: { status: 401 },
      };

      it('lets 30 concurrent requests of a user never seen before through: one attempt, not 30', async () => {
        await addUser(srv.store.accounts, { login: 'burst', role: 'administrator', password: 'b-pass' });
        const statuses = await Promise.all(
          Array.from({ length: 30 }, () =>
            get(`${API}/sessions?per_page=1`, { Authorization: basic('burst', 'b-pass') }).then(async (r) => {
              await r.arrayBuffer();
              return r.status;
            }),
          ),
        );
        expect(statuses.filter((s) => s !== 200)).toEqual([]);
      });

      it('answers 401 cocart_rest_cannot_view with WWW-Authenticate without credentials', async () => {
        const res = await get(`${API}/sessions`, {});
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
        expect(await res.json()).toEqual(cannotView(401));
      });

      it('answers 403 to a customer', async () => {
        const res = await get(`${API}/session/1`, { Authorization: basic('jane', 'j-pass') });
        expect(res.status).toBe(403);
        expect(await res.json()).toEqual(cannotView(403));
      });

      it('accepts a shop manager by email (case-insensitive)', async () => {
        const res = await get(`${API}/session/1`, { Authorization: basic('manager@example.com', 'm-pass') });
        expect(res.status).toBe(200);
      });

      it('accepts ck_/cs_ keys as Basic and as query parameters', async () => {
        const asBasic = await get(`${API}/session/1`, {
          Authorization: basic(key.consumerKey, key.consumerSecret),
        });
        expect(asBasic.status).toBe(200);
        const q = `consumer_key=${key.consumerKey}&consumer_secret=${key.consumerSecret}`;
        const asQuery = await get(`${API}/sessions?${q}&per_page=1`, {});
        expect(asQuery.status).toBe(200);
        expect(asQuery.headers.get('link')).not.toContain('consumer_');
      });

      it('gives the same 401 for a wrong password and an unknown user', async () => {
        const wrong = await get(`${API}/sessions`, { Authorization: basic('admin', 'wrong') });
        const unknown = await get(`${API}/sessions`, { Authorization: basic('nobody', 'wrong') });
        const badKey = await get(`${API}/sessions`, { Authorization: basic(key.consumerKey, 'cs_wrong') });
        for (const res of [wrong, unknown, badKey]) {
          expect(res.status).toBe(401);
          expect(await res.json()).toEqual(authFailed);
        }
      });

      it.each([
        ['Basic !!!'],
        [`Basic ${Buffer.from('no-colon').toString('base64')}`],
        ['Bearer'],
        ['Digest username="admin"'],
        ['Basic'],
      ])('answers 401 cocart_authentication_error to the malformed header %s', async (header) => {
        const res = await get(`${API}/session/1`, { Authorization: header });
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual(authFailed);
      });

      it('throttles an address after 10 failures with 429 and Retry-After', async () => {
        // Failures count per client address in the store, for every process on it: this test
        // fails from its own address, so the suite's other requests (from 127.0.0.1) stay welcome.
        const fetchFrom = (base: string, headers: Record<string, string>) =>
          requestFrom('127.0.0.9', `${base}${API}/sessions`, { headers });
        const other = await startServer({ databaseUrl: db.url, port: 0 });
        const from = (headers: Record<string, string>) =>
          requestFrom('127.0.0.9', `${other.url}${API}/sessions`, { headers });
        try {
          const wrong = { Authorization: basic('admin', 'nope') };
          for (let i = 0; i < 10; i++) expect((await from(wrong)).status).toBe(401);
          // The suite's own server learns of the block within a second, even for credentials it
          // has verified before (cached).
          const started = Date.now();
          let fromSrv = await fetchFrom(srv.url, auth);
          while (fromSrv.status !== 429 && Date.now() - started < 1000) {
            await new Promise((r) => setTimeout(r, 50));
            fromSrv = await fetchFrom(srv.url, auth);
          }
          for (const answer of [
            await from(wrong),
            await from(auth),
            fromSrv,
            await fetchFrom(srv.url, wrong),
          ]) {
            expect(answer.status).toBe(429);
            expect(Number(answer.headers['retry-after'])).toBeGreaterThan(200);
            expect((JSON.parse(answer.text) as { code: string }).code).toBe('cocart_too_many_requests');
          }
          // Another address (127.0.0.1) is not affected: its credentials are still checked.
          const mine = await fetch(`${srv.url}${API}/sessions?per_page=1`, { headers: auth });
          expect(mine.status).toBe(200);
        } finally {
          await other.close();
        }
      }, 30_000);
    });

    describe('bad input', () => {
      const noRoute = {
        code: 'rest_no_route',
        message: 'No route was found matching the URL and request method.',
        data: { status: 404 },
      };

      it.each([
        [`${API}/session/${'a'.repeat(43)}`],
        [`${API}/session/%00`],
        [`${API}/session/abc%00def`],
        [`${API}/session/..%2F..%2Fetc%2Fpasswd`],
        [`${API}/session/../../etc/passwd`],
        [`${API}/session/%E0%A4%A`],
        [`${API}/session/a-b`],
        [`${API}/nope`],
        [`${API}`],
        ['/wp-json/other/v1/sessions'],
        ['/'],
      ])('answers 404 rest_no_route for %s', async (path) => {
        const res = await rawRequest(srv.url, { path, headers: auth });
        expect(res.status).toBe(404);
        expect(JSON.parse(res.text)).toEqual(noRoute);
      });

      it('accepts a key of 42 characters (then it is just unknown)', async () => {
        const res = await get(`${API}/session/${'a'.repeat(42)}`);
        expect(((await res.json()) as { code: string }).code).toBe('cocart_cart_in_session_not_valid');
      });

      it('answers 404 rest_no_route to an unknown method', async () => {
        for (const method of ['POST', 'PUT', 'PATCH']) {
          const res = await fetch(`${srv.url}${API}/sessions`, { method, headers: auth });
          expect(res.status).toBe(404);
          expect(await res.json()).toEqual(noRoute);
        }
      });

      it('answers 400 to a body on GET', async () => {
        const res = await rawRequest(srv.url, {
          path: `${API}/sessions`,
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: '{"a":1}',
        });
        expect(res.status).toBe(400);
        expect(JSON.parse(res.text).code).toBe('rest_invalid_param');
      });

      it('answers 413 to a large body', async () => {
        const res = await rawRequest(srv.url, {
          method: 'DELETE',
          path: `${API}/session/k0002`,
          headers: { ...auth, 'Content-Type': 'application/json', 'Content-Length': '100000' },
          body: 'x'.repeat(100_000),
        });
        expect(res.status).toBe(413);
        expect(JSON.parse(res.text)).toMatchObject({
          code: 'cocart_payload_too_large',
          data: { status: 413 },
        });
      });
    });

    describe('CORS, health and documentation', () => {
      it('answers a preflight from an allowed origin', async () => {
        const res = await fetch(`${srv.url}${API}/sessions`, {
          method: 'OPTIONS',
          headers: {
            Origin: 'https://shop.example',
            'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'authorization',
          },
        });
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
        expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
        expect(res.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
      });

      it('exposes the paging headers to an allowed origin and nothing to others', async () => {
        const ok = await get(`${API}/sessions?per_page=1`, { ...auth, Origin: 'https://shop.example' });
        expect(ok.headers.get('access-control-expose-headers')).toMatch(/X-WP-Total, X-WP-TotalPages, Link/);
        const other = await get(`${API}/sessions?per_page=1`, { ...auth, Origin: 'https://evil.example' });
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
      });

      it('answers /healthz and /readyz', async () => {
        expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
        const ready = await fetch(`${srv.url}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ready', store: kind });
      });

      it('serves the OpenAPI 3.1 document', async () => {
        const res = await fetch(`${srv.url}${API}/openapi.json`);
        expect(res.status).toBe(200);
        const doc = (await res.json()) as { openapi: string; paths: object };
        expect(doc.openapi).toBe('3.1.0');
        expect(Object.keys(doc.paths)).toContain(`${API}/session/{cart_key}`);
      });
    });

    describe('the 4.x list format', () => {
      it('answers the CoCart 4.x object without its paging bugs', async () => {
        v4 = await startServer({ databaseUrl: db.url, port: 0, listFormat: 'v4' });
        const all = (await fetch(`${v4.url}${API}/sessions?per_page=100`, { headers: auth }).then((r) =>
          r.json(),
        )) as { sessions: Array<{ cart_key: string; cart_created: string }>; total_sessions: number };
        const total = all.total_sessions;
        expect(total).toBe(SMALL + 1);
        const res = await fetch(`${v4.url}${API}/sessions`, { headers: auth });
        expect(res.status).toBe(200);
        const first = (await res.json()) as Record<string, unknown> & {
          sessions: Array<{ cart_key: string }>;
        };
        expect(first).toMatchObject({ page: 1, total_pages: 3, total_sessions: total });
        expect(first.sessions).toHaveLength(10);
        expect(first.sessions[0]!.cart_key).toBe(`k00${SMALL}`); // newest first (cart_created DESC)
        expect(first.next).toBe(`${v4.url}${API}/sessions?page=2&per_page=10`);
        expect(first).not.toHaveProperty('prev');
        const second = (await fetch(first.next as string, { headers: auth }).then((r) => r.json())) as {
          sessions: Array<{ cart_key: string }>;
        };
        const keys = new Set(first.sessions.map((s) => s.cart_key));
        expect(second.sessions.some((s) => keys.has(s.cart_key))).toBe(false);
        const last = (await fetch(`${v4.url}${API}/sessions?page=3`, { headers: auth }).then((r) =>
          r.json(),
        )) as object;
        expect(last).not.toHaveProperty('next');
        expect(last).toHaveProperty('prev');
      });
    });

    describe('DELETE', () => {
      it('deletes with the seed text, then 404 cocart_session_not_valid', async () => {
        const res = await fetch(`${srv.url}${API}/session/k0003`, { method: 'DELETE', headers: auth });
        expect(res.status).toBe(200);
        expect(await res.json()).toBe(fixture('session-delete.json'));
        const again = await fetch(`${srv.url}${API}/session/k0003`, { method: 'DELETE', headers: auth });
        expect(again.status).toBe(404);
        expect(await again.json()).toEqual({
          code: 'cocart_session_not_valid',
          message: 'Session is not valid!',
          data: { status: 404 },
        });
        expect((await get(`${API}/session/k0003`)).status).toBe(404);
      });

      it('gives exactly one 200 to 50 concurrent deletes of one key', async () => {
        const statuses = await Promise.all(
          Array.from({ length: 50 }, () =>
            fetch(`${srv.url}${API}/session/k0004`, { method: 'DELETE', headers: auth }).then(async (r) => {
              await r.arrayBuffer();
              return r.status;
            }),
          ),
        );
        expect(statuses.filter((s) => s === 200)).toHaveLength(1);
        expect(statuses.filter((s) => s === 404)).toHaveLength(49);
      });
    });
  });
}
