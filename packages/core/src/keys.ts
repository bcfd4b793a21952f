import { CoreError } from './errors.js';

/** A cart key: PHP's `\w+`, at most 42 characters (the plugin's `char(42)` column). */
export const CART_KEY_PATTERN = /^[A-Za-z0-9_]{1,42}$/;

/** True when `s` is a well-formed cart key. */
export function isCartKey(s: unknown): s is string {
  return typeof s === 'string' && CART_KEY_PATTERN.test(s);
}

/** Returns `s` when it is a well-formed cart key, else throws CoreError `invalid_cart_key`. */
export function assertCartKey(s: unknown): string {
  if (!isCartKey(s)) throw new CoreError('invalid_cart_key', `Not a valid cart key: ${JSON.stringify(s)}`, s);
  return s;
}

/**
 * A new guest cart key: 32 lowercase hex characters from the platform CSPRNG
 * (`globalThis.crypto`, so it runs in browsers and edge runtimes too).
 */
export function generateGuestKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let key = '';
  for (const b of bytes) key += b.toString(16).padStart(2, '0');
  return key;
}
