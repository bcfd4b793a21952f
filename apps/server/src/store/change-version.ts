/** What a change version counts: `sessions` = cart rows; `accounts` = users and API keys. */
export type ChangeScope = 'sessions' | 'accounts';

export const CHANGE_SCOPES: readonly ChangeScope[] = ['sessions', 'accounts'];

/**
 * The store-wide change version of each scope: a counter in the database (table `change_versions`)
 * that triggers bump in the very transaction of any write, whichever process or CLI makes it.
 * ETags, caches of counts and page anchors, and caches of verified credentials follow it.
 *
 * Versions are opaque strings `<epoch>.<n>`: compare them for equality only. The epoch is random
 * per database, so a recreated database never repeats an earlier version.
 */
export interface ChangeVersion {
  /**
   * The version now, as committed by any process: read from the database, cheaply (one
   * primary-key row). Read it before the data it stands for, so the data is at least that new.
   */
  current(scope: ChangeScope): Promise<string>;
  /**
   * Calls `listener` with the new version after changes of `scope` commit, in this or another
   * process: PostgreSQL by LISTEN/NOTIFY for accounts (milliseconds) and by polling for sessions
   * (every 250 ms); SQLite by polling while anyone listens (every `pollMs`, 200 by default). Bursts may be coalesced into one call. A call may also come
   * with no new version when changes may have gone unheard (PostgreSQL: the listening connection was
   * lost): drop what the version vouched for. Returns the unsubscribe.
   */
  subscribe(scope: ChangeScope, listener: (version: string) => void): () => void;
  /**
   * The latest version this process has seen (by `current` or a notification), without any I/O;
   * `undefined` before the first. What in-process caches stamp their entries with.
   */
  peek(scope: ChangeScope): string | undefined;
  /** Stops polling or listening (the database itself is closed by its owner). */
  close(): Promise<void>;
}

/** A `change_versions` row: the database's epoch and the scope's counter. */
export interface ChangeCounter {
  epoch: string;
  version: number | string;
}

/** The version string of a `change_versions` row. */
export const formatVersion = (row: ChangeCounter): string => `${row.epoch}.${row.version}`;

/** Listeners per scope, and the last version each scope was reported at (both databases' subscriptions). */
export class ChangeListeners {
  readonly #byScope = new Map<ChangeScope, Set<(version: string) => void>>();
  readonly #last = new Map<ChangeScope, string>();

  get size(): number {
    let n = 0;
    for (const set of this.#byScope.values()) n += set.size;
    return n;
  }

  scopes(): ChangeScope[] {
    return [...this.#byScope.keys()];
  }

  add(scope: ChangeScope, listener: (version: string) => void): () => void {
    let set = this.#byScope.get(scope);
    if (!set) {
      set = new Set();
      this.#byScope.set(scope, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#byScope.delete(scope);
    };
  }

  /** Remembers `version` without telling anyone (the starting point of a subscription). */
  seen(scope: ChangeScope, version: string): void {
    if (!this.#last.has(scope)) this.#last.set(scope, version);
  }

  /** Tells the listeners of `scope` if `version` differs from the last one told, or `always`. */
  emit(scope: ChangeScope, version: string, always = false): void {
    if (!always && this.#last.get(scope) === version) return;
    this.#last.set(scope, version);
    for (const listener of [...(this.#byScope.get(scope) ?? [])]) {
      try {
        listener(version);
      } catch {
        // One listener's bug must not stop the others from hearing of the change.
      }
    }
  }
}
