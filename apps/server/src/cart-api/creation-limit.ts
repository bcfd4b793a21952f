import { LRUCache } from 'lru-cache';

/** Clients whose buckets are remembered; the least recently seen are forgotten first. */
const MAX_CLIENTS = 100_000;

/** A client's allowance: tokens left (fractional while refilling) as of `at` (ms). */
interface Bucket {
  tokens: number;
  at: number;
}

/**
 * New carts per client (an IPv4 address, an IPv6 /64): a token bucket of `perMinute` tokens that
 * refills at `perMinute` a minute, so a burst of `perMinute` carts is served at once and a steady
 * flood is held to the rate. Per process: with `serve --workers N` each process keeps its own.
 */
export class CreationLimit {
  readonly #perMinute: number;
  readonly #clock: () => number;
  readonly #buckets = new LRUCache<string, Bucket>({ max: MAX_CLIENTS });

  /** `perMinute` 0 lets every creation through. */
  constructor(perMinute: number, clock: () => number) {
    this.#perMinute = perMinute;
    this.#clock = clock;
  }

  /** Takes one creation for `client`: 0 when granted, else the seconds until one is (`Retry-After`). */
  take(client: string): number {
    if (this.#perMinute === 0) return 0;
    const now = this.#clock();
    const rate = this.#perMinute / 60_000;
    const bucket = this.#buckets.get(client) ?? { tokens: this.#perMinute, at: now };
    const tokens = Math.min(this.#perMinute, bucket.tokens + (now - bucket.at) * rate);
    if (tokens >= 1) {
      this.#buckets.set(client, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.#buckets.set(client, { tokens, at: now });
    return Math.max(1, Math.ceil((1 - tokens) / rate / 1000));
  }
}
