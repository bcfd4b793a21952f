import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CoCartApiError, CoCartClientError, createClient } from '@cocart-sessions/client';
import { itemsMapOf, parseCartTotal } from '@cocart-sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type RealServer, startRealServer } from './helpers/real-server.js';

/** The demo catalog's first products, as the server's `GET products` lists them (apps/server/src/demo/catalog.ts). */
const TEE = { id: 101, name: 'Organic Cotton T-Shirt', pence: 1800 };
const BEANIE = { id: 102, name: 'Merino Beanie', pence: 2200 };

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ sessions: [] });
});
afterAll(async () => {
  await server?.close();
});

async function failure(p: Promise<unknown>): Promise<CoCartApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CoCartApiError);
    return e as CoCartApiError;
  }
  throw new Error('expected the call to fail');
}

describe('client.cart against the real server', () => {
  it('builds a cart as a storefront does, and the Sessions API returns the same cart', async () => {
    // No credentials: the cart key is the capability.
    const shop = createClient({ url: server.url });
    const admin = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });

    const products = await shop.cart.products();
    expect(products.length).toBe(16);
    expect(products[0]).toMatchObject({ id: TEE.id, name: TEE.name, prices: { price: String(TEE.pence) } });

    const created = await shop.cart.addItem({ id: TEE.id, quantity: 2 });
    expect(created.cartKey).toMatch(/^[0-9a-f]{32}$/);
    expect(created.cart.cart_key).toBe(created.cartKey);
    expect(created.cart.items.map((i) => [i.id, i.quantity.value])).toEqual([[TEE.id, 2]]);
    expect(Number(created.cart.totals.subtotal)).toBe(2 * TEE.pence);
    const { cartKey } = created;

    const two = await shop.cart.addItem({ id: BEANIE.id }, { cartKey });
    expect(two.cartKey).toBe(cartKey);
    expect(two.cart.item_count).toBe(3);
    expect(Number(two.cart.totals.subtotal)).toBe(2 * TEE.pence + BEANIE.pence);
    const tee = two.cart.items.find((i) => i.id === TEE.id)!;
    const beanie = two.cart.items.find((i) => i.id === BEANIE.id)!;

    const changed = await shop.cart.updateItem(cartKey, tee.item_key, 5);
    expect(changed.item_count).toBe(6);
    expect(Number(changed.totals.subtotal)).toBe(5 * TEE.pence + BEANIE.pence);
    const removed = await shop.cart.removeItem(cartKey, beanie.item_key);
    expect(removed.items.map((i) => i.id)).toEqual([TEE.id]);
    const named = await shop.cart.updateCustomer(cartKey, {
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
    });
    expect(named.customer.billing_address.billing_email).toBe('ada@example.com');

    const cart = await shop.cart.get(cartKey);
    expect(cart).toEqual(await admin.sessions.get(cartKey));
    expect(await shop.cart.items(cartKey)).toEqual(itemsMapOf(cart));
    expect(await shop.cart.count(cartKey)).toBe(5);
    const totals = await shop.cart.totals(cartKey);
    expect(totals).toEqual(cart.totals);
    expect(parseCartTotal(totals.total)).toBe(
      parseCartTotal(totals.subtotal) +
        parseCartTotal(totals.subtotal_tax) +
        parseCartTotal(totals.shipping_total) +
        parseCartTotal(totals.shipping_tax) +
        parseCartTotal(totals.fee_total) +
        parseCartTotal(totals.fee_tax) -
        parseCartTotal(totals.discount_total) -
        parseCartTotal(totals.discount_tax),
    );
    const [listed] = await admin.sessions.list();
    expect(listed).toMatchObject({
      cart_key: cartKey,
      customers_name: 'Ada Lovelace',
      customers_email: 'ada@example.com',
      cart_source: 'cocart',
    });

    const cleared = await shop.cart.clear(cartKey);
    expect(cleared.items).toEqual([]);
    expect(await shop.cart.items(cartKey)).toEqual({});
    expect(await shop.cart.count(cartKey)).toBe(0);
  });

  it('fails with the plugin codes as CoCartApiError, and checks keys before sending', async () => {
    const shop = createClient({ url: server.url });
    const { cartKey, cart } = await shop.cart.addItem({ id: TEE.id });
    const unknownProduct = await failure(shop.cart.addItem({ id: 999_999 }, { cartKey }));
    expect([unknownProduct.status, unknownProduct.code]).toEqual([404, 'cocart_product_does_not_exist']);
    const zero = await failure(shop.cart.addItem({ id: TEE.id, quantity: 0 }, { cartKey }));
    expect(zero.code).toBe('cocart_quantity_invalid_amount');
    const noItem = await failure(shop.cart.updateItem(cartKey, 'f'.repeat(32), 2));
    expect([noItem.status, noItem.code]).toEqual([404, 'cocart_item_not_in_cart']);
    const unknownCart = await failure(shop.cart.get('0'.repeat(32)));
    expect([unknownCart.status, unknownCart.code]).toEqual([404, 'cocart_cart_in_session_not_valid']);
    const badEmail = await failure(shop.cart.updateCustomer(cartKey, { email: 'not an email' }));
    expect(badEmail.code).toBe('cocart_email_field_invalid');
    // The cart is as it was after every refused call.
    expect(await shop.cart.get(cartKey)).toEqual(cart);
    await expect(shop.cart.get('../sessions')).rejects.toThrow(CoCartClientError);
    await expect(shop.cart.removeItem(cartKey, 'a/b')).rejects.toMatchObject({ code: 'invalid_cart_key' });
  });

  // The example imports the packages' builds, as a user runs it: `pnpm test` (turbo) builds them first.
  it('runs the storefront example of the README', async () => {
    const example = fileURLToPath(
      new URL('../../../packages/client/examples/storefront.js', import.meta.url),
    );
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [example],
        { env: { ...process.env, COCART_URL: server.url } },
        (e, stdout, stderr) => resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cart [0-9a-f]{32}: 2 × Organic Cotton T-Shirt, total £/m);
    expect(run.stdout).toContain('+ 1 × Merino Beanie: total £');
    expect(run.stdout).toContain('2 item(s); totals:');
  });
});
