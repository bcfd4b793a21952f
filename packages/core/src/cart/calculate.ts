import { CoreError } from '../errors.js';
import { formatMoney } from '../money/format.js';
import {
  addMinor,
  allocateMinor,
  fromMinorUnits,
  multiplyMinor,
  percentOfMinor,
  subtractMinor,
  toMinorUnits,
} from '../money/minor-units.js';
import { toCartTotal, toItemPrice, toItemTotal, toRateCost, toShippingHtml } from '../money/parse.js';
import type { Cart, Coupon, Fee, Shipping, Tax } from '../schemas/cart.js';
import type { Currency } from '../schemas/currency.js';
import type { Customer } from '../schemas/customer.js';
import type { CartItem } from '../schemas/item.js';
import { md5Hex } from './md5.js';

/** What the calculator needs to know about a product; `price` is integer minor units. */
export interface ProductSnapshot {
  id: number;
  name: string;
  slug: string;
  sku: string;
  /** Unit price in integer minor units. */
  price: number;
  /** WooCommerce product type; `"simple"` when not given. */
  type?: string;
  /** Weight of one unit in the store's weight unit; 0 when not given. */
  weight?: number;
  featuredImage?: string;
  /** Strings as WooCommerce stores them (`""` when unset). */
  dimensions?: { length: string; width: string; height: string; unit: string };
  /** Chosen variation attributes (`{ attribute_pa_color: 'blue' }`); part of the item key. */
  variation?: Record<string, string>;
}

/** A coupon's rule: a fixed amount off the cart (minor units) or a percentage of each line. */
export type CouponDiscount = { type: 'fixed_cart'; amount: number } | { type: 'percent'; percent: number };

/** Everything a cart is computed from. All amounts are integer minor units of `currency`. */
export interface CartContents {
  cartKey: string;
  currency: Currency;
  customer: Customer;
  /** `cartItemData`: extra data of the line (`cart_item_data`), part of its item key as in WooCommerce. */
  items: Array<{
    product: ProductSnapshot;
    quantity: number;
    itemKey?: string;
    cartItemData?: Record<string, CartItemDataValue>;
  }>;
  coupons?: Array<{ code: string; discount: CouponDiscount }>;
  shipping?: { methodId: string; instanceId: number; label: string; cost: number } | null;
  fees?: Array<{ name: string; amount: number }>;
  /** One tax rate applied to the discounted items, the shipping and the fees. */
  taxRate?: { label: string; percent: number } | null;
}

// The id WooCommerce gives the only tax rate we model; keys `tax_data` and rate `taxes`.
const TAX_RATE_ID = '1';

/** A value of a line's extra data (`item_data` of an add-to-cart request). */
export type CartItemDataValue = string | number | boolean;

interface Line {
  key: string;
  product: ProductSnapshot;
  itemData: Record<string, CartItemDataValue>;
  quantity: number;
  subtotal: number;
  discount: number;
}

/**
 * Builds a cart in exactly the seed's shape and money forms from its contents, with totals that add up:
 * `total = subtotal - discount_total + shipping_total + fee_total + total_tax` (minor units), the item
 * lines' subtotals sum to `subtotal`, and `item_count` is the sum of the quantities.
 *
 * Coupons apply in order: a percent coupon takes `percent`% of the cart subtotal (half-up) split over the
 * lines in proportion to their subtotals so the parts sum to the whole; a fixed_cart coupon is capped at
 * what is left of the cart and split the same way. Items keep their pre-coupon figures in `totals` (as
 * the seed's cart does, where a £5 coupon leaves each line's `total` equal to its `subtotal`); the
 * discount and its tax show in the cart `totals` and the coupon's `saving`. The tax rate applies per line
 * to the discounted amount, and to shipping and each fee, each rounded half-up.
 *
 * Lines with the same item key merge (their quantities add up), as WooCommerce does.
 * @throws CoreError 'invalid_amount' for a bad quantity, percent, negative price or a negative total;
 *   'unsafe_amount' when a sum leaves the safe integer range.
 */
export function calculateCart(contents: CartContents): Cart {
  const { currency } = contents;
  const lines = mergeLines(contents.items);
  const taxPercent = contents.taxRate ? contents.taxRate.percent : null;
  const tax = (minor: number) => (taxPercent === null ? 0 : percentOfMinor(minor, taxPercent));

  const coupons: Coupon[] = (contents.coupons ?? []).map(({ code, discount }) => {
    const parts = couponParts(discount, lines);
    lines.forEach((line, i) => {
      line.discount = addMinor(line.discount, parts[i] ?? 0);
    });
    const saving = -addMinor(...parts);
    return {
      coupon: code,
      label: `Coupon: ${code}`,
      saving: toCartTotal(saving),
      saving_html: formatMoney(saving, currency),
    };
  });

  let subtotal = 0;
  let subtotalTax = 0;
  let discountTotal = 0;
  let discountedTax = 0;
  let itemCount = 0;
  let weightMicro = 0;
  const items: CartItem[] = lines.map((line) => {
    const lineSubtotalTax = tax(line.subtotal);
    subtotal = addMinor(subtotal, line.subtotal);
    subtotalTax = addMinor(subtotalTax, lineSubtotalTax);
    discountTotal = addMinor(discountTotal, line.discount);
    // Undiscounted (no coupon), the line's tax is the one just computed: no second percentage.
    const discountedLineTax =
      line.discount === 0 ? lineSubtotalTax : tax(subtractMinor(line.subtotal, line.discount));
    discountedTax = addMinor(discountedTax, discountedLineTax);
    itemCount = addMinor(itemCount, line.quantity);
    // Weights are decimals too: sum them in millionths so 0.1 + 0.2 stays 0.3.
    weightMicro = addMinor(
      weightMicro,
      multiplyMinor(toMinorUnits(line.product.weight ?? 0, 6), line.quantity),
    );
    return toItem(line, lineSubtotalTax, currency, taxPercent !== null);
  });

  const shippingCost = contents.shipping ? contents.shipping.cost : 0;
  const shippingTax = tax(shippingCost);
  const fees: Record<string, Fee> = {};
  let feeTotal = 0;
  let feeTax = 0;
  for (const fee of contents.fees ?? []) {
    feeTotal = addMinor(feeTotal, fee.amount);
    feeTax = addMinor(feeTax, tax(fee.amount));
    fees[uniqueKey(fees, sanitizeTitle(fee.name) || 'fee')] = {
      name: fee.name,
      fee: formatMoney(fee.amount, currency),
    };
  }

  const discountTax = subtractMinor(subtotalTax, discountedTax);
  const totalTax = addMinor(discountedTax, shippingTax, feeTax);
  const total = addMinor(subtractMinor(subtotal, discountTotal), shippingCost, feeTotal, totalTax);
  if (total < 0) throw new CoreError('invalid_amount', 'The fees make the cart total negative.', total);

  const taxes: Record<string, Tax> = {};
  if (contents.taxRate && totalTax !== 0) {
    const code = `${sanitizeTitle(contents.taxRate.label).toUpperCase() || 'TAX'}-${TAX_RATE_ID}`;
    taxes[code] = { name: contents.taxRate.label, price: formatMoney(totalTax, currency) };
  }

  const totals = {
    subtotal: toCartTotal(subtotal),
    subtotal_tax: toCartTotal(subtotalTax),
    fee_total: toCartTotal(feeTotal),
    fee_tax: toCartTotal(feeTax),
    discount_total: toCartTotal(discountTotal),
    discount_tax: toCartTotal(discountTax),
    shipping_total: toCartTotal(shippingCost),
    shipping_tax: toCartTotal(shippingTax),
    total: toCartTotal(total),
    total_tax: toCartTotal(totalTax),
  };

  return {
    cart_hash: md5Hex(`${JSON.stringify(hashInput(contents, lines))}${totals.total}`),
    cart_key: contents.cartKey,
    currency,
    customer: contents.customer,
    items,
    item_count: itemCount,
    items_weight: Number(fromMinorUnits(weightMicro, 6)),
    coupons,
    needs_payment: total > 0,
    needs_shipping: Boolean(contents.shipping),
    shipping: toShipping(contents, shippingTax, taxPercent !== null),
    fees,
    taxes,
    totals,
    removed_items: {},
    cross_sells: [],
    notices: [],
  };
}

/** PHP's string of a scalar, as `trim()` sees it: `true` is "1", `false` is "". */
function phpString(value: CartItemDataValue): string {
  if (typeof value === 'boolean') return value ? '1' : '';
  return String(value);
}

/**
 * The item key WooCommerce would give a product: md5 of the product id, the variation attributes and
 * the extra item data, joined with "_" (`WC_Cart::generate_cart_id`).
 * @example itemKeyOf({ id: 1050 }) // md5("1050")
 */
export function itemKeyOf(
  product: Pick<ProductSnapshot, 'id' | 'variation'>,
  itemData: Record<string, CartItemDataValue> = {},
): string {
  const parts = [String(product.id)];
  const variation = Object.entries(product.variation ?? {});
  if (variation.length > 0) parts.push(variation.map(([k, v]) => `${k.trim()}${v.trim()}`).join(''));
  const data = Object.entries(itemData);
  if (data.length > 0) parts.push(data.map(([k, v]) => `${k.trim()}${phpString(v).trim()}`).join(''));
  return md5Hex(parts.join('_'));
}

function mergeLines(items: CartContents['items']): Line[] {
  const byKey = new Map<string, Line>();
  for (const { product, quantity, itemKey, cartItemData } of items) {
    if (!Number.isSafeInteger(quantity) || quantity < 1) {
      throw new CoreError('invalid_amount', 'An item quantity must be a positive integer.', quantity);
    }
    if (!Number.isSafeInteger(product.price) || product.price < 0) {
      throw new CoreError(
        'invalid_amount',
        'A product price must be a non-negative integer of minor units.',
        product.price,
      );
    }
    const itemData = cartItemData ?? {};
    const key = itemKey ?? itemKeyOf(product, itemData);
    const line = byKey.get(key);
    if (line) {
      line.quantity = addMinor(line.quantity, quantity);
      line.subtotal = multiplyMinor(line.product.price, line.quantity);
    } else {
      byKey.set(key, {
        key,
        product,
        itemData,
        quantity,
        subtotal: multiplyMinor(product.price, quantity),
        discount: 0,
      });
    }
  }
  return [...byKey.values()];
}

/** One coupon's discount per line, never more than what is left of each line. */
function couponParts(discount: CouponDiscount, lines: readonly Line[]): number[] {
  const remaining = lines.map((line) => subtractMinor(line.subtotal, line.discount));
  const left = addMinor(...remaining);
  let whole: number;
  if (discount.type === 'percent') {
    if (!(discount.percent >= 0 && discount.percent <= 100)) {
      throw new CoreError('invalid_amount', 'A coupon percent must be from 0 to 100.', discount.percent);
    }
    const subtotal = addMinor(...lines.map((line) => line.subtotal));
    whole = Math.min(percentOfMinor(subtotal, discount.percent), left);
  } else {
    if (!Number.isSafeInteger(discount.amount) || discount.amount < 0) {
      throw new CoreError(
        'invalid_amount',
        'A coupon amount must be a non-negative integer.',
        discount.amount,
      );
    }
    whole = Math.min(discount.amount, left);
  }
  // Split by what is left of each line: shares never exceed a line's remainder since whole <= left.
  return allocateMinor(whole, remaining);
}

function toItem(line: Line, subtotalTax: number, currency: Currency, taxed: boolean): CartItem {
  const { product } = line;
  // Each figure is converted once, though the item shows it twice or more.
  const lineTotal = toItemTotal(line.subtotal, currency);
  const lineTax = toItemTotal(subtotalTax, currency);
  const taxByRate = (): Record<string, number> => (taxed ? { [TAX_RATE_ID]: lineTax } : {});
  return {
    item_key: line.key,
    id: product.id,
    name: product.name,
    title: product.name,
    price: toItemPrice(product.price, currency),
    quantity: { value: line.quantity, min_purchase: 1, max_purchase: -1 },
    tax_data: { subtotal: taxByRate(), total: taxByRate() },
    totals: {
      subtotal: lineTotal,
      subtotal_tax: lineTax,
      total: lineTotal,
      tax: lineTax,
    },
    slug: product.slug,
    meta: {
      product_type: product.type ?? 'simple',
      sku: product.sku,
      dimensions: product.dimensions ?? { length: '', width: '', height: '', unit: 'cm' },
      weight: product.weight ?? 0,
      variation: { ...(product.variation ?? {}) },
    },
    cart_item_data: { ...line.itemData },
    featured_image: product.featuredImage ?? '',
  };
}

function toShipping(contents: CartContents, shippingTax: number, taxed: boolean): Shipping {
  const { shipping, currency } = contents;
  if (!shipping) {
    return { total_packages: 0, show_package_details: false, has_calculated_shipping: false, packages: {} };
  }
  const key = `${shipping.methodId}:${shipping.instanceId}`;
  return {
    total_packages: 1,
    show_package_details: false,
    has_calculated_shipping: true,
    packages: {
      default: {
        package_name: 'Shipping',
        rates: {
          [key]: {
            key,
            method_id: shipping.methodId,
            instance_id: shipping.instanceId,
            label: shipping.label,
            cost: toRateCost(shipping.cost, currency),
            html: toShippingHtml(shipping.label, shipping.cost, currency),
            taxes: taxed ? { [TAX_RATE_ID]: toItemTotal(shippingTax, currency) } : {},
            chosen_method: true,
          },
        },
        package_details: '',
        index: 0,
        chosen_method: key,
        formatted_destination: formattedDestination(contents.customer),
      },
    },
  };
}

/** "1, 12345 TOWN" for the seed's customer: the shipping address on one line, city in capitals. */
function formattedDestination(customer: Customer): string {
  const a = customer.shipping_address;
  const cityLine = [a.shipping_postcode, a.shipping_city.toUpperCase()].filter(Boolean).join(' ');
  return [a.shipping_address_1, a.shipping_address_2, cityLine, a.shipping_state].filter(Boolean).join(', ');
}

/** A WordPress-like slug: lowercase ASCII letters and digits joined by single dashes. */
function sanitizeTitle(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function uniqueKey(map: Record<string, unknown>, base: string): string {
  let key = base;
  for (let n = 2; key in map; n++) key = `${base}-${n}`;
  return key;
}

function hashInput(contents: CartContents, lines: readonly Line[]): unknown {
  return {
    items: lines.map((line) => [line.key, line.product.id, line.quantity, line.product.price]),
    coupons: contents.coupons ?? [],
    shipping: contents.shipping ?? null,
    fees: contents.fees ?? [],
    taxRate: contents.taxRate ?? null,
  };
}
