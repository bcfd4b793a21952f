import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type RealServer, sessionsFor, startRealServer } from './helpers/real-server.js';

/** The client bundled for browsers as an IIFE exposing `CoCartClient`. */
async function browserBundle(): Promise<string> {
  const result = await build({
    // The client's source (through its `source` export condition), as a browser app would import it.
    stdin: {
      contents: "export * from '@cocart-sessions/client';",
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'CoCartClient',
    write: false,
    conditions: ['source'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** A realm with only what a browser or edge runtime offers: fetch and the web platform basics. */
function browserLikeRealm(): Record<string, unknown> {
  const g = globalThis;
  return createContext({
    fetch: g.fetch,
    Request: g.Request,
    Response: g.Response,
    Headers: g.Headers,
    URL: g.URL,
    URLSearchParams: g.URLSearchParams,
    AbortController: g.AbortController,
    setTimeout: g.setTimeout,
    clearTimeout: g.clearTimeout,
    TextEncoder: g.TextEncoder,
    TextDecoder: g.TextDecoder,
    btoa: g.btoa,
    atob: g.atob,
    console: g.console,
  });
}

describe('browser-like runtime (node:vm with only fetch and web globals)', () => {
  let server: RealServer;
  let realm: Record<string, unknown>;

  beforeAll(async () => {
    server = await startRealServer({ sessions: sessionsFor(3) });
    realm = browserLikeRealm();
    runInContext(await browserBundle(), realm);
  });
  afterAll(() => server.close());

  it('has no process, require or Buffer in the realm', () => {
    expect(runInContext('[typeof process, typeof require, typeof Buffer, typeof module]', realm)).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  it('lists sessions, reads a cart and reports API errors as classes of its own realm', async () => {
    realm.storeUrl = server.url;
    realm.auth = { username: ADMIN.login, password: ADMIN.password };
    const out = await runInContext(
      `(async () => {
        const { createClient, isCoCartApiError } = CoCartClient;
        const client = createClient({ url: storeUrl, auth });
        const sessions = await client.sessions.list();
        const cart = await client.sessions.get('1');
        const items = await client.sessions.items('guest_002');
        const deleted = await client.sessions.delete('guest_001');
        let error;
        try { await createClient({ url: storeUrl }).sessions.list(); } catch (e) { error = e; }
        return {
          keys: sessions.map((s) => s.cart_key),
          total: cart.totals.total,
          items: cart.items.length,
          itemKeys: Object.keys(items).length,
          deleted,
          error: [isCoCartApiError(error), error.status, error.code],
        };
      })()`,
      realm,
    );
    expect(out).toEqual({
      keys: ['1', 'guest_001', 'guest_002'],
      total: '20700',
      items: 4,
      itemKeys: 4,
      deleted: 'Cart successfully deleted!',
      error: [true, 401, 'cocart_rest_cannot_view'],
    });
  });
});
