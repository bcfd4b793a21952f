import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Cart, customerEmailOf, customerNameOf } from '@cocart-sessions/core';
import { type RunningServer, startServer } from '@cocart-sessions/server';
import cartFixture from '../../../../fixtures/session-cart.json' with { type: 'json' };

/** Admin credentials of every test server. */
export const ADMIN = { login: 'admin', password: 'correct horse battery staple' };

/** A session to store: the seed cart under another key and customer. */
export interface TestSession {
  key: string;
  first?: string;
  last?: string;
  email?: string;
  source?: string;
  /** Seconds relative to now. */
  createdIn?: number;
  expiresIn?: number;
}

/** The seed cart (cart_key "1") exactly as given, plus variations of it. */
export function seedCartVariant(s: TestSession): Record<string, unknown> {
  const cart = structuredClone(cartFixture) as typeof cartFixture;
  cart.cart_key = s.key;
  if (s.first !== undefined) cart.customer.billing_address.billing_first_name = s.first;
  if (s.last !== undefined) cart.customer.billing_address.billing_last_name = s.last;
  if (s.email !== undefined) cart.customer.billing_address.billing_email = s.email;
  return cart;
}

/** Default sessions: the seed's cart under key "1" and two more customers. */
export const DEFAULT_SESSIONS: TestSession[] = [
  { key: '1', createdIn: -2 * 86_400, expiresIn: 5 * 86_400 },
  {
    key: 'afa399e3a0647fe660438409d9ad7eb9',
    first: 'John',
    last: 'Snow',
    email: '',
    source: 'woocommerce',
    createdIn: -3 * 86_400,
    expiresIn: 2 * 3600,
  },
  {
    key: '8f36f08beca94f2b51faedcb7c6864b8',
    first: 'Clark',
    last: 'Kent',
    email: 'clark@dailyplanet.wb',
    source: 'cocart',
    createdIn: -86_400,
    expiresIn: 6 * 86_400,
  },
];

/** A running server on a temp SQLite file, and how to stop it and remove the file. */
export interface TestServer extends RunningServer {
  dir: string;
  stop(): Promise<void>;
}

/** Starts the real server (port 0, temp SQLite) holding `sessions`. */
export async function startTestServer(sessions: TestSession[] = DEFAULT_SESSIONS): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cocart-tui-'));
  const server = await startServer({
    databaseUrl: `sqlite:${join(dir, 'sessions.sqlite')}`,
    port: 0,
    admin: ADMIN,
  });
  await putSessions(server, sessions);
  return {
    ...server,
    dir,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stores sessions built from the seed cart; the seed's own cart is stored exactly as given. */
export async function putSessions(server: RunningServer, sessions: TestSession[]): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await server.store.sessions.putSessions(
    sessions.map((s) => {
      const cart = seedCartVariant(s) as unknown as Cart;
      return {
        cartKey: s.key,
        cartSource: s.source ?? 'woocommerce',
        cartCreated: now + (s.createdIn ?? -3600),
        cartExpiry: now + (s.expiresIn ?? 7 * 86_400),
        cartHash: cart.cart_hash,
        // The list columns, derived as the server's own import and demo seed derive them.
        customerName: customerNameOf(cart),
        customerEmail: customerEmailOf(cart),
        cartValue: JSON.stringify(cart),
      };
    }),
  );
}
