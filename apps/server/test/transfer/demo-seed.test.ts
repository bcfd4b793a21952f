import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CartSchema,
  customerEmailOf,
  customerNameOf,
  parseCartTotal,
  parseItemTotal,
} from '@cocart-sessions/core';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoSessions } from '../../src/demo/seed.js';
import { openStore } from '../../src/store/open-store.js';
import type { SessionRecord, SessionStore } from '../../src/store/session-store.js';
import type { Store } from '../../src/store/store.js';
import { exportSessions } from '../../src/transfer/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cocart-demo-'));
let n = 0;
const stores: Store[] = [];
async function fresh(): Promise<SessionStore> {
  const s = await openStore(join(dir, `demo-${++n}.db`));
  stores.push(s);
  return s.sessions;
}
afterAll(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const NOW = 1_750_000_000;
const DAY = 86_400;

async function exported(store: SessionStore): Promise<string[]> {
  const out: string[] = [];
  for await (const l of exportSessions(store)) out.push(l);
  return out;
}

async function records(store: SessionStore): Promise<SessionRecord[]> {
  const out: SessionRecord[] = [];
  for await (const batch of store.streamRecords()) out.push(...batch);
  return out;
}

describe('seedDemoSessions', () => {
  it('is deterministic for a seed and differs between seeds', async () => {
    const [a, b, c] = [await fresh(), await fresh(), await fresh()];
    expect(await seedDemoSessions(a, { count: 150, seed: 7, now: NOW })).toBe(150);
    expect(await seedDemoSessions(b, { count: 150, seed: 7, now: NOW })).toBe(150);
    expect(await seedDemoSessions(c, { count: 150, seed: 8, now: NOW })).toBe(150);
    const ea = await exported(a);
    expect(ea).toHaveLength(150);
    expect(await exported(b)).toEqual(ea);
    expect(await exported(c)).not.toEqual(ea);
  });

  it('writes exactly count realistic sessions whose totals add up', async () => {
    const store = await fresh();
    expect(await seedDemoSessions(store, { count: 1200, seed: 3, now: NOW })).toBe(1200);
    expect(await store.countSessions()).toBe(1200);
    const rows = await records(store);
    const currencies = new Set<string>();
    const sources = new Set<string>();
    let guests = 0;
    let registered = 0;
    for (const r of rows) {
      const cart = CartSchema.parse(JSON.parse(r.cartValue));
      const t = cart.totals;
      const subtotal = parseCartTotal(t.subtotal);
      expect(parseCartTotal(t.total), r.cartKey).toBe(
        subtotal -
          parseCartTotal(t.discount_total) +
          parseCartTotal(t.shipping_total) +
          parseCartTotal(t.fee_total) +
          parseCartTotal(t.total_tax),
      );
      const lines = cart.items.map((i) => parseItemTotal(i.totals.subtotal, cart.currency));
      expect(lines.reduce((x, y) => x + y, 0)).toBe(subtotal);
      expect(cart.item_count).toBe(cart.items.reduce((x, i) => x + i.quantity.value, 0));
      expect(cart.items.length).toBeGreaterThan(0);
      expect(cart.cart_key).toBe(r.cartKey);
      expect(r.cartHash).toBe(cart.cart_hash);
      expect(r.customerName).toBe(customerNameOf(cart));
      expect(r.customerEmail).toBe(customerEmailOf(cart));
      expect(r.cartCreated).toBeGreaterThan(NOW - 7 * DAY);
      expect(r.cartCreated).toBeLessThan(NOW);
      expect(r.cartExpiry).toBe(r.cartCreated + 7 * DAY);
      currencies.add(cart.currency.currency_code);
      sources.add(r.cartSource);
      if (/^[0-9a-f]{32}$/.test(r.cartKey)) guests++;
      else if (/^[1-9][0-9]*$/.test(r.cartKey)) registered++;
    }
    expect([...currencies].sort()).toEqual(['EUR', 'GBP', 'JPY', 'USD']);
    expect([...sources].sort()).toEqual(['cocart', 'woocommerce']);
    expect(guests + registered).toBe(1200);
    expect(guests).toBeGreaterThan(600);
    expect(registered).toBeGreaterThan(200);
    expect(rows.filter((r) => r.customerName === '').length).toBeGreaterThan(0);
    expect(await store.deleteExpired(NOW)).toBe(0);
  });

  it('writes nothing for a count of 0', async () => {
    const store = await fresh();
    expect(await seedDemoSessions(store, { count: 0, seed: 1, now: NOW })).toBe(0);
    expect(await store.countSessions()).toBe(0);
  });
});
