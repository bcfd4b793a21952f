// Prints the seed cart's lines and totals formatted with its own currency settings.
// Run after a build: pnpm --filter @cocart-sessions/core build && pnpm --filter @cocart-sessions/core example
import { readFileSync } from 'node:fs';
import {
  CartSchema,
  formatMoney,
  parseCartTotal,
  parseCouponSaving,
  parseItemPrice,
  parseItemTotal,
  parseShippingHtml,
} from '@cocart-sessions/core';

const json = JSON.parse(
  readFileSync(new URL('../../../fixtures/session-cart.json', import.meta.url), 'utf8'),
);
const cart = CartSchema.parse(json);
const { currency } = cart;
const money = (minor) => formatMoney(minor, currency);
const row = (label, value) => `  ${label.padEnd(36)}${value.padStart(12)}`;

console.log(`Cart ${cart.cart_key} (${currency.currency_code}), ${cart.item_count} items`);
for (const item of cart.items) {
  const unit = money(parseItemPrice(item.price, currency));
  console.log(
    row(
      `${item.quantity.value} × ${item.name} @ ${unit}`,
      money(parseItemTotal(item.totals.total, currency)),
    ),
  );
}
for (const coupon of cart.coupons) {
  console.log(row(coupon.label, money(parseCouponSaving(coupon.saving))));
}
for (const pkg of Object.values(cart.shipping.packages)) {
  const rate = pkg.rates[pkg.chosen_method];
  if (rate) {
    const { label, amount } = parseShippingHtml(rate.html, currency);
    console.log(row(`Shipping: ${label}`, money(amount)));
  }
}
const labels = {
  subtotal: 'Subtotal',
  discount_total: 'Discount',
  shipping_total: 'Shipping',
  fee_total: 'Fees',
  total_tax: 'Tax',
  total: 'Total',
};
for (const [key, label] of Object.entries(labels)) {
  // discount_total is a positive amount taken off; show it with its sign, as saving_html does.
  const amount = parseCartTotal(cart.totals[key]);
  console.log(row(label, money(key === 'discount_total' ? -amount : amount)));
}
