import { randomFillSync } from 'node:crypto';

/** Keys drawn from one fill of the pool. */
const KEYS_PER_FILL = 256;
const KEY_BYTES = 16;

/**
 * New guest cart keys, as the core's `generateGuestKey` makes them (32 lowercase hex characters from
 * the CSPRNG), for the server's every new cart: the random bytes are drawn 256 keys at a time, since
 * one call of the CSPRNG, whatever its size, cost more than the rest of making a key. The bytes of a
 * key are wiped from the pool as it is handed out, so the pool holds only keys not yet given.
 */
export class GuestKeys {
  readonly #pool = Buffer.alloc(KEYS_PER_FILL * KEY_BYTES);
  #next = this.#pool.length;

  /** A fresh key, never handed out before (2^-128 odds of a repeat, as any random 128 bits). */
  next(): string {
    if (this.#next === this.#pool.length) {
      randomFillSync(this.#pool);
      this.#next = 0;
    }
    const start = this.#next;
    this.#next += KEY_BYTES;
    const key = this.#pool.toString('hex', start, this.#next);
    this.#pool.fill(0, start, this.#next);
    return key;
  }
}
