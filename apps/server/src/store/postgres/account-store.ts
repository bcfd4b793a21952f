import type pg from 'pg';
import { accountSql, addApiKeyParams, updateUserSql } from '../account-sql.js';
import type { AccountStore, ApiKey, NewApiKey, NewUser, User, UserPatch } from '../account-store.js';
import { postgresDialect } from '../sql-dialect.js';
import type { PostgresDatabase } from './database.js';

const SQL = accountSql(postgresDialect);

/** Users and API keys in PostgreSQL. */
export class PostgresAccountStore implements AccountStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async addUser(u: NewUser): Promise<User> {
    const [row] = await this.#db.rows<User & pg.QueryResultRow>(SQL.addUser, [
      u.login,
      u.email,
      u.role,
      u.passwordHash,
    ]);
    return row!;
  }

  async updateUser(login: string, patch: UserPatch): Promise<User | undefined> {
    const { sql, params } = updateUserSql(postgresDialect, login, patch);
    const [row] = await this.#db.rows<User & pg.QueryResultRow>(sql, params);
    return row;
  }

  async findUser(loginOrEmail: string): Promise<User | undefined> {
    const [row] = await this.#db.rows<User & pg.QueryResultRow>(SQL.findUser, [loginOrEmail]);
    return row;
  }

  async findUserById(id: number): Promise<User | undefined> {
    const [row] = await this.#db.rows<User & pg.QueryResultRow>(SQL.findUserById, [id]);
    return row;
  }

  listUsers(): Promise<User[]> {
    return this.#db.rows<User & pg.QueryResultRow>(SQL.listUsers);
  }

  async removeUser(login: string): Promise<boolean> {
    return (await this.#db.q(SQL.removeUser, [login])).rowCount === 1;
  }

  async countUsers(): Promise<number> {
    const [row] = await this.#db.rows<{ n: number }>(SQL.countUsers);
    return row?.n ?? 0;
  }

  async addApiKey(k: NewApiKey): Promise<ApiKey> {
    const [row] = await this.#db.rows<ApiKey & pg.QueryResultRow>(SQL.addApiKey, addApiKeyParams(k));
    return row!;
  }

  async findApiKey(consumerKeyHash: string): Promise<ApiKey | undefined> {
    const [row] = await this.#db.rows<ApiKey & pg.QueryResultRow>(SQL.findApiKey, [consumerKeyHash]);
    return row;
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.#db.rows<ApiKey & pg.QueryResultRow>(SQL.listApiKeys);
  }

  async revokeApiKey(consumerKeyEndingOrHash: string): Promise<boolean> {
    const byHash = await this.#db.q(SQL.revokeApiKeyByHash, [consumerKeyEndingOrHash]);
    if ((byHash.rowCount ?? 0) > 0) return true;
    return (await this.#db.q(SQL.revokeApiKeyByEnding, [consumerKeyEndingOrHash])).rowCount === 1;
  }
}
