import type pg from 'pg';

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
   * process: PostgreSQL by LISTEN/NOTIFY (milliseconds); SQLite by polling while anyone listens
   * (every `pollMs`, 200 by default). Bursts may be coalesced into one call. Returns the unsubscribe.
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

interface Counter {
  epoch: string;
  version: number | string;
}

/** The version string of a `change_versions` row. */
export const formatVersion = (row: Counter): string => `${row.epoch}.${row.version}`;
const format = formatVersion;

/** Listeners per scope, and the last version each scope was reported at. */
class Listeners {
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

  /** Tells the listeners of `scope` if `version` differs from the last one told. */
  emit(scope: ChangeScope, version: string): void {
    if (this.#last.get(scope) === version) return;
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

/** SQLite: the counter row is a microsecond read on the store's own connection. */
export class SqliteChangeVersion implements ChangeVersion {
  readonly #listeners = new Listeners();
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * `read` returns the `change_versions` row of a scope (synchronously: node:sqlite); `run` turns
   * a call into a promise with the store's errors (a closed or locked file is StoreUnavailableError).
   */
  constructor(
    private readonly read: (scope: ChangeScope) => Counter,
    private readonly run: <T>(fn: () => T) => Promise<T>,
    private readonly pollMs = 200,
  ) {}

  current(scope: ChangeScope): Promise<string> {
    return this.run(() => format(this.read(scope)));
  }

  peek(scope: ChangeScope): string | undefined {
    try {
      return format(this.read(scope));
    } catch {
      return undefined;
    }
  }

  subscribe(scope: ChangeScope, listener: (version: string) => void): () => void {
    this.#listeners.seen(scope, format(this.read(scope)));
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
        this.#listeners.emit(scope, format(this.read(scope)));
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

/** How {@link PostgresChangeVersion} reaches its database. */
export interface PostgresChangeVersionDeps {
  /** The `change_versions` row of a scope, through the store's pool. */
  read(scope: ChangeScope): Promise<Counter>;
  /** A new, connected client outside the pool (with the store's search_path) to LISTEN on. */
  connect(): Promise<pg.Client>;
  /** Reconnection delay after the listening connection fails (ms, default 1000). */
  retryMs?: number;
}

/**
 * PostgreSQL: `current` reads the counter row through the pool; subscriptions share one dedicated
 * connection that LISTENs to `cocart_changes` (payload `<schema>:<scope>:<n>`, sent by the trigger at
 * commit). After that connection fails it reconnects and re-reads every scope, so no change is missed.
 */
export class PostgresChangeVersion implements ChangeVersion {
  readonly #listeners = new Listeners();
  readonly #epochs = new Map<ChangeScope, string>();
  readonly #seen = new Map<ChangeScope, { epoch: string; n: number }>();
  #client: pg.Client | undefined;
  #schema: string | undefined;
  #starting: Promise<void> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(private readonly deps: PostgresChangeVersionDeps) {}

  readonly #unsent = new Map<ChangeScope, Promise<string>>();

  current(scope: ChangeScope): Promise<string> {
    // Calls of one turn of the event loop share one read, sent after they all arrived: it still
    // starts after each caller asked, so it sees every change committed before any of them.
    let read = this.#unsent.get(scope);
    if (!read) {
      read = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        this.#unsent.delete(scope);
        const row = await this.deps.read(scope);
        this.#epochs.set(scope, row.epoch);
        this.#see(scope, row.epoch, Number(row.version));
        return format(row);
      });
      this.#unsent.set(scope, read);
    }
    return read;
  }

  subscribe(scope: ChangeScope, listener: (version: string) => void): () => void {
    const remove = this.#listeners.add(scope, listener);
    void this.current(scope).then(
      (v) => this.#listeners.seen(scope, v),
      () => {},
    );
    this.#start();
    return () => {
      remove();
      if (this.#listeners.size === 0) void this.#stopListening();
    };
  }

  #start(): void {
    if (this.#client || this.#starting || this.#closed) return;
    this.#starting = this.#listen().finally(() => {
      this.#starting = undefined;
    });
  }

  async #listen(): Promise<void> {
    let client: pg.Client | undefined;
    try {
      client = await this.deps.connect();
      const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
      this.#schema = rows[0]?.schema;
      client.on('notification', (msg) => this.#onNotification(msg.channel, msg.payload));
      client.on('error', () => this.#lost(client));
      client.on('end', () => this.#lost(client));
      await client.query('LISTEN cocart_changes');
      if (this.#closed || this.#listeners.size === 0) {
        await client.end().catch(() => {});
        return;
      }
      this.#client = client;
      // Changes made while we were not listening were never notified to us.
      await this.#refresh();
    } catch {
      await client?.end().catch(() => {});
      this.#scheduleRetry();
    }
  }

  #onNotification(channel: string, payload: string | undefined): void {
    if (channel !== 'cocart_changes' || !payload) return;
    const [schema, scope, n] = payload.split(':');
    if (schema !== this.#schema || (scope !== 'sessions' && scope !== 'accounts') || !n) return;
    const epoch = this.#epochs.get(scope);
    if (epoch === undefined) {
      void this.#refresh();
      return;
    }
    this.#see(scope, epoch, Number(n));
    this.#listeners.emit(scope, `${epoch}.${n}`);
  }

  /** Keeps the newest version seen: a late notification never moves it back. */
  #see(scope: ChangeScope, epoch: string, n: number): void {
    const seen = this.#seen.get(scope);
    if (!seen || seen.epoch !== epoch || n > seen.n) this.#seen.set(scope, { epoch, n });
  }

  peek(scope: ChangeScope): string | undefined {
    const seen = this.#seen.get(scope);
    return seen && `${seen.epoch}.${seen.n}`;
  }

  async #refresh(): Promise<void> {
    for (const scope of this.#listeners.scopes()) {
      try {
        this.#listeners.emit(scope, await this.current(scope));
      } catch {
        // The pool is failing too; the listening connection's own failure will retry.
      }
    }
  }

  #lost(client: pg.Client | undefined): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    void client?.end().catch(() => {});
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry || this.#listeners.size === 0) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#start();
    }, this.deps.retryMs ?? 1000);
    this.#retry.unref?.();
  }

  async #stopListening(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = undefined;
    await client?.end().catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#starting;
    await this.#stopListening();
  }
}
