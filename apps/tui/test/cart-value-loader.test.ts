import { createClient } from '@cocart-sessions/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartValueLoader } from '../src/cart-values/cart-value-loader.js';
import { ADMIN, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
const KEYS = Array.from({ length: 12 }, (_, i) => `loader_${i}`);

beforeAll(async () => {
  server = await startTestServer(KEYS.map((key, i) => ({ key, first: `Cart ${i}` })));
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** A client whose requests are counted: how many at once at most, and each answer's status. */
function countingClient() {
  const seen = { inFlight: 0, most: 0, statuses: [] as number[] };
  const client = createClient({
    url: server.url,
    auth: { username: ADMIN.login, password: ADMIN.password },
    retry: 0,
    fetch: async (input, init) => {
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      try {
        const response = await fetch(input, init);
        seen.statuses.push(response.status);
        return response;
      } finally {
        seen.inFlight--;
      }
    },
  });
  return { client, seen };
}

/** Resolves once `loader` has nothing in flight for `keys`. */
async function settled(loader: CartValueLoader, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < 200 && keys.some((k) => loader.valueOf(k).status === 'loading'); i++)
    await new Promise((r) => setTimeout(r, 10));
}

describe('CartValueLoader against the real server', () => {
  it('reads the keys asked for a few at a time, once, then revalidates with If-None-Match', async () => {
    const { client, seen } = countingClient();
    let changes = 0;
    const loader = new CartValueLoader(client.sessions, { concurrency: 3, onChange: () => changes++ });
    loader.want(KEYS);
    expect(loader.valueOf('loader_0')).toEqual({ status: 'loading' });
    await settled(loader, KEYS);
    // The test carts are the seed cart: 6 items, £207.00.
    for (const key of KEYS) {
      expect(loader.valueOf(key)).toEqual({
        status: 'loaded',
        figures: { itemCount: 6, totalMinor: 20700, currencyCode: 'GBP', total: '£207.00' },
      });
    }
    expect(seen.most).toBe(3);
    expect(seen.statuses).toEqual(KEYS.map(() => 200));
    expect(changes).toBe(KEYS.length);
    expect(loader.figures().size).toBe(KEYS.length);

    // The same screen again: nothing is asked.
    loader.want(KEYS.slice(0, 4));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.statuses).toHaveLength(KEYS.length);

    // A new round asks only the keys on screen, each with its tag: unchanged, 304.
    const round = async () => {
      seen.statuses.length = 0;
      loader.revalidate();
      for (let i = 0; i < 200 && seen.statuses.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
      await settled(loader, KEYS.slice(0, 4));
      return seen.statuses.sort();
    };
    expect(await round()).toEqual([304, 304, 304, 304]);
    // Any write changes the store's tags (the server's ETags follow its change version); a deleted
    // cart is missing.
    await client.sessions.delete('loader_1');
    expect(await round()).toEqual([200, 200, 200, 404]);
    expect(loader.valueOf('loader_1')).toEqual({ status: 'missing' });
    expect(loader.valueOf('loader_0').status).toBe('loaded');
    loader.close();
  });

  it('drops the keys scrolled past before they were sent', async () => {
    const { client, seen } = countingClient();
    const loader = new CartValueLoader(client.sessions, { concurrency: 2 });
    loader.want(KEYS.slice(2, 10));
    // The next screen at once: only the two already in flight are read of the first.
    loader.want(KEYS.slice(10));
    await settled(loader, KEYS.slice(10));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.statuses).toHaveLength(4);
    expect(loader.valueOf('loader_5')).toEqual({ status: 'loading' });
    loader.close();
  });

  it('keeps at most maxKept carts, dropping the least recently read', async () => {
    const { client } = countingClient();
    const loader = new CartValueLoader(client.sessions, { maxKept: 5 });
    loader.want(KEYS.slice(0, 5));
    await settled(loader, KEYS.slice(0, 5));
    loader.want(KEYS.slice(5, 8));
    await settled(loader, KEYS.slice(5, 8));
    expect(loader.figures().size).toBe(5);
    // The three read first went; the last five stay.
    expect([...loader.figures().keys()].sort()).toEqual(KEYS.slice(3, 8).sort());
    expect(loader.valueOf('loader_0')).toEqual({ status: 'loading' });
    loader.close();
  });
});
