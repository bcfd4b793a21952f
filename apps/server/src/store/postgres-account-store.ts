import type pg from 'pg';
import { KEY_COLUMNS, USER_COLUMNS, updateUserSql } from './account-sql.js';
import type { AccountStore, ApiKey, NewApiKey, NewUser, User, UserPatch } from './account-store.js';
import type { PostgresDatabase } from './postgres-database.js';
import { postgresDialect } from './sql-dialect.js';

/** Users and API keys in PostgreSQL. */
export class PostgresAccountStore implements AccountStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async addUser(u: NewUser): Promise<User> {
    const [row] = await this.#db.rows<User & pg.QueryResultRow>(
      `INSERT INTO users (login, email, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS}`,
      [u.login, u.email, u.role, u.passwordHash],
    );
    return row!;
  }

  async updateUser(login: string, patch: UserPatch): Promise<User | undefined> {
    const { sql, params } = updateUserSql(postgresDialect, login, patch);
    const [row] = await this.#db.rows<User & pg.QueryResultRow>(sql, params);
    return row;
  }

  async findUser(loginOrEmail: string): Promise<User | undefined> {
    const [row] = await this.#db.rows<User & pg.QueryResultRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE login = $1 OR (email <> '' AND lower(email) = lower($1)) ORDER BY (login = $1) DESC LIMIT 1`,
      [loginOrEmail],
    );
    return row;
  }

  async findUserById(id: number): Promise<User | undefined> {
    const [row] = await this.#db.rows<User & pg.QueryResultRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
      [id],
    );
    return row;
  }

  listUsers(): Promise<User[]> {
    return this.#db.rows<User & pg.QueryResultRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`);
  }

  async removeUser(login: string): Promise<boolean> {
    return (await this.#db.q('DELETE FROM users WHERE login = $1', [login])).rowCount === 1;
  }

  async countUsers(): Promise<number> {
    const [row] = await this.#db.rows<{ n: number }>('SELECT count(*) AS n FROM users');
    return row?.n ?? 0;
  }

  async addApiKey(k: NewApiKey): Promise<ApiKey> {
    const [row] = await this.#db.rows<ApiKey & pg.QueryResultRow>(
      `INSERT INTO api_keys (user_id, consumer_key_hash, consumer_key_ending, secret_hash, description, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${KEY_COLUMNS}`,
      [
        k.userId,
        k.consumerKeyHash,
        k.consumerKeyEnding,
        k.secretHash,
        k.description,
        Math.floor(Date.now() / 1000),
      ],
    );
    return row!;
  }

  async findApiKey(consumerKeyHash: string): Promise<ApiKey | undefined> {
    const [row] = await this.#db.rows<ApiKey & pg.QueryResultRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE consumer_key_hash = $1`,
      [consumerKeyHash],
    );
    return row;
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.#db.rows<ApiKey & pg.QueryResultRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY id`);
  }

  async revokeApiKey(consumerKeyEndingOrHash: string): Promise<boolean> {
    const byHash = await this.#db.q('DELETE FROM api_keys WHERE consumer_key_hash = $1', [
      consumerKeyEndingOrHash,
    ]);
    if ((byHash.rowCount ?? 0) > 0) return true;
    // An ending names a key only when it is unambiguous.
    const byEnding = await this.#db.q(
      'DELETE FROM api_keys WHERE consumer_key_ending = $1 AND (SELECT count(*) FROM api_keys WHERE consumer_key_ending = $1) = 1',
      [consumerKeyEndingOrHash],
    );
    return byEnding.rowCount === 1;
  }
}
