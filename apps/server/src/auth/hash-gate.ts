interface Waiter {
  address: string;
  start: () => void;
}

/**
 * Bounds the slow hashes in flight, per client address and overall, so that a burst from one
 * address waits behind itself instead of in front of everyone else.
 */
export class HashGate {
  readonly #perAddress: number;
  readonly #overall: number;
  readonly #running = new Map<string, number>();
  #total = 0;
  readonly #queue: Waiter[] = [];

  constructor(opts: { perAddress?: number; overall?: number } = {}) {
    this.#perAddress = opts.perAddress ?? 1;
    // libuv runs scrypt on its thread pool (4 threads by default): more at once only queues there.
    this.#overall = opts.overall ?? 4;
  }

  /** Run `task` (a hash) for `address` once both bounds allow it. */
  async run<T>(address: string, task: () => Promise<T>): Promise<T> {
    if (!this.#canStart(address)) {
      await new Promise<void>((start) => {
        this.#queue.push({ address, start });
      });
    } else {
      this.#take(address);
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
    // The first waiter whose address is under its bound goes next: FIFO across addresses.
    for (let i = 0; i < this.#queue.length && this.#total < this.#overall; i++) {
      const w = this.#queue[i]!;
      if ((this.#running.get(w.address) ?? 0) < this.#perAddress) {
        this.#queue.splice(i, 1);
        i--;
        this.#take(w.address);
        w.start();
      }
    }
  }
}
