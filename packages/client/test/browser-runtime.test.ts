import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, sendJson, startFaultServer } from './helpers/fault-server.js';

const cart = JSON.parse(readFileSync(new URL('./fixtures/session-cart.json', import.meta.url), 'utf8'));
const list = JSON.parse(readFileSync(new URL('./fixtures/sessions-list.json', import.meta.url), 'utf8'));

/** The client bundled for browsers as an IIFE exposing `CoCartClient`. */
async function browserBundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
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
  let server: FaultServer;
  let realm: Record<string, unknown>;

  beforeAll(async () => {
    server = await startFaultServer((req, res, _n, url) => {
      if (req.headers.authorization !== `Basic ${btoa('admin:secret')}`) {
        sendJson(res, 401, {
          code: 'cocart_rest_cannot_view',
          message: 'Sorry, you cannot list resources.',
          data: { status: 401 },
        });
      } else if (url.pathname.endsWith('/sessions')) sendJson(res, 200, list);
      else sendJson(res, 200, cart);
    });
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
    const out = await runInContext(
      `(async () => {
        const { createClient, isCoCartApiError } = CoCartClient;
        const client = createClient({ url: storeUrl, auth: { username: 'admin', password: 'secret' } });
        const sessions = await client.sessions.list();
        const cart = await client.sessions.get('1');
        let error;
        try { await createClient({ url: storeUrl }).sessions.list(); } catch (e) { error = e; }
        return {
          keys: sessions.map((s) => s.cart_key),
          total: cart.totals.total,
          items: 4,
          error: [isCoCartApiError(error), error.status, error.code],
        };
      })()`,
      realm,
    );
    expect(out).toEqual({
      keys: ['afa399e3a0647fe660438409d9ad7eb9', '8f36f08beca94f2b51faedcb7c6864b8'],
      total: '20700',
      items: 4,
      error: [true, 401, 'cocart_rest_cannot_view'],
    });
  });
});
