// The same through `require` (Node's require(esm)).
const { createClient } = require('@cocart-sessions/client');
const { formatMoney, parseCartTotal } = require('@cocart-sessions/core');

const client = createClient({
  url: process.env.COCART_URL,
  auth: { username: process.env.COCART_USERNAME, password: process.env.COCART_PASSWORD },
});
(async () => {
  const keys = (await client.sessions.list()).map((s) => s.cart_key).sort();
  const cart = await client.sessions.get('1');
  console.log(JSON.stringify({ keys, total: formatMoney(parseCartTotal(cart.totals.total), cart.currency) }));
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
