import { PostgresAccountStore } from './postgres/account-store.js';
import { CHANGE_VERSION_SQL, PostgresChangeVersion } from './postgres/change-version.js';
import { PostgresDatabase, type PostgresStoreOptions } from './postgres/database.js';
import { PostgresSessionStore } from './postgres/session-store.js';
import { PostgresLeaseStore, PostgresThrottleStore } from './postgres/throttle-store.js';
import { SqliteAccountStore } from './sqlite/account-store.js';
import { SqliteChangeVersion } from './sqlite/change-version.js';
import { SqliteDatabase, type SqliteStoreOptions, sqliteFilesReadableByOthers } from './sqlite/database.js';
import { SqliteSessionStore } from './sqlite/session-store.js';
import { SqliteLeaseStore, SqliteThrottleStore } from './sqlite/throttle-store.js';
import type { Store } from './store.js';

const CHANGE_VERSION_SQLITE = 'SELECT epoch, version FROM change_versions WHERE scope = ?';

/** Tuning for {@link openStore}; the defaults suit the server. */
export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/** The SQLite file path of a `sqlite:<path>` URL (also `sqlite://<path>`) or of a bare path. */
export function sqlitePathOf(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) return databaseUrl;
  const rest = databaseUrl.slice('sqlite:'.length);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

/** The store's files that other local users may read (SQLite only; PostgreSQL keeps its own files). */
export function storeFilesReadableByOthers(databaseUrl: string): Array<{ path: string; mode: number }> {
  return isPostgresUrl(databaseUrl) ? [] : sqliteFilesReadableByOthers(sqlitePathOf(databaseUrl));
}

/** Whether a database URL names PostgreSQL (`postgres://` or `postgresql://`). */
export const isPostgresUrl = (databaseUrl: string): boolean => /^postgres(ql)?:\/\//i.test(databaseUrl);

/**
 * Opens and migrates the database a URL names, with its stores: `postgres://` / `postgresql://`
 * (optional `?schema=name`), otherwise SQLite (`sqlite:<path>` or a bare path; parent directories
 * are created). Throws StoreUnavailableError when the database cannot be reached, opened or is locked.
 *
 * @example
 * const store = await openStore('sqlite:./data/sessions.db');
 * await store.sessions.countSessions();
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(databaseUrl)) {
    const db = await PostgresDatabase.open(databaseUrl, options);
    const changes = new PostgresChangeVersion({
      read: async (scope) => {
        const [row] = await db.rows<{ epoch: string; version: string }>(CHANGE_VERSION_SQL, [scope]);
        if (!row) throw new Error(`change_versions has no ${scope} row`);
        return row;
      },
      connect: () => db.connectClient(),
    });
    const sessions = new PostgresSessionStore(db, () => changes.peek('sessions'));
    return {
      kind: 'postgres',
      sessions,
      accounts: new PostgresAccountStore(db),
      changes,
      throttle: new PostgresThrottleStore(db),
      leases: new PostgresLeaseStore(db),
      ping: () => db.ping(),
      close: async () => {
        await changes.close();
        await db.close(async () => {
          await sessions.settleWrites();
          await sessions.vacuumBulkTail();
        });
      },
    };
  }
  const db = SqliteDatabase.open(sqlitePathOf(databaseUrl), options);
  const changes = new SqliteChangeVersion(
    (scope) => {
      const row = db.stmt(CHANGE_VERSION_SQLITE).get(scope) as { epoch: string; version: number } | undefined;
      if (!row) throw new Error(`change_versions has no ${scope} row`);
      return row;
    },
    (fn) => db.run(fn),
  );
  return {
    kind: 'sqlite',
    sessions: new SqliteSessionStore(db),
    accounts: new SqliteAccountStore(db),
    changes,
    throttle: new SqliteThrottleStore(db),
    leases: new SqliteLeaseStore(db),
    ping: () => db.ping(),
    close: async () => {
      await changes.close();
      await db.close();
    },
  };
}
