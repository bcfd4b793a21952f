import { randomBytes } from 'node:crypto';
import type { Role } from '@cocart-sessions/core';
import type { AccountStore, User } from '../store/account-store.js';
import { StoreInputError } from '../store/store-errors.js';
import { hashSecret, MAX_SECRET_LENGTH, sha256Hex } from './hash.js';

/**
 * Throw a StoreInputError for a password that login would refuse: longer than
 * {@link MAX_SECRET_LENGTH}, or holding a NUL. Every way of setting a password calls it.
 */
export function checkNewPassword(password: string): void {
  if (password.length > MAX_SECRET_LENGTH) {
    throw new StoreInputError(
      `A password must be at most ${MAX_SECRET_LENGTH} characters (this one has ${password.length}): login refuses longer ones.`,
    );
  }
  if (password.includes('\0')) throw new StoreInputError('A password must not contain a NUL character.');
}

/**
 * Create a user with a scrypt-hashed password.
 * @example await addUser(accounts, { login: 'admin', role: 'administrator', password: 's3cret' })
 */
export async function addUser(
  accounts: AccountStore,
  u: { login: string; role: Role; email?: string; password: string },
): Promise<User> {
  checkNewPassword(u.password);
  // Checked first so that the answer names what is taken instead of a store's constraint message.
  for (const taken of [u.login, u.email ?? '']) {
    const holder = taken === '' ? undefined : await accounts.findUser(taken);
    if (holder !== undefined) {
      throw new StoreInputError(
        `"${taken}" is already used by the user "${holder.login}": choose another ${taken === u.login ? 'login' : 'email'}.`,
      );
    }
  }
  const passwordHash = await hashSecret(u.password);
  return accounts.addUser({ login: u.login, email: u.email ?? '', role: u.role, passwordHash });
}

/** Create `login` as an administrator, or reset its password and role when it exists. */
export async function ensureAdministrator(
  accounts: AccountStore,
  u: { login: string; password: string; email?: string },
): Promise<{ user: User; created: boolean }> {
  checkNewPassword(u.password);
  const passwordHash = await hashSecret(u.password);
  const existing = await accounts.findUser(u.login);
  if (existing !== undefined && existing.login === u.login) {
    const updated = await accounts.updateUser(u.login, { passwordHash, role: 'administrator' });
    return { user: updated ?? existing, created: false };
  }
  try {
    const user = await accounts.addUser({
      login: u.login,
      email: u.email ?? '',
      role: 'administrator',
      passwordHash,
    });
    return { user, created: true };
  } catch (e) {
    // Another process starting with the same COCART_ADMIN_* created it a moment ago: update it.
    const created = e instanceof StoreInputError ? await accounts.findUser(u.login) : undefined;
    if (created === undefined || created.login !== u.login) throw e;
    const updated = await accounts.updateUser(u.login, { passwordHash, role: 'administrator' });
    return { user: updated ?? created, created: false };
  }
}

/**
 * Create a WooCommerce-style API key pair for `login`; the pair is returned once and stored only as
 * a SHA-256 of the key (for lookup) and a scrypt hash of the secret.
 */
export async function createApiKey(
  accounts: AccountStore,
  login: string,
  description = '',
): Promise<{ consumerKey: string; consumerSecret: string }> {
  const user = await accounts.findUser(login);
  if (user === undefined) throw new Error(`No such user: ${login}`);
  const consumerKey = `ck_${randomBytes(20).toString('hex')}`;
  const consumerSecret = `cs_${randomBytes(20).toString('hex')}`;
  await accounts.addApiKey({
    userId: user.id,
    consumerKeyHash: sha256Hex(consumerKey),
    consumerKeyEnding: consumerKey.slice(-7),
    secretHash: await hashSecret(consumerSecret),
    description,
  });
  return { consumerKey, consumerSecret };
}

/**
 * On a store without any user, an `admin` administrator with a random password (returned once),
 * handed to `keep` before the user is created.
 */
export async function generateAdministrator(
  accounts: AccountStore,
  keep: (password: string) => Promise<void> = async () => {},
): Promise<{ login: string; password: string } | undefined> {
  if ((await accounts.countUsers()) > 0) return undefined;
  const login = 'admin';
  const password = randomBytes(18).toString('base64url');
  // Kept (written down) before the user exists: a failure to keep it leaves no administrator whose
  // password nobody knows, and the next start generates one again.
  await keep(password);
  await addUser(accounts, { login, role: 'administrator', password });
  return { login, password };
}

/**
 * Revoke an API key named by its full consumer key (`ck_...`, looked up by its hash) or by its
 * ending as `keys list` shows it (leading dots allowed); `false` when none or several match.
 */
export function revokeApiKey(accounts: AccountStore, keyOrEnding: string): Promise<boolean> {
  const ref =
    keyOrEnding.startsWith('ck_') && keyOrEnding.length > 10
      ? sha256Hex(keyOrEnding)
      : keyOrEnding.replace(/^\.+/, '');
  return accounts.revokeApiKey(ref);
}

/**
 * Give `login` a new password (scrypt-hashed); `undefined` when there is no such user. Every
 * server process refuses the old password within a second (the accounts change version moves).
 */
export async function setPassword(
  accounts: AccountStore,
  login: string,
  password: string,
): Promise<User | undefined> {
  checkNewPassword(password);
  return accounts.updateUser(login, { passwordHash: await hashSecret(password) });
}
