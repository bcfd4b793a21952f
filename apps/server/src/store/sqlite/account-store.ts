import { accountSql, addApiKeyParams, updateUserSql } from '../account-sql.js';
import type { AccountStore, ApiKey, NewApiKey, NewUser, User, UserPatch } from '../account-store.js';
import { sqliteDialect } from '../sql-dialect.js';
import { plain, type SqliteDatabase } from './database.js';

const SQL = accountSql(sqliteDialect);

/** Users and API keys in the SQLite file. */
export class SqliteAccountStore implements AccountStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  addUser(u: NewUser): Promise<User> {
    return this.#db.run(() =>
      plain<User>(this.#db.stmt(SQL.addUser).get(u.login, u.email, u.role, u.passwordHash)),
    );
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
      const row = this.#db.stmt(SQL.findUser).get(loginOrEmail);
      return row ? plain<User>(row) : undefined;
    });
  }

  findUserById(id: number): Promise<User | undefined> {
    return this.#db.run(() => {
      const row = this.#db.stmt(SQL.findUserById).get(id);
      return row ? plain<User>(row) : undefined;
    });
  }

  listUsers(): Promise<User[]> {
    return this.#db.run(() =>
      this.#db
        .stmt(SQL.listUsers)
        .all()
        .map((r) => plain<User>(r)),
    );
  }

  removeUser(login: string): Promise<boolean> {
    return this.#db.run(() => Number(this.#db.stmt(SQL.removeUser).run(login).changes) === 1);
  }

  countUsers(): Promise<number> {
    return this.#db.run(() => Number((this.#db.stmt(SQL.countUsers).get() as { n: number }).n));
  }

  addApiKey(k: NewApiKey): Promise<ApiKey> {
    return this.#db.run(() => plain<ApiKey>(this.#db.stmt(SQL.addApiKey).get(...addApiKeyParams(k))));
  }

  findApiKey(consumerKeyHash: string): Promise<ApiKey | undefined> {
    return this.#db.run(() => {
      const row = this.#db.stmt(SQL.findApiKey).get(consumerKeyHash);
      return row ? plain<ApiKey>(row) : undefined;
    });
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.#db.run(() =>
      this.#db
        .stmt(SQL.listApiKeys)
        .all()
        .map((r) => plain<ApiKey>(r)),
    );
  }

  revokeApiKey(consumerKeyEndingOrHash: string): Promise<boolean> {
    return this.#db.run(() => {
      const byHash = this.#db.stmt(SQL.revokeApiKeyByHash).run(consumerKeyEndingOrHash);
      if (Number(byHash.changes) > 0) return true;
      return Number(this.#db.stmt(SQL.revokeApiKeyByEnding).run(consumerKeyEndingOrHash).changes) === 1;
    });
  }
}
