import { randomBytes } from 'node:crypto';
import { type Role, type SessionStore, StoreInputError, type User } from '../store/session-store.js';
import { hashSecret, sha256Hex } from './hash.js';

/** Roles that may use the Sessions API, as in the plugin. */
export const STAFF_ROLES: readonly Role[] = ['administrator', 'shop_manager'];

/** Every role a user may have. */
export const ROLES: readonly Role[] = ['administrator', 'shop_manager', 'customer'];

/**
 * Create a user with a scrypt-hashed password.
 * @example await addUser(store, { login: 'admin', role: 'administrator', password: 's3cret' })
 */
export async function addUser(
  store: SessionStore,
  u: { login: string; role: Role; email?: string; password: string },
): Promise<User> {
  // Checked first so that the answer names what is taken instead of a store's constraint message.
  for (const taken of [u.login, u.email ?? '']) {
    const holder = taken === '' ? undefined : await store.findUser(taken);
    if (holder !== undefined) {
      throw new StoreInputError(
        `"${taken}" is already used by the user "${holder.login}": choose another ${taken === u.login ? 'login' : 'email'}.`,
      );
    }
  }
  const passwordHash = await hashSecret(u.password);
  return store.addUser({ login: u.login, email: u.email ?? '', role: u.role, passwordHash });
}

/** Create `login` as an administrator, or reset its password and role when it exists. */
export async function ensureAdministrator(
  store: SessionStore,
  u: { login: string; password: string; email?: string },
): Promise<{ user: User; created: boolean }> {
  const passwordHash = await hashSecret(u.password);
  const existing = await store.findUser(u.login);
  if (existing !== undefined && existing.login === u.login) {
    const updated = await store.updateUser(u.login, { passwordHash, role: 'administrator' });
    return { user: updated ?? existing, created: false };
  }
  const user = await store.addUser({
    login: u.login,
    email: u.email ?? '',
    role: 'administrator',
    passwordHash,
  });
  return { user, created: true };
}

/**
 * Create a WooCommerce-style API key pair for `login`; the pair is returned once and stored only as
 * a SHA-256 of the key (for lookup) and a scrypt hash of the secret.
 */
export async function createApiKey(
  store: SessionStore,
  login: string,
  description = '',
): Promise<{ consumerKey: string; consumerSecret: string }> {
  const user = await store.findUser(login);
  if (user === undefined) throw new Error(`No such user: ${login}`);
  const consumerKey = `ck_${randomBytes(20).toString('hex')}`;
  const consumerSecret = `cs_${randomBytes(20).toString('hex')}`;
  await store.addApiKey({
    userId: user.id,
    consumerKeyHash: sha256Hex(consumerKey),
    consumerKeyEnding: consumerKey.slice(-7),
    secretHash: await hashSecret(consumerSecret),
    description,
  });
  return { consumerKey, consumerSecret };
}

/** A random password for a generated administrator. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
