import { createClient } from '@cocart-sessions/client';
import type { SessionSummary } from '@cocart-sessions/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

    it('streamBatches() gives the same sessions in non-empty arrays, several of them for a long list', async () => {
      const batches: SessionSummary[][] = [];
      for await (const batch of client().sessions.streamBatches()) batches.push(batch);
      expect(batches.every((b) => b.length > 0)).toBe(true);
      // v3: a batch per slice of the body (far less than the whole list); v4: a page of 100 each.
      expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(COUNT / 100));
      expect(batches.flat()).toEqual(await collect(client().sessions.stream()));
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
      const { sessions } = createClient({ url: server.url, auth });
      expect(await collect(sessions.stream())).toEqual([]);
      const batches: SessionSummary[][] = [];
      for await (const batch of sessions.streamBatches()) batches.push(batch);
      expect(batches).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
