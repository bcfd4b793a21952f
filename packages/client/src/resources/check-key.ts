import { isCartKey } from '@cocart-sessions/core';
import { CoCartClientError } from '../errors.js';

/**
 * Throws before any request when `key` could not be a cart key, nor an item key (PHP `\w`, 1..42
 * characters); `what` names it in the message.
 */
export function checkKey(key: unknown, what = 'cart key'): string {
  if (!isCartKey(key)) {
    const shown = typeof key === 'string' ? JSON.stringify(key.slice(0, 50)) : typeof key;
    throw new CoCartClientError(
      `Invalid ${what} ${shown}: expected 1 to 42 characters among A-Z, a-z, 0-9 and _`,
      {
        code: 'invalid_cart_key',
      },
    );
  }
  return key;
}
