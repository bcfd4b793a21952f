import { hash } from 'node:crypto';
import type { Role } from '@cocart-sessions/core';

/** Who a verified credential belongs to. */
export interface Principal {
  userId: number;
  login: string;
  role: Role;
}

interface Entry {
  principal: Principal;
  expiresAt: number;
}

/**
 * Short-lived memory of verified credentials, keyed by a SHA-256 of what the client presented, so
 * the slow hash runs once per credential and period instead of once per request.
 */
export class CredentialCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(opts: { ttlMs?: number; maxEntries?: number } = {}) {
    this.#ttlMs = opts.ttlMs ?? 30_000;
    this.#max = opts.maxEntries ?? 10_000;
  }

  /** The cache key for presented credential text (never stored in the clear). */
  static keyOf(presented: string): string {
    // One-shot hash: no Hash object per request on the hot path.
    return hash('sha256', presented, 'base64');
  }

  get(key: string, now: number): Principal | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(key: string, principal: Principal, now: number): void {
    if (this.#entries.size >= this.#max) {
      // Map keeps insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { principal, expiresAt: now + this.#ttlMs });
  }

  clear(): void {
    this.#entries.clear();
  }
}
