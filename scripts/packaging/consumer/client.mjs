// Lists the sessions of a running server and formats one cart's total, through `import`.
import { createClient } from '@cocart-sessions/client';
import { formatMoney, parseCartTotal } from '@cocart-sessions/core';

const client = createClient({
  url: process.env.COCART_URL,
  auth: { username: process.env.COCART_USERNAME, password: process.env.COCART_PASSWORD },
});
const keys = (await client.sessions.list()).map((s) => s.cart_key).sort();
const cart = await client.sessions.get('1');
console.log(JSON.stringify({ keys, total: formatMoney(parseCartTotal(cart.totals.total), cart.currency) }));
