import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CartSchema, customerEmailOf, customerNameOf } from '@cocart-sessions/core';
import { addUser, createApiKey, type NewSession, type Store, startServer } from '@cocart-sessions/server';

export const seedCart = JSON.parse(
  readFileSync(new URL('../../../../fixtures/session-cart.json', import.meta.url), 'utf8'),
);
export const ADMIN = { login: 'admin', password: 'admin-password-123', email: 'admin@shop.test' };
export const MANAGER = { login: 'manager', password: 'manager-password-123', email: 'manager@shop.test' };
export const CUSTOMER = { login: 'customer', password: 'customer-password-123' };
/** 2025-01-01T00:00:00Z: creation times count up from here; expiry stays in the future. */
export const T0 = 1_735_689_600;
const WEEK = 7 * 24 * 3600;
const FAR_FUTURE = Math.floor(Date.now() / 1000) + 365 * 24 * 3600;

/** `n` sessions: the seed's cart under key "1", then `guest_000`... carrying the seed cart re-keyed. */
export function sessionsFor(n: number): NewSession[] {
  const out: NewSession[] = [];
  for (let i = 0; i < n; i++) {
    const cartKey = i === 0 ? '1' : `guest_${String(i).padStart(3, '0')}`;
    const cart = i === 0 ? seedCart : { ...seedCart, cart_key: cartKey };
    const model = CartSchema.parse(cart);
    out.push({
      cartKey,
      cartSource: i % 3 === 0 ? 'woocommerce' : 'cocart',
      cartCreated: T0 + i * 60,
      cartExpiry: Math.max(T0 + i * 60 + WEEK, FAR_FUTURE),
      cartHash: cart.cart_hash,
      customerName: i === 0 ? customerNameOf(model) : i % 2 === 0 ? `Customer ${i}` : '',
      customerEmail: i === 0 ? customerEmailOf(model) : `c${i}@shop.test`,
      cartValue: JSON.stringify(cart),
    });
  }
  return out;
}

export interface RealServer {
  url: string;
  keys: { consumerKey: string; consumerSecret: string };
  store: Store;
  close(): Promise<void>;
}

/** The real server on a temp SQLite file and an ephemeral port, with staff, a customer and API keys. */
export async function startRealServer(opts: {
  sessions: NewSession[];
  listFormat?: 'v3' | 'v4';
}): Promise<RealServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cocart-client-'));
  const running = await startServer({
    databaseUrl: `sqlite:${join(dir, 'sessions.db')}`,
    host: '127.0.0.1',
    port: 0,
    listFormat: opts.listFormat ?? 'v3',
    logLevel: 'silent',
    admin: { login: ADMIN.login, password: ADMIN.password },
  });
  await running.store.accounts.updateUser(ADMIN.login, { email: ADMIN.email });
  await addUser(running.store.accounts, { ...MANAGER, role: 'shop_manager' });
  await addUser(running.store.accounts, { ...CUSTOMER, role: 'customer' });
  const keys = await createApiKey(running.store.accounts, MANAGER.login);
  if (opts.sessions.length > 0) await running.store.sessions.putSessions(opts.sessions);
  return {
    url: running.url,
    keys,
    store: running.store,
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
