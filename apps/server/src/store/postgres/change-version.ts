import type pg from 'pg';
import type { ChangeCounter, ChangeScope, ChangeVersion } from '../change-version.js';
import { ChangeListeners, formatVersion } from '../change-version.js';

/**
 * The version number of `change_versions` row `v` (of scope `scope`, a SQL literal or parameter), as
 * text: the row's own counter plus the scope's slots (sessions writes bump a random slot, so
 * concurrent writers do not queue on one row; see migration 5). Read in one statement, so of one
 * snapshot: it counts exactly the writes that snapshot sees. The scope is given, not taken from `v`,
 * so PostgreSQL sums the slots once per statement rather than once per row of `v`.
 */
export const versionNumberSql = (scope: string): string =>
  `(v.version + coalesce((SELECT sum(s.bumps) FROM change_version_slots s WHERE s.scope = ${scope}), 0))::text`;

/** The `change_versions` row of scope `$1`, its number as {@link versionNumberSql} gives it. */
export const CHANGE_VERSION_SQL = `SELECT v.epoch, ${versionNumberSql('$1')} AS version FROM change_versions v WHERE v.scope = $1`;

/** How {@link PostgresChangeVersion} reaches its database. */
export interface PostgresChangeVersionDeps {
  /** The `change_versions` row of a scope, through the store's pool. */
  read(scope: ChangeScope): Promise<ChangeCounter>;
  /** A new, connected client outside the pool (with the store's search_path) to LISTEN on. */
  connect(): Promise<pg.Client>;
  /** Reconnection delay after the listening connection fails (ms, default 1000). */
  retryMs?: number;
  /**
   * How often the subscribed scopes' versions are also read through the pool (ms, default 250): the
   * way sessions changes are heard (their writes do not NOTIFY: see migration 5), and the safety net
   * of accounts changes, whose listening connection may die without a word.
   */
  checkMs?: number;
}

/**
 * PostgreSQL: `current` reads the counter through the pool; subscriptions share one dedicated
 * connection that LISTENs to `cocart_changes` (payload `<schema>:<scope>:<n>`, sent by the accounts
 * triggers at commit). When that connection fails, subscribers are told at once (what it missed is
 * unknown), and it reconnects and re-reads every scope. The subscribed scopes' versions are also read
 * through the pool every `checkMs`: that is how sessions changes are heard (a NOTIFY in every cart
 * write would make those writes commit one at a time), and how accounts changes still are when the
 * listening connection dies unnoticed.
 */
export class PostgresChangeVersion implements ChangeVersion {
  readonly #listeners = new ChangeListeners();
  readonly #epochs = new Map<ChangeScope, string>();
  readonly #seen = new Map<ChangeScope, { epoch: string; n: number }>();
  #client: pg.Client | undefined;
  #schema: string | undefined;
  #starting: Promise<void> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #check: ReturnType<typeof setInterval> | undefined;
  #checking = false;
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
        return formatVersion(row);
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
    this.#startChecks();
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
    // The newest seen, not this one: a pool read may have seen a later change first.
    this.#listeners.emit(scope, this.peek(scope) ?? `${epoch}.${n}`);
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
        const read = await this.current(scope);
        // The newest seen: a read that raced a notification never moves subscribers back.
        this.#listeners.emit(scope, this.peek(scope) ?? read);
      } catch {
        // The pool is failing too: the next check, or the next connection, reads again.
      }
    }
  }

  #startChecks(): void {
    if (this.#check || this.#closed) return;
    this.#check = setInterval(() => {
      if (this.#checking) return; // a hung pool never stacks reads up
      this.#checking = true;
      void this.#refresh().finally(() => {
        this.#checking = false;
      });
    }, this.deps.checkMs ?? 250);
    this.#check.unref?.();
  }

  #lost(client: pg.Client | undefined): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    void client?.end().catch(() => {});
    // Whatever changed since the connection last heard was never notified: subscribers (the
    // credential cache) start over now rather than at the next check.
    for (const scope of this.#listeners.scopes()) {
      const version = this.peek(scope);
      if (version !== undefined) this.#listeners.emit(scope, version, true);
    }
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
    clearInterval(this.#check);
    this.#check = undefined;
    await client?.end().catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#starting;
    await this.#stopListening();
  }
}
