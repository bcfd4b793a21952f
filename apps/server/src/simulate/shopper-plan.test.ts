import { describe, expect, it } from 'vitest';
import { MAX_LINE_QUANTITY, type ShopperAction, ShopperPlanner } from './shopper-plan.js';

const PRODUCTS = [101, 102, 103, 104, 105];

function plan(seed: number, n: number, maxOpen = 50): ShopperAction[] {
  const planner = new ShopperPlanner({ seed, productIds: PRODUCTS, maxOpen });
  return Array.from({ length: n }, () => planner.next());
}

describe('ShopperPlanner', () => {
  it('gives the same actions for the same seed, and others for another seed', () => {
    expect(plan(7, 500)).toEqual(plan(7, 500));
    expect(plan(8, 500)).not.toEqual(plan(7, 500));
  });

  it('plays every kind of action, each shopper starting with a new cart and acting on its own lines', () => {
    const actions = plan(3, 3000);
    expect(new Set(actions.map((a) => a.kind))).toEqual(
      new Set(['create', 'add', 'set-quantity', 'remove', 'name', 'clear', 'abandon']),
    );
    const carts = new Map<number, Map<number, number>>();
    const left = new Set<number>();
    const named = new Set<number>();
    for (const a of actions) {
      expect(left.has(a.shopper)).toBe(false);
      if (a.kind === 'create') {
        expect(carts.has(a.shopper)).toBe(false);
        carts.set(a.shopper, new Map([[a.productId, a.quantity]]));
        continue;
      }
      const lines = carts.get(a.shopper);
      expect(lines).toBeDefined();
      if (a.kind === 'add') lines!.set(a.productId, (lines!.get(a.productId) ?? 0) + a.quantity);
      if (a.kind === 'set-quantity') {
        expect(lines!.has(a.productId)).toBe(true);
        lines!.set(a.productId, a.quantity);
      }
      if (a.kind === 'remove') {
        expect(lines!.has(a.productId)).toBe(true);
        lines!.delete(a.productId);
      }
      if (a.kind === 'clear') lines!.clear();
      if (a.kind === 'name') {
        expect(named.has(a.shopper)).toBe(false);
        named.add(a.shopper);
        expect(a.email).toMatch(/^[a-z]+\.[a-z]+\d+@example\.com$/);
      }
      if (a.kind === 'abandon') left.add(a.shopper);
      for (const q of lines!.values()) expect(q).toBeGreaterThanOrEqual(1);
      for (const q of lines!.values()) expect(q).toBeLessThanOrEqual(MAX_LINE_QUANTITY);
    }
  });

  it('keeps at most maxOpen shoppers, and forgets a dropped one', () => {
    const planner = new ShopperPlanner({ seed: 1, productIds: PRODUCTS, maxOpen: 3 });
    for (let i = 0; i < 500; i++) {
      planner.next();
      expect(planner.open).toBeLessThanOrEqual(3);
    }
    const first = planner.next();
    planner.drop(first.shopper);
    for (let i = 0; i < 200; i++) {
      const a = planner.next();
      expect(a.shopper).not.toBe(first.shopper);
    }
  });
});
