// Typechecked (never run) in a fresh project that installed the four tarballs: the public API of each
// package as an npm consumer sees it, with skipLibCheck false, under nodenext and under bundler.

import { type CoCartClient, createClient, isCoCartApiError } from '@cocart-sessions/client';
import {
  type Cart,
  CartSchema,
  formatMoney,
  parseCartTotal,
  type SessionSummary,
} from '@cocart-sessions/core';
import { createApp, defaultConfig, type RunningServer, startServer } from '@cocart-sessions/server';
import { parseCliArgs, sessionsTable, USAGE } from '@cocart-sessions/tui';

export async function totalOfFirstCart(server: RunningServer): Promise<string> {
  const client: CoCartClient = createClient({ url: server.url, auth: { username: 'admin', password: 'pw' } });
  try {
    const sessions: SessionSummary[] = await client.sessions.list();
    const cart: Cart = CartSchema.parse(await client.sessions.get(sessions[0]?.cart_key ?? '1'));
    return formatMoney(parseCartTotal(cart.totals.total), cart.currency);
  } catch (error) {
    if (isCoCartApiError(error)) return `${error.status} ${error.code}`;
    throw error;
  }
}

export async function main(): Promise<string> {
  const server = await startServer({
    databaseUrl: 'sqlite::memory:',
    port: 0,
    admin: { login: 'admin', password: 'pw' },
  });
  const app: ReturnType<typeof createApp> = createApp({ store: server.store, config: defaultConfig() });
  const table = sessionsTable(await createClient({ url: server.url }).sessions.list(), Date.now());
  await server.close();
  return [USAGE, table, typeof app, JSON.stringify(parseCliArgs(['list', '--json']))].join('\n');
}
