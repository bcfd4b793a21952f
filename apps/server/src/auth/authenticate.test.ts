import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { type Authenticator, createAuth } from './authenticate.js';
import type { Principal } from './credential-cache.js';
import { LoginThrottle } from './login-throttle.js';

const admin: Principal = { userId: 1, login: 'admin', role: 'administrator' };
const basic = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

/** A request as the fast path sees it: headers and the socket it came on. */
const requestOn = (socket: object, authorization: string, forwarded?: string) =>
  ({
    headers: { authorization, ...(forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }) },
    socket,
  }) as unknown as IncomingMessage;

describe('cachedStaff, with the cache key remembered per connection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cocart-auth-'));
  let store: Store;
  let auth: Authenticator;
  const right = basic('admin', 'right');

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(dir, 'auth.sqlite')}`);
    const clock = Date.now;
    auth = createAuth({
      accounts: store.accounts,
      clock,
      throttle: new LoginThrottle({ store: store.throttle, clock }),
      // Stands for TRUST_PROXY: one connection may carry several clients' requests.
      addressOf: (req) => (req.headers['x-forwarded-for'] as string | undefined) ?? '10.0.0.1',
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('another header on the same connection is looked up as itself', () => {
    auth.cache.set(auth.cache.keyOf(`10.0.0.1\n${right}`), admin);
    const socket = {};
    expect(auth.cachedStaff(requestOn(socket, right))).toEqual(admin);
    expect(auth.cachedStaff(requestOn(socket, basic('admin', 'wrong')))).toBeUndefined();
    expect(auth.cachedStaff(requestOn(socket, right))).toEqual(admin);
  });

  it('another address on the same connection is looked up as itself', () => {
    auth.cache.set(auth.cache.keyOf(`10.0.0.1\n${right}`), admin);
    const socket = {};
    expect(auth.cachedStaff(requestOn(socket, right))).toEqual(admin);
    expect(auth.cachedStaff(requestOn(socket, right, '10.0.0.2'))).toBeUndefined();
  });

  it('a cleared cache refuses the connection the credentials were remembered on', () => {
    auth.cache.set(auth.cache.keyOf(`10.0.0.1\n${right}`), admin);
    const socket = {};
    expect(auth.cachedStaff(requestOn(socket, right))).toEqual(admin);
    auth.cache.clear();
    expect(auth.cachedStaff(requestOn(socket, right))).toBeUndefined();
  });
});
