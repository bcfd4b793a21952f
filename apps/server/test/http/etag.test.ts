import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import {
  basic,
  buildServerCli,
  postgresForTests,
  putSmallSessions,
  rawRequest,
  serveCli,
  tempDatabase,
} from './harness.js';

const API = '/wp-json/cocart/v2';
const reachable = await postgresForTests();

const auth = { Authorization: basic('admin', 'etag-pw') };
const STRONG = /^"[^"\s]+"$/;

/** Every GET the SPEC gives an ETag, by name. */
const ROUTES = {
  'GET /sessions (the full list)': `${API}/sessions`,
  'GET /sessions?page=2&per_page=5': `${API}/sessions?page=2&per_page=5`,
  'GET /session/<key>': `${API}/session/k0003`,
  'GET /session/<key>/items': `${API}/session/k0003/items`,
} as const;

// Two server processes on one database (and the test's own connection, a third writer): the tag
// must follow writes from any of them.
for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || reachable)(`ETag and If-None-Match on ${kind}`, () => {
    const db = tempDatabase(kind);
    const children: ChildProcess[] = [];
    let a = '';
    let b = '';
    let v4 = '';
    let store: Store;

    beforeAll(async () => {
      buildServerCli();
      store = await openStore(db.url);
      await putSmallSessions(store.sessions, 30);
      await addUser(store.accounts, { login: 'admin', role: 'administrator', password: 'etag-pw' });
      const env = { CORS_ORIGINS: 'https://admin.example' };
      const [first, second, third] = await Promise.all([
        serveCli(db.url, env),
        serveCli(db.url, env),
        serveCli(db.url, { COCART_LIST_FORMAT: 'v4' }),
      ]);
      children.push(first.child, second.child, third.child);
      a = first.url;
      b = second.url;
      v4 = third.url;
    }, 180_000);

    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      await store?.close();
      await db.dispose();
    });

    const get = (base: string, path: string, headers: Record<string, string> = {}) =>
      rawRequest(base, { path, headers: { ...auth, ...headers } });

    it.each(Object.entries(ROUTES))(
      '%s: a strong ETag, then 304 with no body and the same tag',
      async (_, path) => {
        const first = await get(a, path);
        expect(first.status).toBe(200);
        const etag = first.headers.etag as string;
        expect(etag).toMatch(STRONG);
        const fromB = await get(b, path);
        // A cart is the same bytes from either process, so the same tag; a list's links name the
        // process's own host and port, so each process tags its own answer.
        if (fromB.text === first.text) expect(fromB.headers.etag).toBe(etag);
        else expect(fromB.headers.etag).not.toBe(etag);
        for (const [base, tag] of [
          [a, etag],
          [b, fromB.headers.etag as string],
        ] as const) {
          const again = await get(base, path, { 'If-None-Match': tag });
          expect(again.status).toBe(304);
          expect(again.text).toBe('');
          expect(again.headers.etag).toBe(tag);
        }
        // A tag the server never gave (or a weak form of another) is a full answer.
        const other = await get(a, path, { 'If-None-Match': '"0.0-x", W/"1.1-y"' });
        expect(other.status).toBe(200);
        expect(other.text).toBe(first.text);
      },
    );

    it('answers with different tags for different answers of one version', async () => {
      const tags = await Promise.all(Object.values(ROUTES).map(async (p) => (await get(a, p)).headers.etag));
      expect(new Set(tags).size).toBe(tags.length);
      const page1 = await get(a, `${API}/sessions?page=1&per_page=5`);
      const page2 = await get(a, `${API}/sessions?page=2&per_page=5`);
      expect(page1.headers.etag).not.toBe(page2.headers.etag);
      const v4Page = await get(v4, `${API}/sessions`);
      expect(v4Page.status).toBe(200);
      expect(JSON.parse(v4Page.text)).toMatchObject({ page: 1, total_sessions: 30 });
      expect(v4Page.headers.etag).toMatch(STRONG);
      expect(
        (await get(v4, `${API}/sessions`, { 'If-None-Match': v4Page.headers.etag as string })).status,
      ).toBe(304);
    });

    it.each(Object.entries(ROUTES))(
      '%s: after a delete through the other process, the held tag gets the new answer and a new tag',
      async (_, path) => {
        const held = await get(a, path);
        const victim = `k00${10 + Object.values(ROUTES).indexOf(path)}`;
        const deleted = await rawRequest(b, {
          method: 'DELETE',
          path: `${API}/session/${victim}`,
          headers: auth,
        });
        expect(deleted.status).toBe(200);
        const after = await get(a, path, { 'If-None-Match': held.headers.etag as string });
        expect(after.status).toBe(200);
        expect(after.headers.etag).toMatch(STRONG);
        expect(after.headers.etag).not.toBe(held.headers.etag);
        if (path === ROUTES['GET /sessions (the full list)']) {
          expect(after.text).not.toContain(`"${victim}"`);
          expect(held.text).toContain(`"${victim}"`);
        } else if (path.includes('?')) {
          // The totals follow at once (PostgreSQL's cached counts are stamped with the version).
          expect(Number(after.headers['x-wp-total'])).toBe(Number(held.headers['x-wp-total']) - 1);
        } else {
          // This cart did not change, so its body is the same: only the tag moved on.
          expect(after.text).toBe(held.text);
        }
      },
    );

    it('follows a write by another connection that is not a server (import, seed, CLI)', async () => {
      const held = await get(b, ROUTES['GET /sessions (the full list)']);
      await putSmallSessions(store.sessions, 31);
      const after = await get(b, ROUTES['GET /sessions (the full list)'], {
        'If-None-Match': held.headers.etag as string,
      });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(held.headers.etag);
      expect(held.text).not.toContain('"k0031"');
      expect(after.text).toContain('"k0031"');
      expect(JSON.parse(after.text)).toHaveLength(31);
    });

    it('sends no ETag without a 200 or 304', async () => {
      const missing = await get(a, `${API}/session/nope`);
      expect(missing.status).toBe(404);
      expect(missing.headers.etag).toBeUndefined();
      const missingItems = await get(a, `${API}/session/nope/items`, { 'If-None-Match': '*' });
      expect(missingItems.status).toBe(404);
      expect(missingItems.headers.etag).toBeUndefined();
      const anonymous = await rawRequest(a, { path: `${API}/sessions` });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.etag).toBeUndefined();
      const badParam = await get(a, `${API}/sessions?per_page=1000`);
      expect(badParam.status).toBe(400);
      expect(badParam.headers.etag).toBeUndefined();
    });

    it('CORS: If-None-Match allowed in a preflight, ETag exposed', async () => {
      const origin = 'https://admin.example';
      const preflight = await rawRequest(a, {
        method: 'OPTIONS',
        path: `${API}/sessions`,
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'if-none-match',
        },
      });
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/If-None-Match/i);
      const answer = await get(a, `${API}/sessions`, { Origin: origin });
      expect(String(answer.headers['access-control-expose-headers'])).toMatch(/\bETag\b/);
    });
  });
}
