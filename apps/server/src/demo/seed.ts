import {
  type CartContents,
  type Customer,
  calculateCart,
  customerEmailOf,
  customerNameOf,
  type ProductSnapshot,
  serializeCart,
} from '@cocart-sessions/core';
import type { NewSession, SessionStore } from '../store/session-store.js';
import { COUPONS, DEMO_CURRENCIES, DEMO_PRODUCTS, FIRST_NAMES, LAST_NAMES, STREETS } from './catalog.js';
import { mulberry32, Random } from './prng.js';

const DAY = 86_400;
const LIFETIME = 7 * DAY;
const BATCH = 1000;

/** Options of {@link seedDemoSessions}. */
export interface SeedOptions {
  count: number;
  /** PRNG seed: the same seed gives the same carts and keys. Default 1. */
  seed?: number;
  /** Unix seconds that "now" is; sessions are created in the 7 days before it. Default: the clock. */
  now?: number;
}

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A customer who has typed nothing yet: every address field empty. */
export function emptyCustomer(): Customer {
  return {
    billing_address: {
      billing_first_name: '',
      billing_last_name: '',
      billing_company: '',
      billing_country: '',
      billing_address_1: '',
      billing_address_2: '',
      billing_postcode: '',
      billing_city: '',
      billing_state: '',
      billing_phone: '',
      billing_email: '',
    },
    shipping_address: {
      shipping_first_name: '',
      shipping_last_name: '',
      shipping_company: '',
      shipping_country: '',
      shipping_address_1: '',
      shipping_address_2: '',
      shipping_postcode: '',
      shipping_city: '',
      shipping_state: '',
    },
  };
}

function demoCustomer(rnd: Random, market: (typeof DEMO_CURRENCIES)[number], index: number): Customer {
  const first = rnd.pick(FIRST_NAMES);
  const last = rnd.pick(LAST_NAMES);
  const country = rnd.pick(market.countries);
  const city = rnd.pick(country.cities);
  const line1 = `${rnd.int(1, 220)} ${rnd.pick(STREETS)}`;
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return {
    billing_address: {
      billing_first_name: first,
      billing_last_name: last,
      billing_company: '',
      billing_country: country.code,
      billing_address_1: line1,
      billing_address_2: '',
      billing_postcode: country.postcode(),
      billing_city: city,
      billing_state: '',
      billing_phone: String(rnd.int(1_000_000_000, 9_999_999_999)),
      billing_email: `${local}${index}@example.com`,
    },
    shipping_address: {
      shipping_first_name: first,
      shipping_last_name: last,
      shipping_company: '',
      shipping_country: country.code,
      shipping_address_1: line1,
      shipping_address_2: '',
      shipping_postcode: country.postcode(),
      shipping_city: city,
      shipping_state: '',
    },
  };
}

function priceIn(pence: number, market: (typeof DEMO_CURRENCIES)[number]): number {
  return Math.max(market.roundTo, Math.round((pence * market.rate) / market.roundTo) * market.roundTo);
}

/** One of the demo stores' currencies with its tax and countries. */
export type Market = (typeof DEMO_CURRENCIES)[number];
const snapshots = new Map<Market, ProductSnapshot[]>();

/** The catalog's `index`-th product priced in a market's currency (built once per market). */
export function productOf(index: number, market: Market): ProductSnapshot {
  let list = snapshots.get(market);
  if (!list) {
    list = DEMO_PRODUCTS.map((p) => ({
      id: p.id,
      name: p.name,
      slug: slugOf(p.name),
      sku: `DEMO-${p.id}`,
      price: priceIn(p.pence, market),
      type: p.type,
      weight: p.weight,
      featuredImage: `https://shop.example.com/wp-content/uploads/${slugOf(p.name)}.jpg`,
      dimensions: { length: '', width: '', height: '', unit: 'cm' },
    }));
    snapshots.set(market, list);
  }
  return list[index]!;
}

/** The i-th demo session: contents from the PRNG, money from the core's calculator. */
function demoSession(rnd: Random, index: number, now: number, registeredId: () => number): NewSession {
  const market = rnd.pick(DEMO_CURRENCIES);
  const registered = rnd.chance(0.3);
  const cartKey = registered ? String(registeredId()) : rnd.hex32();
  // Registered customers have addresses; a quarter of guests have not typed theirs yet.
  const customer = registered || rnd.chance(0.75) ? demoCustomer(rnd, market, index) : emptyCustomer();
  const lineCount = rnd.int(1, 4);
  const chosen = new Set<number>();
  while (chosen.size < lineCount) chosen.add(rnd.int(0, DEMO_PRODUCTS.length - 1));
  const items = [...chosen].map((i) => ({ quantity: rnd.int(1, 3), product: productOf(i, market) }));
  const physical = items.some((i) => (i.product.weight ?? 0) > 0);
  const contents: CartContents = {
    cartKey,
    currency: market.currency,
    customer,
    items,
    coupons: rnd.chance(0.2)
      ? [rnd.pick(COUPONS)].map((c) => ({
          code: c.code,
          discount:
            c.percent !== undefined
              ? { type: 'percent' as const, percent: c.percent }
              : { type: 'fixed_cart' as const, amount: priceIn(c.pence ?? 0, market) },
        }))
      : [],
    shipping:
      physical && rnd.chance(0.8)
        ? {
            methodId: 'flat_rate',
            instanceId: 1,
            label: 'Flat rate',
            cost: priceIn(rnd.pick([395, 495, 2000]), market),
          }
        : null,
    fees: rnd.chance(0.1) ? [{ name: 'Gift wrapping', amount: priceIn(250, market) }] : [],
    taxRate: market.tax,
  };
  const cart = calculateCart(contents);
  // Created within the past 7 days (at least a minute ago), so none has expired yet.
  const created = now - rnd.int(60, LIFETIME - 60);
  return {
    cartKey,
    cartSource: rnd.chance(0.7) ? 'woocommerce' : 'cocart',
    cartCreated: created,
    cartExpiry: created + LIFETIME,
    cartHash: cart.cart_hash,
    customerName: customerNameOf(cart),
    customerEmail: customerEmailOf(cart),
    cartValue: JSON.stringify(serializeCart(cart)),
  };
}

/**
 * Writes `count` realistic demo sessions (GBP/EUR/USD/JPY carts whose totals come from the core's
 * calculator; guest keys of 32 hex and numeric keys of registered customers; created in the past 7 days,
 * expiring 7 days after creation; sources woocommerce and cocart). Deterministic for a seed and `now`.
 * Returns how many were written.
 *
 * @example
 * await seedDemoSessions(store, { count: 1000, seed: 42 });
 */
export async function seedDemoSessions(store: SessionStore, options: SeedOptions): Promise<number> {
  const count = Math.max(0, Math.floor(options.count));
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const rnd = new Random(mulberry32(options.seed ?? 1));
  // Registered customers' ids: increasing with small gaps, so keys never collide.
  let userId = 1 + rnd.int(0, 20);
  const registeredId = (): number => {
    userId += rnd.int(1, 5);
    return userId;
  };
  let written = 0;
  let batch: NewSession[] = [];
  for (let i = 0; i < count; i++) {
    batch.push(demoSession(rnd, i, now, registeredId));
    if (batch.length >= BATCH) {
      written += await store.putSessions(batch);
      batch = [];
    }
  }
  if (batch.length > 0) written += await store.putSessions(batch);
  return written;
}
