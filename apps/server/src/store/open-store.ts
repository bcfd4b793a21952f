import { PostgresSessionStore, type PostgresStoreOptions } from './postgres.js';
import type { SessionStore } from './session-store.js';
import { SqliteSessionStore, type SqliteStoreOptions } from './sqlite.js';

/** Tuning for {@link openStore}; the defaults suit the server. */
export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/** The SQLite file path of a `sqlite:<path>` URL (also `sqlite://<path>`) or of a bare path. */
export function sqlitePathOf(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) return databaseUrl;
  const rest = databaseUrl.slice('sqlite:'.length);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

/** Whether a database URL names PostgreSQL (`postgres://` or `postgresql://`). */
export const isPostgresUrl = (databaseUrl: string): boolean => /^postgres(ql)?:\/\//i.test(databaseUrl);

/**
 * Opens and migrates the store a database URL names: `postgres://` / `postgresql://` (optional
 * `?schema=name`), otherwise SQLite (`sqlite:<path>` or a bare path; parent directories are created).
 * Throws StoreUnavailableError when the database cannot be reached, opened or is locked.
 *
 * @example
 * const store = await openStore('sqlite:./data/sessions.db');
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<SessionStore> {
  if (isPostgresUrl(databaseUrl)) return PostgresSessionStore.open(databaseUrl, options);
  return SqliteSessionStore.open(sqlitePathOf(databaseUrl), options);
}
