import type { NewApiKey, UserPatch } from './account-store.js';
import type { BuiltSql, Dialect } from './sql-dialect.js';
import { SqlParams } from './sql-dialect.js';

/** The User columns, aliased to its property names. */
export const USER_COLUMNS = 'id, login, email, role, password_hash AS "passwordHash"';

/** The ApiKey columns, aliased to its property names. */
export const KEY_COLUMNS =
  'id, user_id AS "userId", consumer_key_hash AS "consumerKeyHash", consumer_key_ending AS "consumerKeyEnding", ' +
  'secret_hash AS "secretHash", description, created_at AS "createdAt"';

/** `updateUser`: the UPDATE of the given fields, or, when none is given, the user as it is. */
export function updateUserSql(dialect: Dialect, login: string, patch: UserPatch): BuiltSql {
  const b = new SqlParams(dialect);
  const columns = { email: patch.email, role: patch.role, password_hash: patch.passwordHash };
  const sets = Object.entries(columns).flatMap(([column, value]) =>
    value === undefined ? [] : [`${column} = ${b.add(value)}`],
  );
  const sql =
    sets.length === 0
      ? `SELECT ${USER_COLUMNS} FROM users WHERE login = ${b.add(login)}`
      : `UPDATE users SET ${sets.join(', ')} WHERE login = ${b.add(login)} RETURNING ${USER_COLUMNS}`;
  return { sql, params: b.params };
}

/** The account stores' statements, written once for both dialects (`p(n)`: the n-th parameter). */
export function accountSql({ param: p }: Dialect) {
  return {
    addUser: `INSERT INTO users (login, email, role, password_hash) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}) RETURNING ${USER_COLUMNS}`,
    // A login wins over another user's email that happens to equal it.
    findUser: `SELECT ${USER_COLUMNS} FROM users WHERE login = ${p(1)} OR (email <> '' AND lower(email) = lower(${p(1)})) ORDER BY (login = ${p(1)}) DESC LIMIT 1`,
    findUserById: `SELECT ${USER_COLUMNS} FROM users WHERE id = ${p(1)}`,
    listUsers: `SELECT ${USER_COLUMNS} FROM users ORDER BY id`,
    removeUser: `DELETE FROM users WHERE login = ${p(1)}`,
    countUsers: 'SELECT count(*) AS n FROM users',
    addApiKey: `INSERT INTO api_keys (user_id, consumer_key_hash, consumer_key_ending, secret_hash, description, created_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}) RETURNING ${KEY_COLUMNS}`,
    findApiKey: `SELECT ${KEY_COLUMNS} FROM api_keys WHERE consumer_key_hash = ${p(1)}`,
    listApiKeys: `SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY id`,
    revokeApiKeyByHash: `DELETE FROM api_keys WHERE consumer_key_hash = ${p(1)}`,
    // An ending names a key only when it is unambiguous.
    revokeApiKeyByEnding: `DELETE FROM api_keys WHERE consumer_key_ending = ${p(1)} AND (SELECT count(*) FROM api_keys WHERE consumer_key_ending = ${p(1)}) = 1`,
  } as const;
}

/** The parameters of `addApiKey`, the creation time in Unix seconds last. */
export function addApiKeyParams(k: NewApiKey): Array<string | number> {
  return [
    k.userId,
    k.consumerKeyHash,
    k.consumerKeyEnding,
    k.secretHash,
    k.description,
    Math.floor(Date.now() / 1000),
  ];
}
