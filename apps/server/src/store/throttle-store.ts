/** The rule of the failed-login throttle: at most `limit` attempts per client address per window. */
export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

/** The outcome of {@link LoginThrottleStore.reserveAttempt}. */
export interface AttemptReservation {
  /** Whether this attempt may be checked; when not, the address is blocked until the window ends. */
  granted: boolean;
  /** When the address's current window started (ms); names the window for a refund. */
  windowStart: number;
  /** Milliseconds until the window ends. */
  remainingMs: number;
  /** Attempts counted in the window, this one included (at most `limit + 1`). */
  attempts: number;
}

/** Failed-login attempts per client address, shared by every process on one database. */
export interface LoginThrottleStore {
  /**
   * Atomically count one attempt from `address` before its password is checked; an attempt past
   * the rule's limit is not granted. Concurrent calls from any process never grant more than `limit`.
   */
  reserveAttempt(address: string, now: number, rule: ThrottleRule): Promise<AttemptReservation>;
  /** The addresses blocked at `now` (at most `max`, latest blocks first), with when each block ends. */
  blockedAddresses(now: number, max: number): Promise<Array<{ address: string; blockedUntil: number }>>;
  /**
   * Mark `address` blocked until its window ends, when the window is still the one that started at
   * `windowStart` and its limit is used up: called once a granted attempt failed.
   */
  markBlocked(address: string, windowStart: number, rule: ThrottleRule): Promise<void>;
  /** Give back a granted attempt that turned out to succeed (a success is not a failure). */
  refundAttempt(address: string, windowStart: number, rule: ThrottleRule): Promise<void>;
  /**
   * Delete at most `batch` entries whose window ended, oldest first (an index range, never a
   * full sweep), then, beyond `maxEntries`, the oldest ones; resolves with how many went.
   */
  pruneAttempts(
    now: number,
    rule: ThrottleRule,
    opts: { batch: number; maxEntries: number },
  ): Promise<number>;
}

/** Leases that let one process at a time run periodic maintenance (the expired-session cleanup). */
export interface LeaseStore {
  /**
   * Take the lease `name` until `now + ttlMs` if nobody holds it (or it ran out): true for
   * exactly one of the processes that try at once.
   */
  claim(name: string, now: number, ttlMs: number): Promise<boolean>;
  /** Give the lease `name` back before it runs out. */
  release(name: string): Promise<void>;
}
