import {
  type Cart,
  type CartItem,
  type Currency,
  formatMoney,
  type ItemsMap,
  parseCartTotal,
  parseCouponSaving,
  parseFormattedMoney,
  parseItemPrice,
  parseItemTotal,
  parseRateCost,
} from '@cocart-sessions/core';
import { cell, displayWidth, pad, truncate } from './text.js';

/** One line of a detail view; `kind` lets the screen style it without re-parsing. */
export interface DetailLine {
  text: string;
  kind?: 'title' | 'heading' | 'dim' | 'total';
}

/** Formats a money value of whatever form the plugin used, falling back to the raw text. */
function safeMoney(parse: () => number, currency: Currency, raw: string): string {
  try {
    return formatMoney(parse(), currency);
  } catch {
    return raw;
  }
}

/** A fee or tax amount: CoCart 3.x sends it formatted, 4.x a major-unit number. */
function feeAmount(value: string | number, currency: Currency): string {
  if (typeof value === 'number')
    return safeMoney(() => parseItemTotal(value, currency), currency, String(value));
  return safeMoney(() => parseFormattedMoney(value, currency), currency, value);
}

/** Unit price and line total of an item, formatted with the cart's currency. */
export function itemMoney(
  item: CartItem,
  currency: Currency,
): { unit: string; line: string; subtotal: string } {
  return {
    unit: safeMoney(() => parseItemPrice(item.price, currency), currency, item.price),
    line: safeMoney(() => parseItemTotal(item.totals.total, currency), currency, String(item.totals.total)),
    subtotal: safeMoney(
      () => parseItemTotal(item.totals.subtotal, currency),
      currency,
      String(item.totals.subtotal),
    ),
  };
}

const joinNonEmpty = (parts: readonly (string | undefined)[], sep = ' '): string =>
  parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .join(sep);

/** Address lines of a billing or shipping block (`prefix` is "billing" or "shipping"). */
export function addressLines(address: Record<string, unknown>, prefix: 'billing' | 'shipping'): string[] {
  const f = (name: string): string => {
    const v = address[`${prefix}_${name}`];
    return typeof v === 'string' ? v : '';
  };
  const lines = [
    joinNonEmpty([f('first_name'), f('last_name')]),
    f('company'),
    f('address_1'),
    f('address_2'),
    joinNonEmpty([f('city'), f('state'), f('postcode')]),
    f('country'),
    f('phone'),
    f('email'),
  ].filter((l) => l.trim() !== '');
  return lines.length > 0 ? lines : ['(none)'];
}

/** A label on the left and an amount on the right, `width` columns wide. */
function amountLine(label: string, amount: string, width: number, indent = 2): string {
  const labelWidth = Math.max(1, width - indent - displayWidth(amount) - 1);
  return `${' '.repeat(indent)}${cell(label, labelWidth)} ${amount}`;
}

/** The items table of the cart view (quantity, name, unit price, line total). */
function itemTableLines(items: readonly CartItem[], currency: Currency, width: number): DetailLine[] {
  const money = items.map((item) => itemMoney(item, currency));
  const unitW = Math.max(10, ...money.map((m) => displayWidth(m.unit)));
  const lineW = Math.max(10, ...money.map((m) => displayWidth(m.line)));
  const nameW = Math.max(8, width - 2 - 4 - 1 - unitW - 1 - lineW - 1);
  const row = (qty: string, name: string, unit: string, line: string) =>
    `  ${pad(qty, 4, 'right')} ${cell(name, nameW)} ${pad(unit, unitW, 'right')} ${pad(line, lineW, 'right')}`;
  return [
    { text: row('Qty', 'Item', 'Unit price', 'Line total'), kind: 'dim' },
    ...items.map((item, i) => ({
      text: row(String(item.quantity.value), item.name, money[i]?.unit ?? '', money[i]?.line ?? ''),
    })),
  ];
}

/** The chosen rate of each shipping package: "Flat rate" and its formatted cost. */
export function chosenRates(cart: Cart): Array<{ label: string; amount: string; destination: string }> {
  const out: Array<{ label: string; amount: string; destination: string }> = [];
  for (const pkg of Object.values(cart.shipping.packages)) {
    const rate = pkg.rates[pkg.chosen_method];
    if (!rate) continue;
    out.push({
      label: rate.label,
      amount: safeMoney(() => parseRateCost(rate.cost, cart.currency), cart.currency, rate.cost),
      destination: pkg.formatted_destination,
    });
  }
  return out;
}

/**
 * Everything the cart view and `cocart-sessions get` show, as lines at most `width` columns wide.
 * Money goes through the core's parsers for each of the seed's money forms, then `formatMoney`.
 */
export function cartLines(cart: Cart, width = 78): DetailLine[] {
  const c = cart.currency;
  const total = (minor: string) => safeMoney(() => parseCartTotal(minor), c, minor);
  const lines: DetailLine[] = [];
  lines.push({
    text: truncate(
      `Cart ${cart.cart_key} · ${cart.item_count} ${cart.item_count === 1 ? 'item' : 'items'} · ${c.currency_code}`,
      width,
    ),
    kind: 'title',
  });
  lines.push({ text: '' });

  const billing = addressLines(cart.customer.billing_address, 'billing');
  const shipping = addressLines(cart.customer.shipping_address, 'shipping');
  const half = Math.floor((width - 2) / 2);
  lines.push({ text: `${cell('Billing address', half)}  Shipping address`, kind: 'heading' });
  for (let i = 0; i < Math.max(billing.length, shipping.length); i++) {
    lines.push({ text: `${cell(billing[i] ?? '', half)}  ${truncate(shipping[i] ?? '', half)}`.trimEnd() });
  }
  lines.push({ text: '' });

  lines.push({ text: `Items (${cart.items.length})`, kind: 'heading' });
  if (cart.items.length === 0) lines.push({ text: '  (empty cart)', kind: 'dim' });
  else lines.push(...itemTableLines(cart.items, c, width));
  lines.push({ text: '' });

  /** A heading, then one label/amount line per entry, or `empty` (dimmed) when there is none. */
  const section = (title: string, entries: ReadonlyArray<readonly [string, string]>, empty = '(none)') => {
    lines.push({ text: title, kind: 'heading' });
    if (entries.length === 0) lines.push({ text: `  ${empty}`, kind: 'dim' });
    for (const [label, amount] of entries) lines.push({ text: amountLine(label, amount, width) });
  };
  section(
    'Coupons',
    cart.coupons.map((coupon) => [
      `${coupon.coupon} (${coupon.label})`,
      safeMoney(() => parseCouponSaving(coupon.saving), c, coupon.saving_html),
    ]),
  );
  section(
    'Shipping',
    chosenRates(cart).map((rate) => [
      rate.destination ? `${rate.label} to ${rate.destination}` : rate.label,
      rate.amount,
    ]),
    '(no rate chosen)',
  );
  section(
    'Fees',
    Object.values(cart.fees).map((fee) => [fee.name, feeAmount(fee.fee, c)]),
  );
  section(
    'Taxes',
    Object.values(cart.taxes).map((tax) => [tax.name, feeAmount(tax.price, c)]),
  );
  lines.push({ text: '' });

  const t = cart.totals;
  const discount = safeMoney(() => -parseCartTotal(t.discount_total), c, t.discount_total);
  lines.push({ text: 'Totals', kind: 'heading' });
  lines.push({ text: amountLine('Subtotal', total(t.subtotal), width) });
  lines.push({ text: amountLine('Discount', discount, width) });
  lines.push({ text: amountLine('Shipping', total(t.shipping_total), width) });
  lines.push({ text: amountLine('Fees', total(t.fee_total), width) });
  lines.push({ text: amountLine('Tax', total(t.total_tax), width) });
  lines.push({ text: amountLine('Total', total(t.total), width), kind: 'total' });
  return lines;
}

/** The items view and `cocart-sessions items`: one block per item keyed by `item_key`. */
export function itemsLines(key: string, items: ItemsMap, currency: Currency, width = 78): DetailLine[] {
  const list = Object.values(items);
  const units = list.reduce((sum, item) => sum + item.quantity.value, 0);
  const lines: DetailLine[] = [
    { text: truncate(`Items of cart ${key} · ${list.length} lines · ${units} units`, width), kind: 'title' },
    { text: '' },
  ];
  if (list.length === 0) {
    lines.push({ text: '  (empty cart)', kind: 'dim' });
    return lines;
  }
  lines.push(...itemTableLines(list, currency, width));
  lines.push({ text: '' });
  lines.push({ text: 'Details', kind: 'heading' });
  for (const item of list) {
    const m = itemMoney(item, currency);
    lines.push({ text: truncate(`  ${item.name}`, width) });
    lines.push({
      text: truncate(
        `    sku ${item.meta.sku || '-'} · id ${item.id} · ${item.meta.product_type} · subtotal ${m.subtotal}`,
        width,
      ),
      kind: 'dim',
    });
    lines.push({ text: truncate(`    key ${item.item_key}`, width), kind: 'dim' });
  }
  return lines;
}
