// The same through `require` (Node's require(esm)).
const { readFileSync } = require('node:fs');
const { CartSchema, formatMoney, parseCartTotal } = require('@cocart-sessions/core');

const cart = CartSchema.parse(JSON.parse(readFileSync(process.argv[2], 'utf8')));
console.log(formatMoney(parseCartTotal(cart.totals.total), cart.currency));
