// Lists every session of a store, one line each, then the first cart's totals.
// Run after `pnpm build`, against any CoCart store or our server (`pnpm start` at the repo root):
//   COCART_URL=http://127.0.0.1:8080 COCART_USERNAME=admin COCART_PASSWORD=... node examples/list-sessions.js
import { createClient, isCoCartApiError, isCoCartNetworkError } from '@cocart-sessions/client';
import { formatMoney, parseCartTotal } from '@cocart-sessions/core';

const { COCART_URL = 'http://127.0.0.1:8080', COCART_USERNAME, COCART_PASSWORD } = process.env;
const client = createClient({
  url: COCART_URL,
  auth: COCART_USERNAME ? { username: COCART_USERNAME, password: COCART_PASSWORD ?? '' } : undefined,
});

try {
  let count = 0;
  let first;
  // One page of 100 is fetched at a time; an empty store simply yields nothing.
  for await (const s of client.sessions.iterate({ orderBy: 'cart_id', order: 'asc' })) {
    first ??= s.cart_key;
    count++;
    console.log(`${s.cart_key.padEnd(34)} ${s.customers_name || '(guest)'} · expires ${s.cart_expiry} UTC`);
  }
  console.log(`${count} session(s)`);
  if (first) {
    const cart = await client.sessions.get(first);
    // Cart totals are strings of minor units ("5874"); the core formats them with the cart's currency.
    const total = formatMoney(parseCartTotal(cart.totals.total), cart.currency);
    console.log(`cart ${first}: ${cart.item_count} item(s), total ${total}`);
  }
} catch (error) {
  if (isCoCartApiError(error) && error.status === 401) console.error('Check the credentials:', error.message);
  else if (isCoCartNetworkError(error)) console.error('Is the store reachable?', error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
