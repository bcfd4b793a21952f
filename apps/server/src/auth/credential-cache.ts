import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import type { Role } from '@cocart-sessions/core';
import { LRUCache } from 'lru-cache';

/** Who a verified credential belongs to. */
export interface Principal {
  userId: number;
  login: string;
  role: Role;
}

/**
 * Short-lived memory of verified credentials, keyed by an HMAC of what the client presented, so
 * the slow hash runs once per credential and period instead of once per request.
 */
export class CredentialCache {
  readonly #entries: LRUCache<string, Principal>;
  // A plain SHA-256 of `address + Authorization` would let a heap dump's keys be guessed offline at
  // SHA-256 speed against a password list; under a key drawn when the process starts, they cannot.
  // A KeyObject, made once: an HMAC keyed by a Buffer imports the key again on every call, a cost
  // the cached cart read would pay on each request.
  readonly #hmacKey = createSecretKey(randomBytes(32));
  #generation = 0;

  /** `clock` answers milliseconds like `Date.now` (the app's clock, so tests can move time). */
  constructor(opts: { ttlMs?: number; maxEntries?: number; clock?: () => number } = {}) {
    this.#entries = new LRUCache<string, Principal>({
      max: opts.maxEntries ?? 10_000,
      ttl: opts.ttlMs ?? 30_000,
      perf: { now: opts.clock ?? Date.now },
      // Read the clock on each look-up: the default (1 ms) sets a timer per millisecond of traffic.
      ttlResolution: 0,
    });
  }

  /** The cache key for presented credential text (never stored in the clear). */
  keyOf(presented: string): string {
    return createHmac('sha256', this.#hmacKey).update(presented).digest('base64');
  }

  get(key: string): Principal | undefined {
    return this.#entries.get(key);
  }

  /** Changes on every {@link clear}: a check that started before a clear must not be cached after it. */
  get generation(): number {
    return this.#generation;
  }

  /** Remember a verified credential, unless the cache was cleared since `generation` was read. */
  set(key: string, principal: Principal, generation = this.#generation): void {
    if (generation !== this.#generation) return;
    this.#entries.set(key, principal);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
