import type { LoginThrottleStore, ThrottleRule } from '../store/throttle-store.js';

/** What {@link LoginThrottle.reserve} hands back. */
export type Reservation =
  | {
      granted: true;
      /** Call once the check is done; a success gives the attempt back. */
      settle(success: boolean): Promise<void>;
    }
  | { granted: false; retryAfterSeconds: number };

/** The SPEC's rule: 10 failed attempts per client address within 5 minutes. */
export const LOGIN_RULE: ThrottleRule = { limit: 10, windowMs: 5 * 60_000 };

const MAX_KNOWN_BLOCKS = 10_000;
/** How often a process asks the store which addresses are blocked (while requests arrive). */
export const SYNC_MS = 500;
const PRUNE_EVERY_NEW_WINDOWS = 64;

/**
 * The failed-login throttle: attempts are reserved in the shared store before the password is
 * hashed, so concurrency never lets more than the limit through; blocks this process has seen are
 * also kept in a small local map for the synchronous hot path.
 */
export class LoginThrottle {
  readonly #store: LoginThrottleStore;
  readonly #rule: ThrottleRule;
  readonly #clock: () => number;
  // address -> ms when its block ends; insertion order doubles as age for eviction.
  readonly #blocked = new Map<string, number>();
  // The blocks learnt from the store (not seen here): the next sync may find them lifted.
  readonly #synced = new Set<string>();
  readonly #queues = new Map<string, Promise<void>>();
  #newWindows = 0;
  #syncedAt = Number.NEGATIVE_INFINITY;
  #syncing = false;
  #pruning = false;
  readonly #onStoreError: (e: unknown) => void;

  constructor(opts: {
    store: LoginThrottleStore;
    clock: () => number;
    rule?: ThrottleRule;
    maxEntries?: number;
    onStoreError?: (e: unknown) => void;
  }) {
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.#rule = opts.rule ?? LOGIN_RULE;
    this.#maxEntries = opts.maxEntries ?? 100_000;
    this.#onStoreError = opts.onStoreError ?? (() => {});
  }

  readonly #maxEntries: number;

  /**
   * Seconds `address` is known to be blocked for; 0 when not known to be. Synchronous: it answers
   * from memory, which learns the blocks other processes made within {@link SYNC_MS} of a request.
   */
  knownBlock(address: string, now = this.#clock()): number {
    this.sync(now);
    if (this.#blocked.size === 0) return 0;
    const until = this.#blocked.get(address);
    if (until === undefined) return 0;
    if (until <= now) {
      this.#blocked.delete(address);
      this.#synced.delete(address);
      return 0;
    }
    return Math.max(1, Math.ceil((until - now) / 1000));
  }

  /** Whether any block is known here: lets the hot path skip working out the client address. */
  anyKnownBlock(now = this.#clock()): boolean {
    this.sync(now);
    return this.#blocked.size > 0;
  }

  /**
   * Learn the blocks of every process from the store, at most once per {@link SYNC_MS}, in the
   * background: requests never wait for it (no timer either, so a closed server stops asking).
   */
  sync(now = this.#clock()): void {
    if (this.#syncing || now - this.#syncedAt < SYNC_MS) return;
    this.#syncing = true;
    this.#syncedAt = now;
    this.#store
      .blockedAddresses(now, MAX_KNOWN_BLOCKS)
      .then((rows) => {
        const current = new Set(rows.map((r) => r.address));
        // A mark can be lifted (the limit-th attempt turned out right): forget what is gone.
        for (const address of this.#synced) {
          if (!current.has(address)) {
            this.#synced.delete(address);
            this.#blocked.delete(address);
          }
        }
        for (const r of rows) {
          if (this.#blocked.has(r.address)) continue;
          this.#remember(r.address, r.blockedUntil);
          this.#synced.add(r.address);
        }
      }, this.#onStoreError)
      .finally(() => {
        this.#syncing = false;
      });
  }

  /**
   * Count one attempt from `address` before checking it; refused once the address used its limit.
   * One address's reservations go to the store one at a time: once one is refused, the rest of a
   * burst is refused from memory instead of queueing on the database in front of other clients.
   */
  reserve(address: string): Promise<Reservation> {
    const previous = this.#queues.get(address);
    const next =
      previous === undefined ? this.#reserveNow(address) : previous.then(() => this.#reserveNow(address));
    const settled = next.then(
      () => {},
      () => {},
    );
    this.#queues.set(address, settled);
    void settled.then(() => {
      if (this.#queues.get(address) === settled) this.#queues.delete(address);
    });
    return next;
  }

  async #reserveNow(address: string): Promise<Reservation> {
    const now = this.#clock();
    const known = this.knownBlock(address, now);
    if (known > 0) return { granted: false, retryAfterSeconds: known };
    const r = await this.#store.reserveAttempt(address, now, this.#rule);
    if (!r.granted) {
      this.#remember(address, now + r.remainingMs);
      return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil(r.remainingMs / 1000)) };
    }
    if (r.windowStart === now) this.#maybePrune(now);
    return {
      granted: true,
      settle: async (success) => {
        if (success) await this.#store.refundAttempt(address, r.windowStart, this.#rule);
        // The limit-th failure blocks the address here at once; other processes learn it from the
        // store's mark at their next sync.
        else if (r.attempts >= this.#rule.limit) {
          this.#remember(address, r.windowStart + this.#rule.windowMs);
          await this.#store.markBlocked(address, r.windowStart, this.#rule);
        }
      },
    };
  }

  #remember(address: string, until: number): void {
    this.#blocked.delete(address);
    this.#synced.delete(address);
    if (this.#blocked.size >= MAX_KNOWN_BLOCKS) {
      const oldest = this.#blocked.keys().next();
      if (!oldest.done) {
        this.#blocked.delete(oldest.value);
        this.#synced.delete(oldest.value);
      }
    }
    this.#blocked.set(address, until);
  }

  // New windows are what grow the table: every so many, drop a batch of ended ones (never all).
  #maybePrune(now: number): void {
    if (++this.#newWindows % PRUNE_EVERY_NEW_WINDOWS !== 0 || this.#pruning) return;
    this.#pruning = true;
    this.#store
      .pruneAttempts(now, this.#rule, { batch: 4 * PRUNE_EVERY_NEW_WINDOWS, maxEntries: this.#maxEntries })
      .catch(this.#onStoreError)
      .finally(() => {
        this.#pruning = false;
      });
  }
}
