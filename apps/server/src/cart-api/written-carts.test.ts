import { describe, expect, it } from 'vitest';
import { emptyCustomer } from '../demo/seed.js';
import type { SessionRecord } from '../store/session-store.js';
import {
  addLine,
  type CartState,
  removeLine,
  rewrite,
  sessionOfState,
  setLineQuantity,
  stateOf,
} from './cart-change.js';
import { productById, productBySku } from './store-catalog.js';
import { WrittenCarts } from './written-carts.js';

const T = 1_893_456_000;
const product = (id: number) => productById(id)!;

/** A cart's life through the cart API's changes, each step the state written next. */
function history(): CartState[] {
  const steps: CartState[] = [];
  let state: CartState = { lines: [], customer: emptyCustomer() };
  const step = (next: CartState) => {
    state = next;
    steps.push(state);
  };
  step(addLine(state, product(101), 2, {}));
  step(
    addLine(state, { ...product(104), variation: { attribute_pa_size: 'L', attribute_colour: 'Blue' } }, 1, {
      engraving: 'Für Ada',
      gift: true,
      copies: 3,
      ratio: 1.5,
    }),
  );
  step(addLine(state, productBySku(product(112).sku.toLowerCase())!, 1, {}));
  step(addLine(state, product(101), 4, {}));
  step(setLineQuantity(state, state.lines[1]!.itemKey, 7));
  step(removeLine(state, state.lines[0]!.itemKey));
  const billing = {
    ...state.customer.billing_address,
    billing_first_name: 'Ada',
    billing_email: 'ada@example.com',
  };
  step({ ...state, customer: { ...state.customer, billing_address: billing } });
  step({ ...state, lines: [] });
  return steps;
}

describe('WrittenCarts', () => {
  it('keeps the very state each write was made from, equal to the stored text parsed, and the next write from either is the same text', () => {
    const carts = new WrittenCarts();
    let record: SessionRecord | undefined;
    for (const state of history()) {
      const next =
        record === undefined
          ? sessionOfState('a1b2', state, { created: T, expiry: T + 60 }, 'cocart')
          : rewrite(record, state, T + 60);
      record = { ...next, cartId: 1 };
      carts.remember(record.cartKey, record.cartValue, state);

      expect(carts.stateOf(record)).toBe(state);
      const parsed = stateOf(record);
      expect(parsed).toStrictEqual(state);
      const more = (s: CartState) => rewrite(record!, addLine(s, product(107), 1, { note: 'x' }), T + 120);
      expect(more(carts.stateOf(record)).cartValue).toBe(more(parsed).cartValue);
    }
  });

  it('parses a row that holds other text than it kept: a cart written meanwhile by anyone else', () => {
    const carts = new WrittenCarts();
    const mine = addLine({ lines: [], customer: emptyCustomer() }, product(101), 1, {});
    const written = sessionOfState('a1b2', mine, { created: T, expiry: T + 60 }, 'cocart');
    carts.remember('a1b2', written.cartValue, mine);
    const theirs = addLine(mine, product(112), 1, {});
    const record = { ...rewrite({ ...written, cartId: 1 }, theirs, T + 60), cartId: 1 };

    const state = carts.stateOf(record);
    expect(state).not.toBe(mine);
    expect(state.lines.map((l) => l.product.id)).toEqual([101, 112]);
    // Another key with the same text is not this cart either.
    expect(carts.stateOf({ cartKey: 'c3d4', cartValue: written.cartValue })).not.toBe(mine);
  });

  it('forgets the least recently written cart past 1024', () => {
    const carts = new WrittenCarts();
    const state = addLine({ lines: [], customer: emptyCustomer() }, product(101), 1, {});
    const value = sessionOfState('k0', state, { created: T, expiry: T + 60 }, 'cocart').cartValue;
    for (let i = 0; i <= 1024; i++) carts.remember(`k${i}`, value, state);
    expect(carts.stateOf({ cartKey: 'k0', cartValue: value })).not.toBe(state);
    expect(carts.stateOf({ cartKey: 'k1', cartValue: value })).toBe(state);
    expect(carts.stateOf({ cartKey: 'k1024', cartValue: value })).toBe(state);
  });
});
