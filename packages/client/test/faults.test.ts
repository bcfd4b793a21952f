import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CoCartApiError,
  CoCartNetworkError,
  CoCartTimeoutError,
  CoCartValidationError,
  createClient,
  isCoCartNetworkError,
  type ValidationReport,
} from '../src/index.js';
import {
  type FaultHandler,
  type FaultServer,
  sendJson,
  sendRaw,
  startFaultServer,
} from './helpers/fault-server.js';

const cart = JSON.parse(
  readFileSync(new URL('../../../fixtures/session-cart.json', import.meta.url), 'utf8'),
);
const list = JSON.parse(
  readFileSync(new URL('../../../fixtures/sessions-list.json', import.meta.url), 'utf8'),
);
const API = '/wp-json/cocart/v2';
const CART_KEY = cart.cart_key as string;

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: FaultHandler) {
  server = await startFaultServer(handler);
  return server;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

/** Fast backoff so retries do not slow the suite; the policy under test is which calls retry. */
const quickRetry = { limit: 2, delay: () => 10 };

describe('faults of a misbehaving server', () => {
  it('a server that never answers gives CoCartTimeoutError naming the method and URL', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const client = createClient({ url: s.url, timeout: 150 });
    const e = await failure(client.sessions.get(CART_KEY));
    expect(e).toBeInstanceOf(CoCartTimeoutError);
    expect(e).toBeInstanceOf(CoCartNetworkError);
    expect(e.message).toBe(`GET ${s.url}${API}/session/${CART_KEY} timed out after 150 ms`);
    // Timeouts are not retried by default: one attempt.
    expect(s.requests).toHaveLength(1);
  });

  it('a connection reset is a CoCartNetworkError, and a GET is retried up to the limit', async () => {
    const s = await serve((req) => req.socket.destroy());
    const client = createClient({ url: s.url, retry: quickRetry });
    const e = await failure(client.sessions.get(CART_KEY));
    expect(e).toBeInstanceOf(CoCartNetworkError);
    expect(e).not.toBeInstanceOf(CoCartTimeoutError);
    expect((e as CoCartNetworkError).code).toBe('network_error');
    expect(e.message).toMatch(new RegExp(`^GET ${s.url}${API}/session/${CART_KEY} failed: fetch failed`));
    expect(s.requests).toHaveLength(3);
  });

  it('503 then success: the GET is retried and succeeds', async () => {
    const s = await serve((_req, res, n) => {
      if (n === 1)
        sendJson(res, 503, {
          code: 'cocart_store_unavailable',
          message: 'Store down',
          data: { status: 503 },
        });
      else sendJson(res, 200, cart);
    });
    const client = createClient({ url: s.url, retry: quickRetry });
    const got = await client.sessions.get(CART_KEY);
    expect(got.cart_key).toBe('1');
    expect(s.requests).toHaveLength(2);
  });

  it('429 with Retry-After: 1 waits about a second before the retry', async () => {
    const s = await serve((_req, res, n) => {
      if (n === 1) {
        sendJson(
          res,
          429,
          { code: 'cocart_too_many_requests', message: 'Slow down', data: { status: 429 } },
          {
            'retry-after': '1',
          },
        );
      } else sendJson(res, 200, list);
    });
    const client = createClient({ url: s.url });
    const sessions = await client.sessions.list();
    expect(sessions.map((x) => x.cart_id)).toEqual(['4038', '4335']);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('429 with a Retry-After beyond maxRetryAfter fails at once instead of hanging', async () => {
    const s = await serve((_req, res) =>
      sendJson(
        res,
        429,
        { code: 'cocart_too_many_requests', message: 'Locked out', data: { status: 429 } },
        {
          'retry-after': '300',
        },
      ),
    );
    const client = createClient({ url: s.url });
    const started = Date.now();
    const e = await failure(client.sessions.list());
    expect(e).toBeInstanceOf(CoCartApiError);
    expect((e as CoCartApiError).status).toBe(429);
    expect((e as CoCartApiError).code).toBe('cocart_too_many_requests');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(s.requests).toHaveLength(1);
  });

  it('5xx on DELETE, POST and PUT is not retried', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 503, { code: 'cocart_store_unavailable', message: 'down', data: { status: 503 } }),
    );
    const client = createClient({ url: s.url, retry: quickRetry });
    await expect(client.sessions.delete(CART_KEY)).rejects.toBeInstanceOf(CoCartApiError);
    await expect(client.post('cart/add-item', { id: '1' })).rejects.toBeInstanceOf(CoCartApiError);
    await expect(client.put('cart/item/x', { quantity: 2 })).rejects.toBeInstanceOf(CoCartApiError);
    expect(s.requests.map((r) => r.method)).toEqual(['DELETE', 'POST', 'PUT']);
  });

  it('an error answer that is not a WordPress envelope is a CoCartApiError with code http_error', async () => {
    const s = await serve((_req, res) => sendRaw(res, 502, '<html>Bad gateway</html>', 'text/html'));
    const client = createClient({ url: s.url, retry: 0 });
    const e = (await failure(client.sessions.list())) as CoCartApiError;
    expect(e).toBeInstanceOf(CoCartApiError);
    expect(e.status).toBe(502);
    expect(e.code).toBe('http_error');
    expect(e.data).toEqual({ status: 502 });
  });

  it('malformed JSON is a CoCartValidationError carrying the raw body, in every mode', async () => {
    const s = await serve((_req, res) => sendRaw(res, 200, '{"cart_key": "1", '));
    for (const validation of ['strict', 'loose', 'off'] as const) {
      const client = createClient({ url: s.url, validation });
      const e = (await failure(client.sessions.get(CART_KEY))) as CoCartValidationError;
      expect(e).toBeInstanceOf(CoCartValidationError);
      expect(e.body).toBe('{"cart_key": "1", ');
      expect(e.data).toBeUndefined();
      expect(e.issues[0]!.message).toMatch(/^Malformed JSON/);
      expect(e.message).toMatch(
        new RegExp(`^GET ${s.url}${API}/session/${CART_KEY} returned an unexpected payload`),
      );
    }
  });

  describe('a payload that breaks the model', () => {
    // The seed's cart with one price as a number, as a broken plugin extension might send it.
    const broken = structuredClone(cart);
    broken.items[0].price = 1;
    const handler: FaultHandler = (_req, res) => sendJson(res, 200, broken);

    it("'strict' (the default) throws CoCartValidationError with the zod issues and the raw body", async () => {
      const s = await serve(handler);
      const e = (await failure(createClient({ url: s.url }).sessions.get(CART_KEY))) as CoCartValidationError;
      expect(e).toBeInstanceOf(CoCartValidationError);
      expect(e.code).toBe('invalid_response');
      expect(e.issues).toHaveLength(1);
      expect(e.issues[0]!.path).toEqual(['items', 0, 'price']);
      expect(JSON.parse(e.body)).toEqual(broken);
      expect(e.message).toContain('items.0.price');
    });

    it("'loose' returns the data and reports the issues to onValidationIssues", async () => {
      const s = await serve(handler);
      const reports: ValidationReport[] = [];
      const client = createClient({
        url: s.url,
        validation: 'loose',
        onValidationIssues: (r) => reports.push(r),
      });
      const got = await client.sessions.get(CART_KEY);
      expect(got).toEqual(broken);
      expect(reports).toHaveLength(1);
      expect(reports[0]!.method).toBe('GET');
      expect(reports[0]!.url).toBe(`${s.url}${API}/session/${CART_KEY}`);
      expect(reports[0]!.issues[0]!.path).toEqual(['items', 0, 'price']);
    });

    it("'off' returns the body raw, without checking", async () => {
      const s = await serve(handler);
      const client = createClient({ url: s.url, validation: 'off' });
      expect(await client.sessions.get(CART_KEY)).toEqual(broken);
    });
  });

  it("items(): PHP's [] for an empty cart becomes {} in every mode", async () => {
    const s = await serve((_req, res) => sendJson(res, 200, []));
    for (const validation of ['strict', 'loose', 'off'] as const) {
      expect(await createClient({ url: s.url, validation }).sessions.items(CART_KEY)).toEqual({});
    }
  });

  it('an empty store (404 cocart_no_carts_in_session) gives [] from list() and an empty page', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 404, {
        code: 'cocart_no_carts_in_session',
        message: 'No carts in session!',
        data: { status: 404 },
      }),
    );
    const client = createClient({ url: s.url });
    expect(await client.sessions.list()).toEqual([]);
    expect(await client.sessions.page({ page: 2, perPage: 5 })).toEqual({
      items: [],
      page: 2,
      perPage: 5,
      total: 0,
      totalPages: 0,
    });
    const seen = [];
    for await (const x of client.sessions.iterate()) seen.push(x);
    expect(seen).toEqual([]);
  });

  describe('a 4.x server', () => {
    const sessions = Array.from({ length: 25 }, (_, i) => ({
      ...list[0],
      cart_id: String(1000 + i),
      cart_key: `key_${String(i).padStart(2, '0')}`,
    }));

    /** The real 4.x plugin: the page number is used as the row offset, and `next` is sent on the last page too. */
    const buggyPlugin: FaultHandler = (_req, res, _n, url) => {
      const page = Number(url.searchParams.get('page') ?? 1);
      const perPage = Number(url.searchParams.get('per_page') ?? 10);
      const totalPages = Math.ceil(sessions.length / perPage);
      sendJson(res, 200, {
        sessions: sessions.slice(page, page + perPage),
        page,
        total_pages: totalPages,
        total_sessions: sessions.length,
        next: `http://x${API}/sessions?page=${page + 1}`,
      });
    };

    it('iterate() never yields the same cart_key twice although the pages overlap', async () => {
      const s = await serve(buggyPlugin);
      const client = createClient({ url: s.url });
      const keys: string[] = [];
      for await (const x of client.sessions.iterate({ perPage: 10 })) keys.push(x.cart_key);
      expect(new Set(keys).size).toBe(keys.length);
      // Pages 1..3 at offsets 1..3 hold rows 1..12: twelve distinct sessions, one request per page.
      expect(keys).toEqual(sessions.slice(1, 13).map((x) => x.cart_key));
      expect(s.requests).toHaveLength(3);
    });

    it('list() walks every page of a well-behaved 4.x server and returns each session once', async () => {
      const s = await serve((_req, res, _n, url) => {
        const page = Number(url.searchParams.get('page') ?? 1);
        const perPage = Number(url.searchParams.get('per_page') ?? 10);
        sendJson(res, 200, {
          sessions: sessions.slice((page - 1) * perPage, page * perPage),
          page,
          total_pages: Math.ceil(sessions.length / perPage),
          total_sessions: sessions.length,
        });
      });
      const all = await createClient({ url: s.url }).sessions.list();
      expect(all.map((x) => x.cart_key)).toEqual(sessions.map((x) => x.cart_key));
      // The default first page (10), then pages of 100 from page 1.
      expect(s.requests.map((r) => r.url.search)).toEqual([
        '',
        '?page=1&per_page=100&orderby=cart_id&order=asc',
      ]);
    });

    it('page() takes the totals from the object', async () => {
      const s = await serve(buggyPlugin);
      const p = await createClient({ url: s.url }).sessions.page({ page: 1, perPage: 10 });
      expect(p).toMatchObject({ page: 1, perPage: 10, total: 25, totalPages: 3 });
      expect(p.items).toHaveLength(10);
    });
  });

  it('a DELETE whose answer was lost is sent once more; 404 cocart_session_not_valid then means deleted', async () => {
    const s = await serve((req, res, n) => {
      if (n === 1) req.socket.destroy();
      else
        sendJson(res, 404, {
          code: 'cocart_session_not_valid',
          message: 'Session is not valid!',
          data: { status: 404 },
        });
    });
    const client = createClient({ url: s.url });
    expect(await client.sessions.delete(CART_KEY)).toBe('Cart successfully deleted!');
    expect(s.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `DELETE ${API}/session/${CART_KEY}`,
      `DELETE ${API}/session/${CART_KEY}`,
    ]);
  });

  it('a DELETE that fails twice on the network reports the network error', async () => {
    const s = await serve((req) => req.socket.destroy());
    const e = await failure(createClient({ url: s.url }).sessions.delete(CART_KEY));
    expect(isCoCartNetworkError(e)).toBe(true);
    expect(s.requests).toHaveLength(2);
  });

  it('a 404 on the first DELETE stays an error', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 404, {
        code: 'cocart_session_not_valid',
        message: 'Session is not valid!',
        data: { status: 404 },
      }),
    );
    const e = (await failure(createClient({ url: s.url }).sessions.delete(CART_KEY))) as CoCartApiError;
    expect(e.code).toBe('cocart_session_not_valid');
    expect(e.status).toBe(404);
    expect(s.requests).toHaveLength(1);
  });

  describe('credentials', () => {
    const secret = 'cs_0123456789abcdef0123456789abcdef01234567';
    const key = 'ck_fedcba9876543210fedcba9876543210fedcba98';

    it('are sent over plain http, as Basic, as query string and as a bearer token', async () => {
      const s = await serve((_req, res) => sendJson(res, 200, list));
      await createClient({
        url: s.url,
        auth: { username: 'shop@example.com', password: 'pä ss:wörd' },
      }).sessions.list();
      await createClient({ url: s.url, auth: { consumerKey: key, consumerSecret: secret } }).sessions.list();
      await createClient({
        url: s.url,
        auth: { consumerKey: key, consumerSecret: secret, queryString: true },
      }).sessions.list();
      await createClient({ url: s.url, auth: { token: 'jwt.token.here' } }).sessions.list();
      const [basic, keys, query, bearer] = s.requests;
      const decode = (h: string | undefined) =>
        Buffer.from((h ?? '').replace(/^Basic /, ''), 'base64').toString();
      expect(decode(basic!.headers.authorization)).toBe('shop@example.com:pä ss:wörd');
      expect(decode(keys!.headers.authorization)).toBe(`${key}:${secret}`);
      expect(query!.headers.authorization).toBeUndefined();
      expect(query!.url.searchParams.get('consumer_key')).toBe(key);
      expect(query!.url.searchParams.get('consumer_secret')).toBe(secret);
      expect(bearer!.headers.authorization).toBe('Bearer jwt.token.here');
    });

    it('userinfo in the url is used as Basic credentials and kept out of the URL', async () => {
      const s = await serve((_req, res) =>
        sendJson(res, 500, { code: 'x', message: 'boom', data: { status: 500 } }),
      );
      const client = createClient({ url: s.url.replace('http://', 'http://admin:hunter2@'), retry: 0 });
      const e = await failure(client.sessions.list());
      expect(s.requests[0]!.headers.authorization).toBe(`Basic ${btoa('admin:hunter2')}`);
      expect(client.apiUrl).toBe(`${s.url}${API}/`);
      expect(`${e.message} ${inspect(e)} ${JSON.stringify(e)}`).not.toContain('hunter2');
    });

    it('never appear in messages, inspected errors or JSON of errors', async () => {
      const s = await serve((req, res, n) => {
        if (n <= 1)
          sendJson(res, 401, {
            code: 'cocart_authentication_error',
            message: 'Authentication failed: invalid credentials.',
            data: { status: 401 },
          });
        else req.socket.destroy();
      });
      const client = createClient({
        url: s.url,
        auth: { consumerKey: key, consumerSecret: secret, queryString: true },
        retry: 0,
      });
      const api = await failure(client.sessions.list());
      const net = await failure(client.sessions.get(CART_KEY));
      const slow = await failure(
        createClient({
          url: s.url,
          auth: { username: 'u', password: secret },
          timeout: 1,
          retry: 0,
        }).sessions.list(),
      );
      for (const e of [api, net, slow]) {
        const shown = `${e.message} ${inspect(e, { depth: 5 })} ${JSON.stringify(e)} ${e.stack}`;
        expect(shown).not.toContain(secret);
        expect(shown).not.toContain(key);
      }
      expect(api.message).toBe(
        `GET ${s.url}${API}/sessions?consumer_key=REDACTED&consumer_secret=REDACTED failed with 401 cocart_authentication_error: Authentication failed: invalid credentials.`,
      );
    });
  });

  it('invalid cart keys are rejected before any request', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, cart));
    const client = createClient({ url: s.url });
    for (const bad of ['', 'a'.repeat(43), '../sessions', 'key with space', 'é']) {
      await expect(client.sessions.get(bad)).rejects.toThrow(/^Invalid cart key/);
      await expect(client.sessions.items(bad)).rejects.toThrow(/^Invalid cart key/);
      await expect(client.sessions.delete(bad)).rejects.toThrow(/^Invalid cart key/);
    }
    expect(s.requests).toHaveLength(0);
  });
});
