// A small storefront on the cart API: list the products, fill a new cart, change it, name the
// shopper, read the totals. No credentials: the cart key is what reaches the cart again.
// Run after `pnpm build`, against our server (`bash scripts/start.sh` at the repo root):
//   COCART_URL=http://127.0.0.1:8080 node examples/storefront.js
import { createClient, isCoCartApiError, isCoCartNetworkError } from '@cocart-sessions/client';
import { formatMoney, parseCartTotal } from '@cocart-sessions/core';

const client = createClient({ url: process.env.COCART_URL ?? 'http://127.0.0.1:8080' });
const money = (cart) => formatMoney(parseCartTotal(cart.totals.total), cart.currency);

try {
  const [first, second] = await client.cart.products();
  // No cart key yet: the server creates the cart and answers its key (the CoCart-API-Cart-Key header).
  const { cartKey, cart } = await client.cart.addItem({ id: first.id, quantity: 2 });
  console.log(`cart ${cartKey}: 2 × ${first.name}, total ${money(cart)}`);
  const added = await client.cart.addItem({ id: second.id }, { cartKey });
  console.log(`+ 1 × ${second.name}: total ${money(added.cart)}`);
  const line = added.cart.items.find((item) => item.id === first.id);
  const changed = await client.cart.updateItem(cartKey, line.item_key, 1);
  console.log(`${first.name} down to 1: total ${money(changed)}`);
  await client.cart.updateCustomer(cartKey, {
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.com',
  });
  console.log(`${await client.cart.count(cartKey)} item(s); totals:`, await client.cart.totals(cartKey));
} catch (error) {
  if (isCoCartNetworkError(error)) console.error('Is the store reachable?', error.message);
  else if (isCoCartApiError(error)) console.error(`${error.status} ${error.code}: ${error.serverMessage}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
