import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;

/** The longest password or key secret, in UTF-16 units: refused at creation, never accepted at login. */
export const MAX_SECRET_LENGTH = 1024;
const KEY_LENGTH = 32;

function scryptAsync(secret: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hash a password or key secret with scrypt and a random salt.
 * @returns `scrypt$N$r$p$<salt base64>$<hash base64>`
 */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, KEY_LENGTH, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Check a secret against a {@link hashSecret} string in constant time; a malformed hash never matches. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Still spend the time of a real check, so a broken row does not answer faster.
    await scryptAsync(secret, Buffer.alloc(16), KEY_LENGTH, PARAMS);
    return false;
  }
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashB64, 'base64');
  const N = Number(n);
  const opts = { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) * Number(p) + 1024 * 1024 };
  const actual = await scryptAsync(
    secret,
    Buffer.from(saltB64, 'base64'),
    expected.length || KEY_LENGTH,
    opts,
  );
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

let dummy: Promise<string> | undefined;

/** A real hash of a random secret, verified for unknown users so timing does not reveal who exists. */
export function dummyHash(): Promise<string> {
  dummy ??= hashSecret(randomBytes(18).toString('base64url'));
  return dummy;
}

/** Hex SHA-256, used to look API keys up without storing them. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
