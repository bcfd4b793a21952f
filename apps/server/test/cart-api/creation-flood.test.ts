import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.js';
import { tempDatabase } from '../http/harness.js';
import { call, keyed } from './cart-harness.js';

// A configured prefix: the cart API honours it like the Sessions API.
const API = '/shop-api/cocart/v2';

describe('cart API: a creation flood from one address', () => {
  const db = tempDatabase('sqlite');
  let srv: RunningServer;
  let nowMs = Date.UTC(2030, 0, 1);
  const create = (from: string) => call(srv.url, 'POST', `${API}/cart/add-item`, { body: { id: 101 }, from });

  beforeAll(async () => {
    srv = await startServer({
      databaseUrl: db.url,
      cartCreateLimit: 5,
      apiPrefix: 'shop-api',
      clock: () => nowMs,
    });
  }, 60_000);

  afterAll(async () => {
    await srv?.close();
    await db.dispose();
  });

  it('gets 429 cocart_too_many_carts with Retry-After past the limit, while another address still creates carts', async () => {
    const first = await Promise.all(Array.from({ length: 5 }, () => create('127.0.0.7')));
    expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const flooded = await create('127.0.0.7');
    expect(flooded.status).toBe(429);
    expect(flooded.json).toEqual({
      code: 'cocart_too_many_carts',
      message: 'Too many new carts from this client. Please try again later.',
      data: { status: 429, retry_after: 12 },
    });
    // 5 a minute: the next one is 12 s away.
    expect(flooded.headers['retry-after']).toBe('12');
    const other = await create('127.0.0.8');
    expect(other.status).toBe(200);
    // Refused creations wrote nothing.
    expect(await srv.store.sessions.countSessions()).toBe(6);
  });

  it('still lets the flooding address use the carts it has', async () => {
    const cart = await create('127.0.0.9');
    const key = cart.headers['cocart-api-cart-key'] as string;
    for (let i = 0; i < 5; i++) await create('127.0.0.9');
    expect((await create('127.0.0.9')).status).toBe(429);
    const more = await call(srv.url, 'POST', keyed(`${API}/cart/add-item`, key), {
      body: { id: 102 },
      from: '127.0.0.9',
    });
    expect(more.status).toBe(200);
    expect(more.json.item_count).toBe(2);
  });

  it('lets the address create again as the minute refills its allowance', async () => {
    nowMs += 12_000;
    expect((await create('127.0.0.7')).status).toBe(200);
    expect((await create('127.0.0.7')).status).toBe(429);
  });
});
