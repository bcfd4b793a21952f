import { formatApiDate } from '@cocart-sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.js';
import type { NewSession } from '../../src/store/session-store.js';
import { basic, postgresForTests, tempDatabase } from './harness.js';

const ADMIN = { login: 'admin', password: 'correct horse battery staple' };
const API = '/wp-json/cocart/v2';
/** Three batches of the stream (1000 rows each), each sent as several strings. */
const COUNT = 2345;
// Multi-byte UTF-8 (2, 3 and 4 bytes), and characters JSON must escape.
const NAMES = ['Jürgen Müller', '李雷', 'Zoë 😀 Smith', 'O"Brien \\ Back', 'Tab\tName', 'Plain Name'];
const CREATED = 1_764_000_000;

function sessionAt(i: number): NewSession {
  const name = `${NAMES[i % NAMES.length]} ${i}`;
  return {
    cartKey: `fl${String(i).padStart(5, '0')}`,
    cartSource: i % 3 === 0 ? 'woocommerce' : 'cocart',
    cartCreated: CREATED + i * 37,
    cartExpiry: CREATED + 7 * 86_400 + i * 37,
    cartHash: '',
    customerName: name,
    customerEmail: `customer${i}@example.com`,
    cartValue: '{"items":[]}',
  };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const reachable = kind === 'sqlite' || (await postgresForTests());
  describe.skipIf(!reachable)(`the full list of ${COUNT} sessions on ${kind}`, () => {
    const db = tempDatabase(kind);
    let srv: RunningServer;

    beforeAll(async () => {
      srv = await startServer({ databaseUrl: db.url, port: 0, admin: ADMIN });
      await srv.store.sessions.putSessions(Array.from({ length: COUNT }, (_, i) => sessionAt(i)));
    }, 60_000);

    afterAll(async () => {
      await srv?.close();
      await db.dispose();
    });

    it('is byte for byte the JSON of every summary, across batches and multi-byte names', async () => {
      const res = await fetch(`${srv.url}${API}/sessions`, {
        headers: { Authorization: basic(ADMIN.login, ADMIN.password) },
      });
      expect(res.status).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      const list = JSON.parse(body.toString('utf8')) as Array<{ cart_id: string; cart_key: string }>;
      expect(list).toHaveLength(COUNT);
      const ids = list.map((s) => Number(s.cart_id));
      expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
      const byKey = new Map(Array.from({ length: COUNT }, (_, i) => [sessionAt(i).cartKey, sessionAt(i)]));
      const expected = list.map(({ cart_id, cart_key }) => {
        const s = byKey.get(cart_key)!;
        return {
          cart_id,
          cart_key: s.cartKey,
          customers_name: s.customerName,
          customers_email: s.customerEmail,
          cart_created: formatApiDate(s.cartCreated),
          cart_expiry: formatApiDate(s.cartExpiry),
          cart_source: s.cartSource,
          link: `${srv.url}${API}/session/${s.cartKey}`,
        };
      });
      expect(new Set(list.map((s) => s.cart_key)).size).toBe(COUNT);
      expect(body.equals(Buffer.from(JSON.stringify(expected), 'utf8'))).toBe(true);
      expect(list[2]).toMatchObject({
        customers_name: 'Zoë 😀 Smith 2',
        cart_created: '11/24/2025 16:01:14',
      });
    });
  });
}
