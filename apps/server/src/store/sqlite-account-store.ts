import { KEY_COLUMNS, USER_COLUMNS, updateUserSql } from './account-sql.js';
import type { AccountStore, ApiKey, NewApiKey, NewUser, User, UserPatch } from './account-store.js';
import { sqliteDialect } from './sql-dialect.js';
import { plain, type SqliteDatabase } from './sqlite-database.js';

/** Users and API keys in the SQLite file. */
export class SqliteAccountStore implements AccountStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  addUser(u: NewUser): Promise<User> {
    return this.#db.run(() => {
      const row = this.#db
        .stmt(
          `INSERT INTO users (login, email, role, password_hash) VALUES (?, ?, ?, ?) RETURNING ${USER_COLUMNS}`,
        )
        .get(u.login, u.email, u.role, u.passwordHash);
      return plain<User>(row);
    });
  }

  updateUser(login: string, patch: UserPatch): Promise<User | undefined> {
    return this.#db.run(() => {
      const { sql, params } = updateUserSql(sqliteDialect, login, patch);
      const row = this.#db.stmt(sql).get(...params);
      return row ? plain<User>(row) : undefined;
    });
  }

  findUser(loginOrEmail: string): Promise<User | undefined> {
    return this.#db.run(() => {
      const row = this.#db
        .stmt(
          `SELECT ${USER_COLUMNS} FROM users WHERE login = ? OR (email <> '' AND lower(email) = lower(?)) ORDER BY login = ? DESC LIMIT 1`,
        )
        .get(loginOrEmail, loginOrEmail, loginOrEmail);
      return row ? plain<User>(row) : undefined;
    });
  }

  findUserById(id: number): Promise<User | undefined> {
    return this.#db.run(() => {
      const row = this.#db.stmt(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id);
      return row ? plain<User>(row) : undefined;
    });
  }

  listUsers(): Promise<User[]> {
    return this.#db.run(() =>
      this.#db
        .stmt(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`)
        .all()
        .map((r) => plain<User>(r)),
    );
  }

  removeUser(login: string): Promise<boolean> {
    return this.#db.run(
      () => Number(this.#db.stmt('DELETE FROM users WHERE login = ?').run(login).changes) === 1,
    );
  }

  countUsers(): Promise<number> {
    return this.#db.run(() =>
      Number((this.#db.stmt('SELECT count(*) AS n FROM users').get() as { n: number }).n),
    );
  }

  addApiKey(k: NewApiKey): Promise<ApiKey> {
    return this.#db.run(() => {
      const row = this.#db
        .stmt(
          `INSERT INTO api_keys (user_id, consumer_key_hash, consumer_key_ending, secret_hash, description, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${KEY_COLUMNS}`,
        )
        .get(
          k.userId,
          k.consumerKeyHash,
          k.consumerKeyEnding,
          k.secretHash,
          k.description,
          Math.floor(Date.now() / 1000),
        );
      return plain<ApiKey>(row);
    });
  }

  findApiKey(consumerKeyHash: string): Promise<ApiKey | undefined> {
    return this.#db.run(() => {
      const row = this.#db
        .stmt(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE consumer_key_hash = ?`)
        .get(consumerKeyHash);
      return row ? plain<ApiKey>(row) : undefined;
    });
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.#db.run(() =>
      this.#db
        .stmt(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY id`)
        .all()
        .map((r) => plain<ApiKey>(r)),
    );
  }

  revokeApiKey(consumerKeyEndingOrHash: string): Promise<boolean> {
    return this.#db.run(() => {
      const byHash = this.#db
        .stmt('DELETE FROM api_keys WHERE consumer_key_hash = ?')
        .run(consumerKeyEndingOrHash);
      if (Number(byHash.changes) > 0) return true;
      // An ending names a key only when it is unambiguous.
      const byEnding = this.#db
        .stmt(
          'DELETE FROM api_keys WHERE consumer_key_ending = ?1 AND (SELECT count(*) FROM api_keys WHERE consumer_key_ending = ?1) = 1',
        )
        .run(consumerKeyEndingOrHash);
      return Number(byEnding.changes) === 1;
    });
  }
}
