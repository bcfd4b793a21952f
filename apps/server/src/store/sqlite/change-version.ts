import type { ChangeCounter, ChangeScope, ChangeVersion } from '../change-version.js';
import { ChangeListeners, formatVersion } from '../change-version.js';

/** SQLite: the counter row is a microsecond read on the store's own connection. */
export class SqliteChangeVersion implements ChangeVersion {
  readonly #listeners = new ChangeListeners();
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * `read` returns the `change_versions` row of a scope (synchronously: node:sqlite); `run` turns
   * a call into a promise with the store's errors (a closed or locked file is StoreUnavailableError).
   */
  constructor(
    private readonly read: (scope: ChangeScope) => ChangeCounter,
    private readonly run: <T>(fn: () => T) => Promise<T>,
    private readonly pollMs = 200,
  ) {}

  current(scope: ChangeScope): Promise<string> {
    return this.run(() => formatVersion(this.read(scope)));
  }

  peek(scope: ChangeScope): string | undefined {
    try {
      return formatVersion(this.read(scope));
    } catch {
      return undefined;
    }
  }

  subscribe(scope: ChangeScope, listener: (version: string) => void): () => void {
    this.#listeners.seen(scope, formatVersion(this.read(scope)));
    const remove = this.#listeners.add(scope, listener);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.#poll(), this.pollMs);
      this.#timer.unref?.();
    }
    return () => {
      remove();
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  #poll(): void {
    for (const scope of this.#listeners.scopes()) {
      try {
        this.#listeners.emit(scope, formatVersion(this.read(scope)));
      } catch {
        // The database is closed or locked: try again at the next tick.
      }
    }
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async close(): Promise<void> {
    this.#stop();
  }
}
