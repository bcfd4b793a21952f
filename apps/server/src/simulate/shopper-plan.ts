import { FIRST_NAMES, LAST_NAMES } from '../demo/catalog.js';
import { mulberry32, Random } from '../demo/prng.js';

/** One thing a shopper does to their cart; `shopper` numbers shoppers in the order they arrive. */
export type ShopperAction =
  | { kind: 'create'; shopper: number; productId: number; quantity: number }
  | { kind: 'add'; shopper: number; productId: number; quantity: number }
  | { kind: 'set-quantity'; shopper: number; productId: number; quantity: number }
  | { kind: 'remove'; shopper: number; productId: number }
  | { kind: 'name'; shopper: number; firstName: string; lastName: string; email: string }
  | { kind: 'clear'; shopper: number }
  /** The shopper leaves: the cart stays in the store until it expires. No request. */
  | { kind: 'abandon'; shopper: number };

/** Open carts below which new shoppers arrive more often than one action in five. */
const WARM_OPEN = 20;

/** The largest quantity a shopper asks for on one line. */
export const MAX_LINE_QUANTITY = 5;

interface PlannedShopper {
  id: number;
  /** What the cart holds if every action so far succeeded: product id → quantity. */
  lines: Map<number, number>;
  named: boolean;
}

/**
 * The shoppers' behaviour, decided ahead of the server's answers from one seeded PRNG: the same
 * seed and products give the same actions in the same order, whatever the timing. Past the first
 * twenty or so open carts, about one action in five brings a new shopper; a shopper adds, changes
 * and removes lines, gives a name, sometimes clears the cart, and leaves after four actions or so.
 */
export class ShopperPlanner {
  readonly #random: Random;
  readonly #products: readonly number[];
  readonly #maxOpen: number;
  readonly #live: PlannedShopper[] = [];
  #next = 0;

  constructor(opts: { seed: number; productIds: readonly number[]; maxOpen: number }) {
    if (opts.productIds.length === 0) throw new Error('The store has no products to add.');
    this.#random = new Random(mulberry32(opts.seed));
    this.#products = opts.productIds;
    this.#maxOpen = Math.max(1, opts.maxOpen);
  }

  /** Shoppers still in the store. */
  get open(): number {
    return this.#live.length;
  }

  /** The next action. */
  next(): ShopperAction {
    const r = this.#random;
    // New shoppers come often while the store is quiet, then about one action in five: enough open
    // carts that one slow answer (each shopper's actions wait for the one before) does not hold the rate.
    const arrival = Math.max(0.2, 1 - this.#live.length / WARM_OPEN);
    const wantsNew = this.#live.length === 0 || (this.#live.length < this.#maxOpen && r.chance(arrival));
    if (wantsNew) {
      const shopper: PlannedShopper = { id: this.#next++, lines: new Map(), named: false };
      const productId = r.pick(this.#products);
      const quantity = r.int(1, 3);
      shopper.lines.set(productId, quantity);
      this.#live.push(shopper);
      return { kind: 'create', shopper: shopper.id, productId, quantity };
    }
    const index = r.int(0, this.#live.length - 1);
    const shopper = this.#live[index]!;
    const lines = [...shopper.lines.keys()];
    const roll = r.next();
    if (lines.length === 0) {
      if (roll < 0.6) return this.#add(shopper);
      return this.#abandon(index);
    }
    if (roll < 0.3) return this.#add(shopper);
    if (roll < 0.5) {
      const productId = r.pick(lines);
      const current = shopper.lines.get(productId) ?? 1;
      // Another quantity than the current one, so that every change is a change.
      const quantity = ((current + r.int(0, MAX_LINE_QUANTITY - 2)) % MAX_LINE_QUANTITY) + 1;
      shopper.lines.set(productId, quantity);
      return { kind: 'set-quantity', shopper: shopper.id, productId, quantity };
    }
    if (roll < 0.62) {
      const productId = r.pick(lines);
      shopper.lines.delete(productId);
      return { kind: 'remove', shopper: shopper.id, productId };
    }
    if (roll < 0.74) {
      if (shopper.named) return this.#add(shopper);
      shopper.named = true;
      const firstName = r.pick(FIRST_NAMES);
      const lastName = r.pick(LAST_NAMES);
      const email = `${ascii(firstName)}.${ascii(lastName)}${r.int(1, 999)}@example.com`;
      return { kind: 'name', shopper: shopper.id, firstName, lastName, email };
    }
    if (roll < 0.78) {
      shopper.lines.clear();
      return { kind: 'clear', shopper: shopper.id };
    }
    return this.#abandon(index);
  }

  /** Forgets a shopper whose cart is gone (refused, deleted by an administrator, expired). */
  drop(shopper: number): void {
    const index = this.#live.findIndex((s) => s.id === shopper);
    if (index !== -1) this.#live.splice(index, 1);
  }

  #add(shopper: PlannedShopper): ShopperAction {
    const productId = this.#random.pick(this.#products);
    const held = shopper.lines.get(productId) ?? 0;
    // Past the largest line quantity the shopper picks another product or changes nothing.
    const quantity = Math.max(1, Math.min(this.#random.int(1, 2), MAX_LINE_QUANTITY - held));
    if (held + quantity > MAX_LINE_QUANTITY) {
      shopper.lines.set(productId, 1);
      return { kind: 'set-quantity', shopper: shopper.id, productId, quantity: 1 };
    }
    shopper.lines.set(productId, held + quantity);
    return { kind: 'add', shopper: shopper.id, productId, quantity };
  }

  #abandon(index: number): ShopperAction {
    const [shopper] = this.#live.splice(index, 1);
    return { kind: 'abandon', shopper: shopper!.id };
  }
}

/** A name as it can stand in an email address: accents dropped, letters only. */
function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
