import { CART_KEY_PATTERN, CartSchema, customerEmailOf, customerNameOf } from '@cocart-sessions/core';
import { z } from 'zod';
import type { NewSession } from '../store/session-store.js';

/** One line of the `import` / `export` format, before the cart is checked. */
const LineSchema = z.object({
  cart_key: z.string().regex(CART_KEY_PATTERN, `must match ${CART_KEY_PATTERN.source}`),
  cart_source: z.string().min(1).max(200),
  cart_created: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  cart_expiry: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  cart: z.record(z.string(), z.unknown()),
});

function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(line)'}: ${i.message}`)
    .join('; ');
}

/** The session a JSON line describes, or why it cannot be imported. */
export function parseSessionLine(text: string): { session: NewSession } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: `invalid JSON: ${(e as Error).message}` };
  }
  const line = LineSchema.safeParse(raw);
  if (!line.success) return { error: describeIssues(line.error) };
  const cart = CartSchema.safeParse(line.data.cart);
  if (!cart.success) return { error: `invalid cart: ${describeIssues(cart.error, 'cart')}` };
  if (cart.data.cart_key !== line.data.cart_key) {
    return { error: `cart.cart_key "${cart.data.cart_key}" differs from cart_key "${line.data.cart_key}"` };
  }
  // Store the cart exactly as given: the original value, not zod's output (key order and [] survive).
  const original = (raw as { cart: unknown }).cart;
  return {
    session: {
      cartKey: line.data.cart_key,
      cartSource: line.data.cart_source,
      cartCreated: line.data.cart_created,
      cartExpiry: line.data.cart_expiry,
      cartHash: cart.data.cart_hash,
      customerName: customerNameOf(cart.data),
      customerEmail: customerEmailOf(cart.data),
      cartValue: JSON.stringify(original),
    },
  };
}

/** The JSON line of a stored session; the cart text goes in verbatim. */
export function formatSessionLine(s: {
  cartKey: string;
  cartSource: string;
  cartCreated: number;
  cartExpiry: number;
  cartValue: string;
}): string {
  return (
    `{"cart_key":${JSON.stringify(s.cartKey)},"cart_source":${JSON.stringify(s.cartSource)},` +
    `"cart_created":${s.cartCreated},"cart_expiry":${s.cartExpiry},"cart":${s.cartValue}}`
  );
}
