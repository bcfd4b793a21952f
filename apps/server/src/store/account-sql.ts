import type { UserPatch } from './account-store.js';
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
