import type { SessionSummary } from '@cocart-sessions/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoCartValidationError, createClient } from '../src/index.js';
import { type FaultServer, sendRaw, startFaultServer } from './helpers/fault-server.js';
import { ADMIN, type RealServer, sessionsFor, startRealServer } from './helpers/real-server.js';

const COUNT = 1234;
const API = '/wp-json/cocart/v2';
const auth = { username: ADMIN.login, password: ADMIN.password };

async function collect(stream: AsyncIterable<SessionSummary>): Promise<SessionSummary[]> {
  const all: SessionSummary[] = [];
  for await (const s of stream) all.push(s);
  return all;
}

/** The keys `sessionsFor(n)` stores, in cart_id order. */
const expectedKeys = (n: number) =>
  Array.from({ length: n }, (_, i) => (i === 0 ? '1' : `guest_${String(i).padStart(3, '0')}`));

for (const listFormat of ['v3', 'v4'] as const) {
  describe(`stream() against the real server (list format ${listFormat})`, () => {
    let server: RealServer;
    const requests: string[] = [];
    beforeAll(async () => {
      server = await startRealServer({ sessions: sessionsFor(COUNT), listFormat });
    });
    afterAll(() => server.close());
    afterEach(() => {
      requests.length = 0;
    });
    const client = () =>
      createClient({
        url: server.url,
        auth,
        hooks: { beforeRequest: [({ request }) => void requests.push(new URL(request.url).search)] },
      });

    it('yields every session once, in cart_id order, checked against the model, as list() gives them', async () => {
      const streamed = await collect(client().sessions.stream());
      expect(streamed.map((s) => s.cart_key)).toEqual(expectedKeys(COUNT));
      expect(streamed.map((s) => Number(s.cart_id))).toEqual(streamed.map((_, i) => i + 1));
      expect(streamed[0]).toMatchObject({ cart_key: '1', customers_name: 'Sebastien Dumont Dumont' });
      expect(streamed[0]?.link).toBe(`${server.url}${API}/session/1`);
      expect(streamed).toEqual(await client().sessions.list());
    });

    it('reads only as far as the loop goes: breaking early ends the download', async () => {
      const c = client();
      let seen = 0;
      for await (const _ of c.sessions.stream({ prefetch: 1 })) if (++seen === 5) break;
      expect(seen).toBe(5);
      // v3: the one list request; v4: the plain first page, then page 1 of the walk.
      expect(requests.length).toBeLessThanOrEqual(2);
    });
  });
}

describe('stream() against an empty real server', () => {
  it('yields nothing (the 404 cocart_no_carts_in_session is an empty store)', async () => {
    const server = await startRealServer({ sessions: [] });
    try {
      expect(await collect(createClient({ url: server.url, auth }).sessions.stream())).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('stream() and a bad session in the middle of a 3.x list', () => {
  let server: FaultServer;
  afterEach(() => server.close());
  const good = (i: number) => ({
    cart_id: String(i),
    cart_key: `k${i}`,
    customers_name: '',
    customers_email: '',
    cart_created: '04/25/2021 12:14:09',
    cart_expiry: '05/02/2021 12:14:05',
    cart_source: 'cocart',
    link: `http://x${API}/session/k${i}`,
  });

  it("strict: the sessions before it are yielded, then CoCartValidationError with that chunk's text", async () => {
    const before = Array.from({ length: 3000 }, (_, i) => good(i + 1));
    const body = JSON.stringify([...before, { ...good(3001), cart_created: 'yesterday' }, good(3002)]);
    server = await startFaultServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // In pieces, so the bad session is not in the first chunk the client reads.
      const half = Math.floor(body.length / 2);
      res.write(body.slice(0, half));
      setTimeout(() => res.end(body.slice(half)), 20);
    });
    const got: string[] = [];
    let error: unknown;
    try {
      for await (const s of createClient({ url: server.url }).sessions.stream()) got.push(s.cart_key);
    } catch (e) {
      error = e;
    }
    expect(got.slice(0, 3)).toEqual(['k1', 'k2', 'k3']);
    expect(got.length).toBeGreaterThan(0);
    expect(got).not.toContain('k3001');
    expect(error).toBeInstanceOf(CoCartValidationError);
    const v = error as CoCartValidationError;
    expect(v.issues[0]?.path).toEqual([3000, 'cart_created']);
    expect(v.body).toContain('"yesterday"');
    expect(v.body.length).toBeLessThan(body.length);
  });

  it('a body cut off inside the array is malformed JSON, after the sessions that were whole', async () => {
    server = await startFaultServer((_req, res) =>
      sendRaw(res, 200, `[${JSON.stringify(good(1))},{"cart_id":"2"`),
    );
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const s of createClient({ url: server.url }).sessions.stream()) got.push(s.cart_key);
      })(),
    ).rejects.toBeInstanceOf(CoCartValidationError);
    expect(got).toEqual(['k1']);
  });
});
