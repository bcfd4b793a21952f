import { CoCartApiError, createClient } from '@cocart-sessions/client';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type RealServer, sessionsFor, startRealServer } from './helpers/real-server.js';

let server: RealServer | undefined;
afterEach(async () => {
  await server?.close().catch(() => {});
  server = undefined;
});

async function apiFailure(p: Promise<unknown>): Promise<CoCartApiError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(CoCartApiError);
  return e as CoCartApiError;
}

const admin = { username: ADMIN.login, password: ADMIN.password };

describe('the real server’s remaining error codes surface as CoCartApiError', () => {
  it('413 cocart_payload_too_large for an oversized body', async () => {
    server = await startRealServer({ sessions: sessionsFor(1) });
    const client = createClient({ url: server.url, auth: admin });
    const e = await apiFailure(client.post('sessions', { blob: 'x'.repeat(64 * 1024) }));
    expect([e.status, e.code]).toEqual([413, 'cocart_payload_too_large']);
  });

  it('431 cocart_headers_too_large for an oversized request head', async () => {
    server = await startRealServer({ sessions: sessionsFor(1) });
    const client = createClient({
      url: server.url,
      auth: admin,
      retry: 0,
      hooks: {
        beforeRequest: [({ request }) => void request.headers.set('x-padding', 'p'.repeat(32 * 1024))],
      },
    });
    const e = await apiFailure(client.sessions.get('1'));
    expect([e.status, e.code]).toEqual([431, 'cocart_headers_too_large']);
  });

  it('429 cocart_too_many_requests after repeated bad logins, failing fast instead of waiting out Retry-After', async () => {
    server = await startRealServer({ sessions: sessionsFor(1) });
    const wrong = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: 'wrong-password-1' },
    });
    for (let i = 0; i < 10; i++) {
      expect((await apiFailure(wrong.sessions.get('1'))).code).toBe('cocart_authentication_error');
    }
    const started = Date.now();
    const e = await apiFailure(wrong.sessions.get('1'));
    expect([e.status, e.code]).toEqual([429, 'cocart_too_many_requests']);
    expect(Number(e.response.headers.get('retry-after'))).toBeGreaterThan(20);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('503 cocart_store_unavailable when the store is gone', async () => {
    server = await startRealServer({ sessions: sessionsFor(1) });
    const client = createClient({ url: server.url, auth: admin, retry: 0 });
    await client.sessions.get('1'); // credentials now cached: the failure below is the store's, not the login's
    await server.store.close();
    const e = await apiFailure(client.sessions.get('1'));
    expect([e.status, e.code]).toEqual([503, 'cocart_store_unavailable']);
    expect(e.response.headers.get('retry-after')).toBe('5');
  });
});
