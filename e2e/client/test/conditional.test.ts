import { type ClientOptions, createClient } from '@cocart-sessions/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type RealServer, sessionsFor, startRealServer } from './helpers/real-server.js';

/** A client that records, per request, the status the server answered and how many bytes it sent. */
function recording(opts: ClientOptions) {
  const seen: Array<{ status: number; bytes: number; search: string }> = [];
  const client = createClient({
    ...opts,
    hooks: {
      afterResponse: [
        async ({ request, response }) => {
          const bytes = (await response.clone().arrayBuffer()).byteLength;
          seen.push({ status: response.status, bytes, search: new URL(request.url).search });
        },
      ],
    },
  });
  return { client, seen };
}

for (const listFormat of ['v3', 'v4'] as const) {
  describe(`conditional calls against the real server (list format ${listFormat})`, () => {
    let server: RealServer;
    let opts: ClientOptions;

    beforeAll(async () => {
      server = await startRealServer({ sessions: sessionsFor(250), listFormat });
      opts = { url: server.url, auth: { username: ADMIN.login, password: ADMIN.password } };
    });
    afterAll(() => server.close());

    it('list(): "unchanged" without a body, then the new list after a delete', async () => {
      const { client, seen } = recording(opts);
      const first = await client.sessions.list({ ifNoneMatch: undefined });
      if (first.notModified) throw new Error('a first call cannot be unchanged');
      expect(first.data).toHaveLength(250);
      expect(first.etag).toBeTypeOf('string');
      // v4: the default first page, then three pages of 100, each tag kept.
      expect(first.etag?.split(' ')).toHaveLength(listFormat === 'v3' ? 1 : 4);

      seen.length = 0;
      const same = await client.sessions.list({ ifNoneMatch: first.etag });
      expect(same).toEqual({ notModified: true, etag: first.etag });
      expect(seen.every((r) => r.status === 304 && r.bytes === 0)).toBe(true);
      expect(seen.length).toBe(listFormat === 'v3' ? 1 : 4);

      await server.store.sessions.deleteSession('guest_100');
      const after = await client.sessions.list({ ifNoneMatch: first.etag });
      if (after.notModified) throw new Error('the list changed');
      expect(after.data).toHaveLength(249);
      expect(after.data.map((s) => s.cart_key)).not.toContain('guest_100');
      expect(after.etag).not.toBe(first.etag);
      expect(await client.sessions.list({ ifNoneMatch: after.etag })).toEqual({
        notModified: true,
        etag: after.etag,
      });
    });

    it('page(), get() and items(): 304 reported as notModified, a change as new data', async () => {
      const client = createClient(opts);
      const page = await client.sessions.page({
        page: 2,
        perPage: 20,
        orderBy: 'cart_id',
        ifNoneMatch: undefined,
      });
      if (page.notModified) throw new Error('first call');
      expect(page.data.items).toHaveLength(20);
      expect(page.data.etag).toBe(page.etag);
      expect(
        await client.sessions.page({ page: 2, perPage: 20, orderBy: 'cart_id', ifNoneMatch: page.etag }),
      ).toEqual({ notModified: true, etag: page.etag });

      const cart = await client.sessions.get('guest_001', { ifNoneMatch: undefined });
      if (cart.notModified) throw new Error('first call');
      expect(cart.data.cart_key).toBe('guest_001');
      expect(await client.sessions.get('guest_001', { ifNoneMatch: cart.etag })).toEqual({
        notModified: true,
        etag: cart.etag,
      });
      const items = await client.sessions.items('guest_001', { ifNoneMatch: undefined });
      if (items.notModified) throw new Error('first call');
      expect(Object.keys(items.data).length).toBeGreaterThan(0);
      expect((await client.sessions.items('guest_001', { ifNoneMatch: items.etag })).notModified).toBe(true);

      await server.store.sessions.deleteSession('guest_002');
      const changed = await client.sessions.get('guest_001', { ifNoneMatch: cart.etag });
      expect(changed.notModified).toBe(false);
      expect(changed.etag).not.toBe(cart.etag);
      // The unconditional calls are unchanged: bare values.
      expect((await client.sessions.get('guest_001')).cart_key).toBe('guest_001');
    });
  });
}
