// The seed cart's total, formatted by the installed core through `import`.
import { readFileSync } from 'node:fs';
import { CartSchema, formatMoney, parseCartTotal } from '@cocart-sessions/core';

const cart = CartSchema.parse(JSON.parse(readFileSync(process.argv[2], 'utf8')));
console.log(formatMoney(parseCartTotal(cart.totals.total), cart.currency));
