import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.js';
import { basic, putSmallSessions, tempDatabase } from '../http/harness.js';

// Issue 12, finding 1 in a real browser: Debian's Chromium (never a browser playwright downloads).
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI)
  throw new Error(`${CHROMIUM} is missing (CI is set): apt-get install chromium`);

const ADMIN = { login: 'admin', password: 'pw-browser' };
const SESSIONS = '/wp-json/cocart/v2/sessions';

/** A static page server: its origin is what the browser's CORS checks compare. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>page</title><p>a page of another site</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

type Outcome = { status: number; count: number } | { error: string };
/** What the page's script passes to fetch (plain data: it crosses into the page). */
type PageInit = { credentials?: 'include'; headers?: Record<string, string> };

describe.skipIf(!haveChromium)(
  `CORS in Chromium${haveChromium ? '' : ` (skipped: ${CHROMIUM} missing; apt-get install chromium)`}`,
  () => {
    const db = tempDatabase('sqlite');
    let foreign: { server: Server; origin: string };
    let shop: { server: Server; origin: string };
    let anyOrigin: RunningServer;
    let listed: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      foreign = await pageServer();
      shop = await pageServer();
      anyOrigin = await startServer({ databaseUrl: db.url, port: 0, admin: ADMIN, corsOrigins: ['*'] });
      await putSmallSessions(anyOrigin.store.sessions, 3);
      listed = await startServer({ databaseUrl: db.url, port: 0, corsOrigins: [shop.origin] });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      foreign?.server.close();
      shop?.server.close();
      await anyOrigin?.close();
      await listed?.close();
      await db.dispose();
    });

    /**
     * The administrator has logged in to `api` (the browser's Basic prompt, answered once and cached),
     * then opens `pageOrigin`, whose script calls `api` with `init`.
     */
    async function fromPage(api: string, pageOrigin: string, init: PageInit): Promise<Outcome> {
      const context = await browser.newContext({
        httpCredentials: { username: ADMIN.login, password: ADMIN.password },
      });
      try {
        const page = await context.newPage();
        const login = await page.goto(`${api}${SESSIONS}`);
        expect(login?.status()).toBe(200);
        await page.goto(`${pageOrigin}/`);
        return await page.evaluate(
          async ({ url, options }) => {
            try {
              const res = await fetch(url, options);
              const body = await res.json();
              return { status: res.status, count: Array.isArray(body) ? body.length : -1 };
            } catch (e) {
              return { error: String(e) };
            }
          },
          { url: `${api}${SESSIONS}`, options: init },
        );
      } finally {
        await context.close();
      }
    }

    it("under CORS_ORIGINS=* a foreign page cannot ride on the browser's cached credentials", async () => {
      const outcome = await fromPage(anyOrigin.url, foreign.origin, { credentials: 'include' });
      expect(outcome).toEqual({ error: 'TypeError: Failed to fetch' });
    }, 30_000);

    it("under CORS_ORIGINS=* the seed's snippet (its own Authorization header) still works", async () => {
      const outcome = await fromPage(anyOrigin.url, foreign.origin, {
        headers: { Authorization: basic(ADMIN.login, ADMIN.password) },
      });
      expect(outcome).toEqual({ status: 200, count: 3 });
    }, 30_000);

    it('a listed origin reads the sessions with the cached credentials; another origin cannot', async () => {
      expect(await fromPage(listed.url, shop.origin, { credentials: 'include' })).toEqual({
        status: 200,
        count: 3,
      });
      expect(await fromPage(listed.url, foreign.origin, { credentials: 'include' })).toEqual({
        error: 'TypeError: Failed to fetch',
      });
    }, 30_000);
  },
);
