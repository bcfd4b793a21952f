interface Window {
  failures: number;
  startedAt: number;
}

/** Counts failed logins per client address in a fixed window; past the limit the address is refused. */
export class FailureThrottle {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(opts: { limit?: number; windowMs?: number } = {}) {
    this.#limit = opts.limit ?? 10;
    this.#windowMs = opts.windowMs ?? 5 * 60_000;
  }

  /** Seconds until `address` may try again, or 0 when it is not blocked. */
  retryAfter(address: string, now: number): number {
    if (this.#windows.size === 0) return 0;
    const w = this.#windows.get(address);
    if (w === undefined) return 0;
    const endsAt = w.startedAt + this.#windowMs;
    if (endsAt <= now) {
      this.#windows.delete(address);
      return 0;
    }
    return w.failures >= this.#limit ? Math.max(1, Math.ceil((endsAt - now) / 1000)) : 0;
  }

  /** Record one failed attempt from `address`. */
  fail(address: string, now: number): void {
    const w = this.#windows.get(address);
    if (w === undefined || w.startedAt + this.#windowMs <= now) {
      if (this.#windows.size > 100_000) this.#sweep(now);
      this.#windows.set(address, { failures: 1, startedAt: now });
    } else {
      w.failures += 1;
    }
  }

  #sweep(now: number): void {
    for (const [address, w] of this.#windows) {
      if (w.startedAt + this.#windowMs <= now) this.#windows.delete(address);
    }
  }
}
