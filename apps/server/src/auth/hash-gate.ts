interface Waiter {
  address: string;
  start: () => void;
  refuse: (e: HashQueueFullError) => void;
}

/**
 * A login refused unchecked: more were waiting for a hash than the gate lets wait, overall or (with
 * `perClient`) from its client, which already has as many pending as it may ever have granted.
 */
export class HashQueueFullError extends Error {
  override readonly name = 'HashQueueFullError';
  /** A hash takes tens of milliseconds: a second later the queue has moved on. */
  readonly retryAfterSeconds = 1;
  constructor(
    message: string,
    readonly perClient = false,
  ) {
    super(message);
  }
}

/**
 * Bounds the slow hashes in flight, per client and overall, so that a burst from one client waits
 * behind itself instead of in front of everyone else, and bounds how many wait. Under a flood (a
 * full queue) the newest login is checked first and the oldest waiting is refused: a login that
 * just arrived then waits about one hash, not behind every guess already queued.
 */
export class HashGate {
  readonly #perAddress: number;
  readonly #overall: number;
  readonly #maxWaiting: number;
  readonly #maxPendingPerAddress: number;
  readonly #running = new Map<string, number>();
  // Running and waiting, per address.
  readonly #pending = new Map<string, number>();
  #total = 0;
  // Oldest first.
  readonly #queue: Waiter[] = [];

  constructor(
    opts: { perAddress?: number; overall?: number; maxWaiting?: number; maxPendingPerAddress?: number } = {},
  ) {
    this.#perAddress = opts.perAddress ?? 1;
    // libuv runs scrypt on its thread pool (4 threads by default): more at once only queues there.
    this.#overall = opts.overall ?? 4;
    this.#maxWaiting = opts.maxWaiting ?? 32;
    this.#maxPendingPerAddress = opts.maxPendingPerAddress ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Run `task` (a hash) for `address` once both bounds allow it.
   * @throws HashQueueFullError when it was refused a place in (or pushed out of) the queue
   */
  async run<T>(address: string, task: () => Promise<T>): Promise<T> {
    const pending = this.#pending.get(address) ?? 0;
    if (pending >= this.#maxPendingPerAddress) {
      throw new HashQueueFullError('This client has as many logins waiting as it may make.', true);
    }
    this.#pending.set(address, pending + 1);
    try {
      return await this.#run(address, task);
    } finally {
      const left = (this.#pending.get(address) ?? 1) - 1;
      if (left === 0) this.#pending.delete(address);
      else this.#pending.set(address, left);
    }
  }

  async #run<T>(address: string, task: () => Promise<T>): Promise<T> {
    if (this.#canStart(address)) {
      this.#take(address);
    } else {
      await new Promise<void>((start, refuse) => {
        if (this.#queue.length >= this.#maxWaiting) {
          const oldest = this.#queue.shift();
          if (oldest === undefined) {
            refuse(new HashQueueFullError('No login may wait for a check.'));
            return;
          }
          oldest.refuse(new HashQueueFullError('Too many logins are waiting to be checked.'));
        }
        this.#queue.push({ address, start, refuse });
      });
    }
    try {
      return await task();
    } finally {
      this.#release(address);
    }
  }

  #canStart(address: string): boolean {
    return this.#total < this.#overall && (this.#running.get(address) ?? 0) < this.#perAddress;
  }

  #take(address: string): void {
    this.#total++;
    this.#running.set(address, (this.#running.get(address) ?? 0) + 1);
  }

  #release(address: string): void {
    this.#total--;
    const left = (this.#running.get(address) ?? 1) - 1;
    if (left === 0) this.#running.delete(address);
    else this.#running.set(address, left);
    // The newest waiter whose address is under its bound goes next.
    for (let i = this.#queue.length - 1; i >= 0 && this.#total < this.#overall; i--) {
      const w = this.#queue[i]!;
      if ((this.#running.get(w.address) ?? 0) < this.#perAddress) {
        this.#queue.splice(i, 1);
        this.#take(w.address);
        w.start();
      }
    }
  }
}
