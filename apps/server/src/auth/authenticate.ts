import type { IncomingMessage } from 'node:http';
import { ApiError, STAFF_ROLES } from '@cocart-sessions/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type Logger, silentLogger } from '../logger.js';
import type { AccountStore } from '../store/account-store.js';
import { clientKeyOf } from './client-key.js';
import { CredentialCache, type Principal } from './credential-cache.js';
import { dummyHash, MAX_SECRET_LENGTH, sha256Hex, verifySecret } from './hash.js';
import { HashGate, HashQueueFullError } from './hash-gate.js';
import type { LoginThrottle } from './login-throttle.js';

type Presented =
  | { kind: 'password'; login: string; password: string; cacheText: string }
  | { kind: 'api-key'; consumerKey: string; consumerSecret: string; cacheText: string };

/** Options of {@link createAuth}. */
export interface AuthenticatorOptions {
  accounts: AccountStore;
  clock: () => number;
  realm?: string;
  /** Failed logins per client address, shared by every process on the store. */
  throttle: LoginThrottle;
  cache?: CredentialCache;
  /** Bounds the slow hashes in flight, per address and overall. */
  gate?: HashGate;
  logger?: Logger;
  /**
   * The client's address of a request, also one Express has not seen yet: the socket's (the
   * default), or with TRUST_PROXY the right-most untrusted X-Forwarded-For hop, as `req.ip`.
   */
  addressOf?: (req: IncomingMessage) => string;
}

const socketAddress = (req: IncomingMessage): string => req.socket.remoteAddress ?? '';

function tooManyAttempts(wait: number): ApiError {
  return new ApiError('cocart_too_many_requests', {
    message: 'Too many failed login attempts. Try again later.',
    data: { retry_after: wait },
    headers: { 'Retry-After': String(wait) },
  });
}

function authFailed(): ApiError {
  return new ApiError('cocart_authentication_error', { status: 401 });
}

function parseAuthorization(header: string): Presented {
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'basic') throw authFailed();
  const b64 = header.slice(space + 1).trim();
  if (b64 === '' || b64.length > 4096 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw authFailed();
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // A NUL is in no stored credential; it would end a PostgreSQL string (an error, not a failed
  // login), and scrypt's HMAC pads a password with zeros (`pw` and `pw\0` hash alike).
  if (colon <= 0 || decoded.includes('\0')) throw authFailed();
  const login = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (login.startsWith('ck_') && password.startsWith('cs_')) {
    return { kind: 'api-key', consumerKey: login, consumerSecret: password, cacheText: header };
  }
  return { kind: 'password', login, password, cacheText: header };
}

function presentedFromQuery(query: Record<string, unknown>): Presented | undefined {
  const ck = query.consumer_key;
  const cs = query.consumer_secret;
  if (ck === undefined && cs === undefined) return undefined;
  if (typeof ck !== 'string' || typeof cs !== 'string' || ck === '' || cs === '') throw authFailed();
  if (ck.includes('\0') || cs.includes('\0')) throw authFailed();
  return { kind: 'api-key', consumerKey: ck, consumerSecret: cs, cacheText: `query\n${ck}\n${cs}` };
}

/**
 * Verified credentials are remembered per client address: an address that reaches its limit of
 * failures must not get in with credentials verified for another address while the other processes
 * have not learnt of its block yet (they learn within 0.5 s), so its first right login is a counted
 * attempt like any other.
 */
function cacheKeyOf(cache: CredentialCache, address: string, presented: string): string {
  return cache.keyOf(`${address}\n${presented}`);
}

/** The authentication middleware, plus a synchronous look-up of already verified credentials. */
export interface Authenticator {
  middleware: RequestHandler;
  /** The client's address, the one failed logins are counted against. */
  addressOf(req: IncomingMessage): string;
  /**
   * The staff principal of a request whose Basic credentials are in the cache and whose address is
   * not throttled; `undefined` whenever the full middleware must decide (it then gives the answer).
   */
  cachedStaff(req: IncomingMessage): Principal | undefined;
  /** The verified credentials; cleared when accounts change anywhere. */
  cache: CredentialCache;
}

/**
 * Access control: `middleware` admits administrators and shop managers only (Basic with login or
 * email, WooCommerce keys as Basic or query string) and sets `res.locals.principal`; `cachedStaff`
 * is its cache look-up for the hot path.
 */
export function createAuth(opts: AuthenticatorOptions): Authenticator {
  const { accounts, clock, throttle } = opts;
  const addressOf = opts.addressOf ?? socketAddress;
  const cache = opts.cache ?? new CredentialCache({ clock });
  const gate = opts.gate ?? new HashGate();
  const logger = opts.logger ?? silentLogger;
  const challenge = `Basic realm="${opts.realm ?? 'cocart-sessions'}", charset="UTF-8"`;
  // Warm the dummy hash so the first unknown user is not faster than later ones.
  void dummyHash();

  async function verify(p: Presented): Promise<Principal | undefined> {
    if (p.kind === 'api-key') {
      const key =
        p.consumerKey.length <= 256 ? await accounts.findApiKey(sha256Hex(p.consumerKey)) : undefined;
      const secret = p.consumerSecret.slice(0, MAX_SECRET_LENGTH);
      const ok = await verifySecret(secret, key?.secretHash ?? (await dummyHash()));
      if (!ok || key === undefined || p.consumerSecret.length > MAX_SECRET_LENGTH) return undefined;
      const user = await accounts.findUserById(key.userId);
      return user && { userId: user.id, login: user.login, role: user.role };
    }
    const user = p.login.length <= 256 ? await accounts.findUser(p.login) : undefined;
    const ok = await verifySecret(
      p.password.slice(0, MAX_SECRET_LENGTH),
      user?.passwordHash ?? (await dummyHash()),
    );
    if (!ok || user === undefined || p.password.length > MAX_SECRET_LENGTH) return undefined;
    return { userId: user.id, login: user.login, role: user.role };
  }

  const checking = new Map<string, Promise<Principal | undefined>>();

  /**
   * One throttle attempt and one hash for credentials not in the cache. The same credentials from the
   * same address while they are being checked wait for that check: otherwise a client's burst of
   * right logins (a script, a TUI's bulk delete after a password change) would use up its attempts
   * before the first hash ends, and get 429.
   */
  function check(address: string, cacheKey: string, presented: Presented): Promise<Principal | undefined> {
    // The cache key already names the address.
    let pending = checking.get(cacheKey);
    if (pending === undefined) {
      pending = (async () => {
        const client = clientKeyOf(address);
        try {
          // Waiting for a hash slot costs nothing; the attempt is counted (in the store) once this
          // login has a slot, before the hash, so concurrent guesses cannot all be checked.
          return await gate.run(client, async () => {
            const reservation = await throttle.reserve(client);
            if (!reservation.granted) throw tooManyAttempts(reservation.retryAfterSeconds);
            const generation = cache.generation;
            const principal = await verify(presented);
            await reservation.settle(principal !== undefined);
            if (principal !== undefined) cache.set(cacheKey, principal, generation);
            return principal;
          });
        } catch (e) {
          if (!(e instanceof HashQueueFullError)) throw e;
          if (e.perClient) throw tooManyAttempts(e.retryAfterSeconds);
          throw new ApiError('cocart_logins_busy', {
            data: { retry_after: e.retryAfterSeconds },
            headers: { 'Retry-After': String(e.retryAfterSeconds) },
          });
        }
      })().finally(() => checking.delete(cacheKey));
      checking.set(cacheKey, pending);
    }
    return pending;
  }

  /**
   * The cache key of the last credentials a connection presented, from the same address: a client
   * sends the same header on every request of a keep-alive connection, and the HMAC of it cost more
   * than the rest of the look-up. The header's text is kept only as long as the connection that
   * sent it, and only beside that connection. Behind a trusted proxy one connection carries many
   * clients: the address is compared first, so a header is only ever compared with one its own
   * client address sent.
   */
  const lastKeys = new WeakMap<object, { address: string; header: string; key: string }>();
  function keyOnConnection(req: IncomingMessage, address: string, header: string): string {
    const last = lastKeys.get(req.socket);
    if (last !== undefined && last.address === address && last.header === header) return last.key;
    const key = cacheKeyOf(cache, address, header);
    lastKeys.set(req.socket, { address, header, key });
    return key;
  }

  function cachedStaff(req: IncomingMessage): Principal | undefined {
    const header = req.headers.authorization;
    if (header === undefined) return undefined;
    const now = clock();
    const address = addressOf(req);
    if (throttle.anyKnownBlock(now) && throttle.knownBlock(clientKeyOf(address), now) > 0) return undefined;
    // Only a header that parsed as Basic was ever cached under its own text.
    const principal = cache.get(keyOnConnection(req, address, header));
    return principal !== undefined && STAFF_ROLES.includes(principal.role) ? principal : undefined;
  }

  /** A failed attempt that needed no hash (a malformed header): counted, then refused. */
  async function refuseMalformed(
    address: string,
    error: unknown,
    req: Request,
    res: Response,
  ): Promise<never> {
    const r = await throttle.reserve(clientKeyOf(address));
    logger.warn('login failed', {
      requestId: res.locals.requestId,
      ip: address,
      path: req.path,
      reason: 'malformed',
    });
    if (!r.granted) throw tooManyAttempts(r.retryAfterSeconds);
    await r.settle(false);
    throw error;
  }

  async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
    const now = clock();
    const address = addressOf(req);
    const wait = throttle.knownBlock(clientKeyOf(address), now);
    if (wait > 0) throw tooManyAttempts(wait);
    const header = req.headers.authorization;
    let presented: Presented | undefined;
    try {
      if (header !== undefined) presented = parseAuthorization(header);
      else if (req.url.includes('consumer_'))
        presented = presentedFromQuery(req.query as Record<string, unknown>);
    } catch (e) {
      await refuseMalformed(address, e, req, res);
    }
    if (presented === undefined) {
      throw new ApiError('cocart_rest_cannot_view', {
        status: 401,
        headers: { 'WWW-Authenticate': challenge },
      });
    }
    const cacheKey = cacheKeyOf(cache, address, presented.cacheText);
    let principal = cache.get(cacheKey);
    if (principal === undefined) {
      principal = await check(address, cacheKey, presented);
      if (principal === undefined) {
        logger.warn('login failed', { requestId: res.locals.requestId, ip: address, path: req.path });
        throw authFailed();
      }
    }
    if (!STAFF_ROLES.includes(principal.role)) {
      throw new ApiError('cocart_rest_cannot_view', { status: 403 });
    }
    res.locals.principal = principal;
    next();
  }

  return { middleware: authenticate, addressOf, cachedStaff, cache };
}
