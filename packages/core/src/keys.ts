import { CoreError } from './errors.js';
import { HEX_BYTES } from './hex.js';

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

/** Bytes of a key, and keys drawn from one call of the CSPRNG. */
const KEY_BYTES = 16;
const KEYS_PER_DRAW = 256;

/** Random bytes not yet handed out, from `pooled` on: one CSPRNG call costs more than making a key. */
const pool = new Uint8Array(KEY_BYTES * KEYS_PER_DRAW);
let pooled = pool.length;

/**
 * A new guest cart key: 32 lowercase hex characters from the platform CSPRNG
 * (`globalThis.crypto`, so it runs in browsers and edge runtimes too). The random bytes are drawn
 * 256 keys at a time; a key's bytes are wiped from the pool as it is handed out, so the pool holds
 * only keys not yet given.
 */
export function generateGuestKey(): string {
  if (pooled === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    pooled = 0;
  }
  let key = '';
  for (let i = pooled; i < pooled + KEY_BYTES; i++) {
    key += HEX_BYTES[pool[i] as number];
    pool[i] = 0;
  }
  pooled += KEY_BYTES;
  return key;
}
