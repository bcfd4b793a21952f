import { CartSchema, formatApiDate } from '@cocart-sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.js';
import { basic, tempDatabase } from '../http/harness.js';
import { API, type CartAnswer, call, keyed } from './cart-harness.js';

const ADMIN = { login: 'admin', password: 'correct horse battery staple' };
const admin = { Authorization: basic(ADMIN.login, ADMIN.password) };
const DAY = 86_400;
/** 2030-01-01T00:00:00Z: the servers' clock starts here and moves only when a test moves it. */
const T0 = 1_893_456_000;

/** The totals add up as the core's calculator promises (minor units). */
function expectTotalsAddUp(cart: ReturnType<typeof CartSchema.parse>): void {
  const t = Object.fromEntries(Object.entries(cart.totals).map(([k, v]) => [k, Number(v)]));
  expect(t.total).toBe(t.subtotal! - t.discount_total! + t.shipping_total! + t.fee_total! + t.total_tax!);
  const lines = cart.items.reduce((sum, i) => sum + Math.round(i.totals.subtotal * 100), 0);
  expect(lines).toBe(t.subtotal);
  expect(cart.item_count).toBe(cart.items.reduce((sum, i) => sum + i.quantity.value, 0));
}

/**
 * The cart API against a real server on `kind`: a cart built by a sequence of calls is what the
 * Sessions API serves, byte for byte; its totals add up; its expiry moves as the plugin's does; a
 * cart deleted through the Sessions API is gone for the cart API too.
 */
export function defineCartApiSuite(kind: 'sqlite' | 'postgres'): void {
  describe(`cart API on ${kind}`, () => {
    const db = tempDatabase(kind);
    let srv: RunningServer;
    let nowMs = T0 * 1000;

    beforeAll(async () => {
      srv = await startServer({
        databaseUrl: db.url,
        admin: ADMIN,
        corsOrigins: ['https://shop.example'],
        clock: () => nowMs,
      });
    }, 60_000);

    afterAll(async () => {
      await srv?.close();
      await db.dispose();
    });

    describe('a cart built through the cart API', () => {
      let key: string;
      let last: CartAnswer;

      it('starts with add-item and no key: a new guest cart, its key in the exposed CoCart-API-Cart-Key header', async () => {
        const res = await call(srv.url, 'POST', `${API}/cart/add-item`, {
          body: { id: 101, quantity: 2 },
          headers: { Origin: 'https://shop.example' },
        });
        expect(res.status).toBe(200);
        key = res.headers['cocart-api-cart-key'] as string;
        expect(key).toMatch(/^[0-9a-f]{32}$/);
        expect(String(res.headers['access-control-expose-headers'])).toContain('CoCart-API-Cart-Key');
        expect(res.headers['cocart-api-cart-expiration']).toBe(String(T0 + 7 * DAY));
        expect(res.headers['cocart-api-cart-expiring']).toBe(String(T0 + 6 * DAY));
        expect(res.json).toMatchObject({ cart_key: key, item_count: 2, currency: { currency_code: 'GBP' } });
        expect(res.json.items[0]).toMatchObject({ id: 101, name: 'Organic Cotton T-Shirt', price: '18.00' });
      });

      it('grows by SKU with item data, by the header key, and merges a product already in it', async () => {
        nowMs += DAY * 1000;
        const bySku = await call(srv.url, 'POST', keyed(`${API}/cart/add-item`, key), {
          body: { id: 'DEMO-103', quantity: '1', item_data: { gift_note: 'Happy birthday' } },
        });
        expect(bySku.status).toBe(200);
        expect(bySku.json.items[1]).toMatchObject({
          id: 103,
          cart_item_data: { gift_note: 'Happy birthday' },
        });
        const byHeader = await call(srv.url, 'POST', `${API}/cart/add-item`, {
          body: { id: 101 },
          headers: { 'CoCart-API-Cart-Key': key },
        });
        expect(byHeader.status).toBe(200);
        expect(
          byHeader.json.items.map((i: { id: number; quantity: { value: number } }) => [
            i.id,
            i.quantity.value,
          ]),
        ).toEqual([
          [101, 3],
          [103, 1],
        ]);
        // The rest_route= form of WordPress reaches the same route.
        const routed = await call(srv.url, 'POST', `/?rest_route=/cocart/v2/cart/add-item&cart_key=${key}`, {
          body: { id: 105 },
        });
        expect(routed.status).toBe(200);
        expect(routed.json.item_count).toBe(5);
      });

      it('changes a quantity, removes a line and names the customer', async () => {
        const cart = (await call(srv.url, 'GET', keyed(`${API}/cart`, key))).json;
        const tote = cart.items.find((i: { id: number }) => i.id === 103).item_key;
        const bottle = cart.items.find((i: { id: number }) => i.id === 105).item_key;
        const updated = await call(srv.url, 'POST', keyed(`${API}/cart/item/${tote}`, key), {
          body: { quantity: 4 },
        });
        expect(updated.status).toBe(200);
        const removed = await call(srv.url, 'DELETE', keyed(`${API}/cart/item/${bottle}`, key));
        expect(removed.status).toBe(200);
        expect(removed.json.items.map((i: { id: number }) => i.id)).toEqual([101, 103]);
        last = await call(srv.url, 'POST', keyed(`${API}/cart/update`, key), {
          body: {
            namespace: 'update-customer',
            first_name: 'Ada',
            last_name: 'Lovelace',
            email: 'ada@example.com',
          },
        });
        expect(last.status).toBe(200);
        expect(last.json.customer.billing_address).toMatchObject({
          billing_first_name: 'Ada',
          billing_last_name: 'Lovelace',
          billing_email: 'ada@example.com',
        });
      });

      it('is, byte for byte, what GET /session/<key> answers, with totals that add up', async () => {
        const session = await call(srv.url, 'GET', `${API}/session/${key}`, { headers: admin });
        expect(session.status).toBe(200);
        expect(session.text).toBe(last.text);
        expect((await call(srv.url, 'GET', keyed(`${API}/cart`, key))).text).toBe(session.text);
        const cart = CartSchema.parse(session.json);
        // 3 x £18.00 + 4 x £12.00, VAT 20%.
        expect(cart.totals).toMatchObject({ subtotal: '10200', total_tax: '2040', total: '12240' });
        expect(cart.item_count).toBe(7);
        expectTotalsAddUp(cart);
        const items = await call(srv.url, 'GET', keyed(`${API}/cart/items`, key));
        expect(items.text).toBe(
          (await call(srv.url, 'GET', `${API}/session/${key}/items`, { headers: admin })).text,
        );
        expect((await call(srv.url, 'GET', keyed(`${API}/cart/items/count`, key))).json).toBe(7);
        expect((await call(srv.url, 'GET', keyed(`${API}/cart/totals`, key))).json).toEqual(cart.totals);
      });

      it('shows in the Sessions list as a cocart cart of the named customer, created once, expiring 7 days after the last write', async () => {
        const list = await call(srv.url, 'GET', `${API}/sessions?search=ada%40example.com`, {
          headers: admin,
        });
        expect(list.status).toBe(200);
        expect(list.json).toEqual([
          expect.objectContaining({
            cart_key: key,
            customers_name: 'Ada Lovelace',
            customers_email: 'ada@example.com',
            cart_source: 'cocart',
            cart_created: formatApiDate(T0),
            cart_expiry: formatApiDate(T0 + DAY + 7 * DAY),
          }),
        ]);
      });

      it('needs no admin credentials, and checks none that are sent', async () => {
        const res = await call(srv.url, 'GET', keyed(`${API}/cart`, key), {
          headers: { Authorization: basic('admin', 'wrong password') },
        });
        expect(res.status).toBe(200);
        expect(res.text).toBe(last.text);
      });

      it('is cleared to an empty cart that stays in session', async () => {
        const cleared = await call(srv.url, 'POST', keyed(`${API}/cart/clear`, key));
        expect(cleared.status).toBe(200);
        expect(cleared.json).toMatchObject({ item_count: 0, items: [], totals: { total: '0' } });
        expect((await call(srv.url, 'GET', `${API}/session/${key}`, { headers: admin })).text).toBe(
          cleared.text,
        );
      });

      it("is gone for the cart API once deleted through the Sessions API: the plugin's cart-not-found error", async () => {
        const deleted = await call(srv.url, 'DELETE', `${API}/session/${key}`, { headers: admin });
        expect(deleted.status).toBe(200);
        const notFound = {
          code: 'cocart_cart_in_session_not_valid',
          message: 'Cart in session is not valid!',
          data: { status: 404 },
        };
        for (const [method, path, body] of [
          ['GET', `${API}/cart`, undefined],
          ['GET', `${API}/cart/items`, undefined],
          ['POST', `${API}/cart/add-item`, { id: 101 }],
          ['POST', `${API}/cart/clear`, undefined],
        ] as const) {
          const res = await call(srv.url, method, keyed(path, key), { body });
          expect([res.status, res.json], `${method} ${path}`).toEqual([404, notFound]);
        }
        // A write to a deleted key never brings the cart back.
        expect(await srv.store.sessions.getSessionRecord(key)).toBeUndefined();
      });
    });

    it('loses no update when 20 add-items for one cart arrive at once', async () => {
      const first = await call(srv.url, 'POST', `${API}/cart/add-item`, { body: { id: 108 } });
      const key = first.headers['cocart-api-cart-key'] as string;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(srv.url, 'POST', keyed(`${API}/cart/add-item`, key), {
            body: { id: i % 2 === 0 ? 108 : 111 },
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      const cart = (await call(srv.url, 'GET', `${API}/session/${key}`, { headers: admin })).json;
      expect(
        cart.items.map((i: { id: number; quantity: { value: number } }) => [i.id, i.quantity.value]),
      ).toEqual([
        [108, 11],
        [111, 10],
      ]);
      // The answers saw the cart grow one write at a time: each count from 2 to 21 exactly once.
      expect(answers.map((a) => a.json.item_count).sort((x: number, y: number) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
    });

    it('lists the products a cart can hold, in CoCart’s product shape', async () => {
      const res = await call(srv.url, 'GET', `${API}/products`);
      expect(res.status).toBe(200);
      expect(res.json).toHaveLength(16);
      expect(res.json[0]).toMatchObject({
        id: 101,
        name: 'Organic Cotton T-Shirt',
        type: 'simple',
        sku: 'DEMO-101',
        prices: { price: '1800', currency: { currency_code: 'GBP' } },
        stock: { is_in_stock: true },
        add_to_cart: { is_purchasable: true, purchase_quantity: { min_purchase: 1, max_purchase: 999 } },
      });
    });
  });
}
