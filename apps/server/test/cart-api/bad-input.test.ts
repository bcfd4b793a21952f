import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CART_LINES } from '../../src/cart-api/cart-limits.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { fixture, sessionOf, tempDatabase } from '../http/harness.js';
import { API, type CartAnswer, call, keyed } from './cart-harness.js';

/** The WordPress envelope of `code` with `status`, whatever its message. */
function expectError(res: CartAnswer, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.json).toMatchObject({ code, message: expect.any(String), data: { status } });
}

describe('cart API: bad input gets the plugin’s error code and status, never a 500', () => {
  const db = tempDatabase('sqlite');
  let srv: RunningServer;
  let key: string;
  let itemKey: string;
  const add = (body: unknown, cartKey?: string) =>
    call(
      srv.url,
      'POST',
      cartKey === undefined ? `${API}/cart/add-item` : keyed(`${API}/cart/add-item`, cartKey),
      {
        body,
      },
    );

  beforeAll(async () => {
    srv = await startServer({ databaseUrl: db.url });
    const first = await add({ id: 104, quantity: 1 });
    key = first.headers['cocart-api-cart-key'] as string;
    itemKey = first.json.items[0].item_key;
  }, 60_000);

  afterAll(async () => {
    await srv?.close();
    await db.dispose();
  });

  describe('add-item', () => {
    it('a missing id: 400 rest_missing_callback_param', async () => {
      const res = await add({ quantity: 1 });
      expectError(res, 400, 'rest_missing_callback_param');
      expect(res.json.data.params).toEqual(['id']);
    });

    it('an empty or zero id: 404 cocart_product_id_required', async () => {
      for (const id of ['', 0, ' ']) expectError(await add({ id }), 404, 'cocart_product_id_required');
    });

    it('an unknown product id: 404 cocart_product_does_not_exist; an unknown SKU: 404 cocart_unknown_product_id', async () => {
      expectError(await add({ id: 999 }), 404, 'cocart_product_does_not_exist');
      expectError(await add({ id: '999' }), 404, 'cocart_product_does_not_exist');
      expectError(await add({ id: 'NO-SUCH-SKU' }), 404, 'cocart_unknown_product_id');
    });

    it('a quantity of 0 or below: 405 cocart_quantity_invalid_amount (minimum 1); above the maximum: the same code', async () => {
      for (const quantity of [0, -1, '0', '-3']) {
        const res = await add({ id: 101, quantity });
        expectError(res, 405, 'cocart_quantity_invalid_amount');
        expect(res.json.message).toBe('Quantity must be a minimum of 1.');
      }
      const big = await add({ id: 101, quantity: 1000 });
      expectError(big, 405, 'cocart_quantity_invalid_amount');
      expect(big.json.message).toBe('Quantity must be 999 or lower.');
      // 998 more of a line that holds 1 would pass 999 together: refused, the line unchanged.
      expectError(await add({ id: 104, quantity: 999 }, key), 405, 'cocart_quantity_invalid_amount');
    });

    it('a quantity that is not a whole number, and wrong types: 400 rest_invalid_param naming the parameter', async () => {
      for (const [body, param] of [
        [{ id: 101, quantity: 1.5 }, 'quantity'],
        [{ id: 101, quantity: '1.5' }, 'quantity'],
        [{ id: 101, quantity: 'two' }, 'quantity'],
        [{ id: 101, quantity: null }, 'quantity'],
        [{ id: true }, 'id'],
        [{ id: [101] }, 'id'],
        [{ id: 101, variation: { attribute_size: 3 } }, 'variation'],
        [{ id: 101, variation: 'L' }, 'variation'],
        [{ id: 101, item_data: { note: { nested: true } } }, 'item_data'],
        [{ id: 'DEMO\u0000101' }, 'id'],
      ] as const) {
        const res = await add(body);
        expectError(res, 400, 'rest_invalid_param');
        expect(Object.keys(res.json.data.params), JSON.stringify(body)).toEqual([param]);
      }
    });

    it('extra fields: 400 rest_invalid_param naming each', async () => {
      const res = await add({ id: 101, price: '0.01', return_item: true });
      expectError(res, 400, 'rest_invalid_param');
      expect(Object.keys(res.json.data.params).sort()).toEqual(['price', 'return_item']);
    });

    it('a body that is not a JSON object: 400 rest_invalid_json or rest_invalid_param', async () => {
      expectError(await add('{"id": 101,'), 400, 'rest_invalid_json');
      expectError(await add('[101]'), 400, 'rest_invalid_param');
      expectError(await add('"101"'), 400, 'rest_invalid_param');
    });

    it('a body over the size limit: 413 cocart_payload_too_large', async () => {
      expectError(
        await add({ id: 101, item_data: { note: 'x'.repeat(20_000) } }),
        413,
        'cocart_payload_too_large',
      );
    });

    it(`a line past ${MAX_CART_LINES}: 403 cocart_cannot_add_to_cart; more of a line it holds still goes in`, async () => {
      const full = await add({ id: 101, item_data: { n: 0 } });
      const fullKey = full.headers['cocart-api-cart-key'] as string;
      for (let n = 1; n < MAX_CART_LINES; n++)
        expect((await add({ id: 101, item_data: { n } }, fullKey)).status).toBe(200);
      const refused = await add({ id: 102 }, fullKey);
      expectError(refused, 403, 'cocart_cannot_add_to_cart');
      const more = await add({ id: 101, item_data: { n: 7 } }, fullKey);
      expect(more.status).toBe(200);
      expect(more.json.items).toHaveLength(MAX_CART_LINES);
      expect(more.json.item_count).toBe(MAX_CART_LINES + 1);
    });
  });

  describe('cart keys', () => {
    it('an unknown cart key: 404 cocart_cart_in_session_not_valid on every route that takes one', async () => {
      const unknown = '0123456789abcdef0123456789abcdef';
      for (const [method, path, body] of [
        ['GET', `${API}/cart`, undefined],
        ['GET', `${API}/cart/items`, undefined],
        ['GET', `${API}/cart/items/count`, undefined],
        ['GET', `${API}/cart/totals`, undefined],
        ['POST', `${API}/cart/add-item`, { id: 101 }],
        ['POST', `${API}/cart/item/${itemKey}`, { quantity: 2 }],
        ['DELETE', `${API}/cart/item/${itemKey}`, undefined],
        ['POST', `${API}/cart/clear`, undefined],
        ['POST', `${API}/cart/update`, { namespace: 'update-customer', first_name: 'Eve' }],
      ] as const) {
        expectError(
          await call(srv.url, method, keyed(path, unknown), { body }),
          404,
          'cocart_cart_in_session_not_valid',
        );
      }
      expect(await srv.store.sessions.getSessionRecord(unknown)).toBeUndefined();
    });

    it('a malformed cart key: 400 rest_invalid_param; none where one is needed: 400 rest_missing_callback_param', async () => {
      expectError(await call(srv.url, 'GET', keyed(`${API}/cart`, 'not-a-key!')), 400, 'rest_invalid_param');
      expectError(await call(srv.url, 'GET', `${API}/cart`), 400, 'rest_missing_callback_param');
      expectError(await call(srv.url, 'POST', `${API}/cart/clear`), 400, 'rest_missing_callback_param');
    });

    it('an unknown query parameter: 400 rest_invalid_param', async () => {
      const res = await call(srv.url, 'GET', `${API}/cart?cart_key=${key}&debug=1`);
      expectError(res, 400, 'rest_invalid_param');
      expect(Object.keys(res.json.data.params)).toEqual(['debug']);
    });
  });

  describe('items', () => {
    it('an unknown item key: 404 cocart_item_not_in_cart, to update and to remove', async () => {
      const unknownItem = 'ffffffffffffffffffffffffffffffff';
      expectError(
        await call(srv.url, 'POST', keyed(`${API}/cart/item/${unknownItem}`, key), { body: { quantity: 2 } }),
        404,
        'cocart_item_not_in_cart',
      );
      expectError(
        await call(srv.url, 'DELETE', keyed(`${API}/cart/item/${unknownItem}`, key)),
        404,
        'cocart_item_not_in_cart',
      );
    });

    it('an item key that is not \\w+: 404 rest_no_route', async () => {
      expectError(await call(srv.url, 'DELETE', keyed(`${API}/cart/item/a-b`, key)), 404, 'rest_no_route');
    });

    it('a bad new quantity: 405 below zero or above the maximum, 400 when not a whole number or missing', async () => {
      const path = keyed(`${API}/cart/item/${itemKey}`, key);
      expectError(
        await call(srv.url, 'POST', path, { body: { quantity: -1 } }),
        405,
        'cocart_quantity_invalid_amount',
      );
      expectError(
        await call(srv.url, 'POST', path, { body: { quantity: 1000 } }),
        405,
        'cocart_quantity_invalid_amount',
      );
      expectError(await call(srv.url, 'POST', path, { body: { quantity: 2.5 } }), 400, 'rest_invalid_param');
      expectError(await call(srv.url, 'POST', path, { body: {} }), 400, 'rest_missing_callback_param');
      expectError(
        await call(srv.url, 'POST', path, { body: { quantity: 2, id: 5 } }),
        400,
        'rest_invalid_param',
      );
      // None of them changed the line.
      expect((await call(srv.url, 'GET', keyed(`${API}/cart/items/count`, key))).json).toBe(1);
    });

    it('quantity 0 removes the item, as the plugin does; then the empty cart has no items to remove and no totals', async () => {
      const res = await call(srv.url, 'POST', keyed(`${API}/cart/item/${itemKey}`, key), {
        body: { quantity: 0 },
      });
      expect(res.status).toBe(200);
      expect(res.json.items).toEqual([]);
      expectError(
        await call(srv.url, 'DELETE', keyed(`${API}/cart/item/${itemKey}`, key)),
        404,
        'cocart_no_items_in_cart',
      );
      expectError(
        await call(srv.url, 'GET', keyed(`${API}/cart/totals`, key)),
        404,
        'cocart_cart_totals_empty',
      );
      expect((await call(srv.url, 'GET', keyed(`${API}/cart/items/count`, key))).json).toBe(0);
    });
  });

  describe('update-customer', () => {
    it('an empty cart: 404 cocart_cart_empty', async () => {
      const res = await call(srv.url, 'POST', keyed(`${API}/cart/update`, key), {
        body: { namespace: 'update-customer', first_name: 'Eve' },
      });
      expectError(res, 404, 'cocart_cart_empty');
    });

    it('no namespace, an unknown one, a bad email, an unknown field: the plugin’s codes, nothing written', async () => {
      const filled = await add({ id: 110 });
      const cartKey = filled.headers['cocart-api-cart-key'] as string;
      const path = keyed(`${API}/cart/update`, cartKey);
      expectError(
        await call(srv.url, 'POST', path, { body: { first_name: 'Eve' } }),
        404,
        'cocart_update_cart_namespace_error',
      );
      expectError(
        await call(srv.url, 'POST', path, { body: { namespace: 'coupons', first_name: 'Eve' } }),
        404,
        'cocart_update_cart_no_namespace_error',
      );
      expectError(
        await call(srv.url, 'POST', path, { body: { namespace: 'update-customer', email: 'not an email' } }),
        400,
        'cocart_email_field_invalid',
      );
      expectError(
        await call(srv.url, 'POST', path, { body: { namespace: 'update-customer', billing_city: 'Leeds' } }),
        400,
        'rest_invalid_param',
      );
      expectError(
        await call(srv.url, 'POST', path, { body: { namespace: 'update-customer', first_name: 42 } }),
        400,
        'rest_invalid_param',
      );
      expect((await call(srv.url, 'GET', keyed(`${API}/cart`, cartKey))).text).toBe(filled.text);
    });
  });

  it("a cart imported elsewhere (the seed's): read as stored, and a write recalculates it from the catalog", async () => {
    const seed = fixture('session-cart.json') as Record<string, unknown>;
    await srv.store.sessions.putSessions([sessionOf(seed)]);
    expect((await call(srv.url, 'GET', keyed(`${API}/cart`, '1'))).text).toBe(JSON.stringify(seed));
    const res = await add({ id: 101 }, '1');
    expect(res.status).toBe(200);
    // The seed's products are not in the catalog: their lines go, as WooCommerce drops missing products.
    expect(res.json.items.map((i: { id: number }) => i.id)).toEqual([101]);
    expect(res.json.customer).toEqual(seed.customer);
    expect(res.json).toMatchObject({
      cart_key: '1',
      coupons: [],
      totals: { subtotal: '1800', total: '2160' },
    });
  });

  it('a clear with fields: 400 rest_invalid_param', async () => {
    expectError(
      await call(srv.url, 'POST', keyed(`${API}/cart/clear`, key), { body: { keep_removed_items: true } }),
      400,
      'rest_invalid_param',
    );
  });
});
