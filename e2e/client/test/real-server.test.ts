import { readFileSync } from 'node:fs';
import {
  type ClientOptions,
  CoCartApiError,
  type CoCartClient,
  CoCartClientError,
  createClient,
} from '@cocart-sessions/client';
import { CartSchema, ItemsMapSchema } from '@cocart-sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  CUSTOMER,
  MANAGER,
  type RealServer,
  seedCart,
  sessionsFor,
  startRealServer,
} from './helpers/real-server.js';

const seedItems = JSON.parse(
  readFileSync(new URL('../../../fixtures/session-items.json', import.meta.url), 'utf8'),
);
const COUNT = 300;
const API = '/wp-json/cocart/v2';

/** Fields of the seed whose `[]` is a real list; every other `[]` in it is PHP's empty map. */
const SEED_LISTS = new Set(['cross_sells', 'notices']);

/**
 * The seed as the SPEC says callers get it: unchanged, except that PHP's `[]` for an empty map is
 * handed over as `{}`. Written from the seed, not through the core's schemas, so it checks them too.
 */
function phpMapsAsObjects(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    return value.length === 0 && !SEED_LISTS.has(key ?? '') ? {} : value.map((v) => phpMapsAsObjects(v));
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, phpMapsAsObjects(v, k)]));
}

async function failure(p: Promise<unknown>): Promise<CoCartApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CoCartApiError);
    return e as CoCartApiError;
  }
  throw new Error('expected the call to fail');
}

/** Counts requests through a ky hook (which also shows that `hooks` reach ky). */
function counted(opts: ClientOptions): { client: CoCartClient; requests: string[] } {
  const requests: string[] = [];
  const client = createClient({
    ...opts,
    hooks: { beforeRequest: [({ request }) => void requests.push(new URL(request.url).search)] },
  });
  return { client, requests };
}

describe('against the real server (SQLite, list format v3)', () => {
  let server: RealServer;
  let admin: CoCartClient;

  beforeAll(async () => {
    server = await startRealServer({ sessions: sessionsFor(COUNT) });
    admin = createClient({ url: server.url, auth: { username: ADMIN.login, password: ADMIN.password } });
  });
  afterAll(() => server.close());

  it('list() returns every session in cart_id order with the seed fields', async () => {
    const all = await admin.sessions.list();
    expect(all).toHaveLength(COUNT);
    expect(all.map((s) => Number(s.cart_id))).toEqual(
      [...all.map((s) => Number(s.cart_id))].sort((a, b) => a - b),
    );
    expect(all[0]).toEqual({
      cart_id: all[0]!.cart_id,
      cart_key: '1',
      customers_name: 'Sebastien Dumont Dumont',
      customers_email: seedCart.customer.billing_address.billing_email,
      cart_created: '01/01/2025 00:00:00',
      cart_expiry: all[0]!.cart_expiry,
      cart_source: 'woocommerce',
      link: `${server.url}${API}/session/1`,
    });
    // The two fields above taken from the answer itself, checked against the SPEC: the row id as a
    // string of digits, and the stored expiry as `MM/DD/YYYY HH:mm:ss` in UTC.
    expect(all[0]!.cart_id).toMatch(/^\d+$/);
    const expiry = new Date(sessionsFor(1)[0]!.cartExpiry * 1000).toISOString();
    expect(all[0]!.cart_expiry).toBe(
      `${expiry.slice(5, 7)}/${expiry.slice(8, 10)}/${expiry.slice(0, 4)} ${expiry.slice(11, 19)}`,
    );
    expect(all[1]).toMatchObject({
      cart_key: 'guest_001',
      customers_name: '',
      cart_created: '01/01/2025 00:01:00',
    });
  });

  it('page() reads X-WP-Total and X-WP-TotalPages and passes every query parameter', async () => {
    const p = await admin.sessions.page({ page: 2, perPage: 50, orderBy: 'cart_id', order: 'asc' });
    expect(p).toMatchObject({ page: 2, perPage: 50, total: COUNT, totalPages: 6 });
    expect(p.items.map((s) => s.cart_key)).toEqual(
      Array.from({ length: 50 }, (_, i) => `guest_${String(50 + i).padStart(3, '0')}`),
    );
    const newest = await admin.sessions.page({ perPage: 3, orderBy: 'cart_created', order: 'desc' });
    expect(newest.items.map((s) => s.cart_key)).toEqual(['guest_299', 'guest_298', 'guest_297']);
    const search = await admin.sessions.page({ search: 'c17', perPage: 100 });
    expect(search.items.map((s) => s.cart_key).sort()).toEqual([
      'guest_017',
      'guest_170',
      'guest_171',
      'guest_172',
      'guest_173',
      'guest_174',
      'guest_175',
      'guest_176',
      'guest_177',
      'guest_178',
      'guest_179',
    ]);
    expect(search.total).toBe(11);
    const source = await admin.sessions.page({ source: 'woocommerce', perPage: 100 });
    expect(source.total).toBe(100);
    expect(source.items.every((s) => s.cart_source === 'woocommerce')).toBe(true);
    const past = await admin.sessions.page({ page: 99, perPage: 100 });
    expect(past).toMatchObject({ items: [], page: 99, total: COUNT, totalPages: 3 });
  });

  it('iterate() walks all pages, one request per page, each session once', async () => {
    const { client, requests } = counted({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });
    const keys: string[] = [];
    for await (const s of client.sessions.iterate({ perPage: 37, orderBy: 'cart_id' })) keys.push(s.cart_key);
    expect(keys).toHaveLength(COUNT);
    expect(new Set(keys).size).toBe(COUNT);
    expect(requests).toHaveLength(Math.ceil(COUNT / 37));
    expect(requests[0]).toBe('?page=1&per_page=37&orderby=cart_id');
  });

  it('iterate() fetches lazily: breaking after the first session costs one request', async () => {
    const { client, requests } = counted({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });
    for await (const _ of client.sessions.iterate({ perPage: 10 })) break;
    expect(requests).toHaveLength(1);
  });

  it('get() returns the seed cart as imported, with and without thumb', async () => {
    const cart = await admin.sessions.get('1');
    expect(cart).toEqual(CartSchema.parse(seedCart));
    expect(cart).toEqual(phpMapsAsObjects(seedCart));
    expect((await admin.sessions.get('1', { thumb: true })).cart_key).toBe('1');
    expect((await admin.sessions.get('guest_042')).cart_key).toBe('guest_042');
  });

  it('items() returns the seed items keyed by item_key', async () => {
    const items = await admin.sessions.items('1');
    expect(items).toEqual(ItemsMapSchema.parse(seedItems));
    expect(items).toEqual(phpMapsAsObjects(seedItems));
  });

  it('delete() removes a session; the cart is then gone and a second delete is a 404', async () => {
    expect(await admin.sessions.delete('guest_299')).toBe('Cart successfully deleted!');
    const gone = await failure(admin.sessions.get('guest_299'));
    expect([gone.status, gone.code, gone.serverMessage]).toEqual([
      404,
      'cocart_cart_in_session_not_valid',
      'Cart in session is not valid!',
    ]);
    const again = await failure(admin.sessions.delete('guest_299'));
    expect([again.status, again.code, again.serverMessage]).toEqual([
      404,
      'cocart_session_not_valid',
      'Session is not valid!',
    ]);
    const items = await failure(admin.sessions.items('guest_299'));
    expect(items.code).toBe('cocart_cart_in_session_not_valid');
  });

  it('the escape hatch reaches any route under the namespace', async () => {
    const raw = await admin.get<Array<{ cart_key: string }>>('sessions', {
      page: 1,
      per_page: 2,
      orderby: 'cart_id',
    });
    expect(raw.map((s) => s.cart_key)).toEqual(['1', 'guest_001']);
    expect(await admin.get('/session/1')).toEqual(seedCart);
    const noRoute = await failure(admin.get('no-such-route'));
    expect([noRoute.status, noRoute.code]).toEqual([404, 'rest_no_route']);
    expect(noRoute.serverMessage).toBe('No route was found matching the URL and request method.');
    const post = await failure(admin.post('sessions', { x: 1 }));
    expect([post.status, post.code]).toEqual([404, 'rest_no_route']);
  });

  it('a bad query parameter is 400 rest_invalid_param naming it', async () => {
    const e = await failure(admin.sessions.page({ perPage: 1000 }));
    expect([e.status, e.code]).toEqual([400, 'rest_invalid_param']);
    expect(JSON.stringify(e.data.params)).toContain('per_page');
    expect(e.message).toMatch(
      new RegExp(`^GET ${server.url}${API}/sessions\\?page=1&per_page=1000 failed with 400`),
    );
  });

  describe('auth', () => {
    it('accepts Basic with login or email, and API keys as Basic or query string', async () => {
      const clients = [
        createClient({ url: server.url, auth: { username: MANAGER.login, password: MANAGER.password } }),
        createClient({ url: server.url, auth: { username: MANAGER.email, password: MANAGER.password } }),
        createClient({ url: server.url, auth: server.keys }),
        createClient({ url: server.url, auth: { ...server.keys, queryString: true } }),
      ];
      for (const c of clients) expect((await c.sessions.page({ perPage: 1 })).total).toBeGreaterThan(0);
    });

    it('no credentials: 401 cocart_rest_cannot_view; a customer: 403', async () => {
      const none = await failure(createClient({ url: server.url }).sessions.list());
      expect([none.status, none.code, none.serverMessage]).toEqual([
        401,
        'cocart_rest_cannot_view',
        'Sorry, you cannot list resources.',
      ]);
      const customer = await failure(
        createClient({
          url: server.url,
          auth: { username: CUSTOMER.login, password: CUSTOMER.password },
        }).sessions.get('1'),
      );
      expect([customer.status, customer.code]).toEqual([403, 'cocart_rest_cannot_view']);
    });

    it('wrong credentials: 401 cocart_authentication_error, and no secret in the message', async () => {
      const wrong = 'not-the-password-42';
      const basic = await failure(
        createClient({ url: server.url, auth: { username: ADMIN.login, password: wrong } }).sessions.list(),
      );
      expect([basic.status, basic.code]).toEqual([401, 'cocart_authentication_error']);
      const query = await failure(
        createClient({
          url: server.url,
          auth: { consumerKey: server.keys.consumerKey, consumerSecret: `cs_${wrong}`, queryString: true },
        }).sessions.list(),
      );
      expect(query.code).toBe('cocart_authentication_error');
      for (const e of [basic, query]) {
        expect(e.message).not.toContain(wrong);
        expect(e.message).not.toContain(server.keys.consumerKey);
      }
    });
  });

  it('rejects a malformed key before any request', async () => {
    const { client, requests } = counted({ url: server.url, auth: server.keys });
    await expect(client.sessions.get('no/slashes')).rejects.toBeInstanceOf(CoCartClientError);
    expect(requests).toHaveLength(0);
  });
});

describe('against the real server (list format v4)', () => {
  let server: RealServer;
  let admin: CoCartClient;

  beforeAll(async () => {
    server = await startRealServer({ sessions: sessionsFor(COUNT), listFormat: 'v4' });
    admin = createClient({ url: server.url, auth: server.keys });
  });
  afterAll(() => server.close());

  it('list() walks every page and returns each session once', async () => {
    const { client, requests } = counted({ url: server.url, auth: server.keys });
    const all = await client.sessions.list();
    expect(all).toHaveLength(COUNT);
    expect(new Set(all.map((s) => s.cart_key)).size).toBe(COUNT);
    // The plugin's default first page (10), then pages of 100.
    expect(requests).toEqual([
      '',
      ...[1, 2, 3].map((p) => `?page=${p}&per_page=100&orderby=cart_id&order=asc`),
    ]);
    // In cart_id order, as a 3.x server lists them.
    expect(all.map((s) => Number(s.cart_id))).toEqual(
      [...all.map((s) => Number(s.cart_id))].sort((a, b) => a - b),
    );
  });

  it('page() takes the totals from the 4.x object', async () => {
    const p = await admin.sessions.page({ page: 3, perPage: 25, orderBy: 'cart_id', order: 'asc' });
    expect(p).toMatchObject({ page: 3, perPage: 25, total: COUNT, totalPages: 12 });
    expect(p.items[0]!.cart_key).toBe('guest_050');
  });

  it('iterate() yields every session once', async () => {
    const keys = new Set<string>();
    let n = 0;
    for await (const s of admin.sessions.iterate({ perPage: 64 })) {
      keys.add(s.cart_key);
      n++;
    }
    expect([n, keys.size]).toEqual([COUNT, COUNT]);
  });
});

describe('against an empty real server', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer({ sessions: [] });
  });
  afterAll(() => server.close());

  it('list() gives [] and page() an empty page instead of 404 cocart_no_carts_in_session', async () => {
    const client = createClient({ url: server.url, auth: server.keys });
    expect(await client.sessions.list()).toEqual([]);
    expect(await client.sessions.page()).toMatchObject({ items: [], page: 1, perPage: 10, total: 0 });
    const raw = await failure(client.get('sessions'));
    expect([raw.status, raw.code, raw.serverMessage]).toEqual([
      404,
      'cocart_no_carts_in_session',
      'No carts in session!',
    ]);
  });
});
