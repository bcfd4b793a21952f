import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { defaultConfig, LOG_LEVELS } from '../../src/config.js';
import { closeServer, listenAt } from '../../src/http-server.js';
import { createLogger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { basic, putSmallSessions, tempDatabase } from './harness.js';

const ADMIN = { login: 'admin', password: 'debug-log-pw' };
const API = '/wp-json/cocart/v2';

describe('GET /session/<key> with LOG_LEVEL=debug', () => {
  const db = tempDatabase('sqlite');
  const lines: Array<Record<string, unknown>> = [];
  let srv: RunningServer;

  beforeAll(async () => {
    const logger = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) });
    srv = await startServer({ databaseUrl: db.url, admin: ADMIN, logLevel: 'debug', logger });
    await putSmallSessions(srv.store.sessions, 2);
  });
  afterAll(async () => {
    await srv?.close();
    await db.dispose();
  });

  it('logs every answer, the first (credentials verified by the routes) and the cached ones alike', async () => {
    const headers = { Authorization: basic(ADMIN.login, ADMIN.password) };
    const answers = [];
    for (const id of ['first-read', 'cached-read', 'cached-again']) {
      const res = await fetch(`${srv.url}${API}/session/k0001`, {
        headers: { ...headers, 'X-Request-Id': id },
      });
      answers.push({
        status: res.status,
        id: res.headers.get('x-request-id'),
        key: (await res.json()).cart_key,
      });
    }
    expect(answers).toEqual([
      { status: 200, id: 'first-read', key: 'k0001' },
      { status: 200, id: 'cached-read', key: 'k0001' },
      { status: 200, id: 'cached-again', key: 'k0001' },
    ]);
    const missing = await fetch(`${srv.url}${API}/session/nope`, {
      headers: { ...headers, 'X-Request-Id': 'gone' },
    });
    expect(missing.status).toBe(404);
    await expect.poll(() => lines.filter((l) => l.msg === 'request').length).toBe(4);
    expect(
      lines.filter((l) => l.msg === 'request').map((l) => [l.requestId, l.method, l.path, l.status]),
    ).toEqual([
      ['first-read', 'GET', `${API}/session/k0001`, 200],
      ['cached-read', 'GET', `${API}/session/k0001`, 200],
      ['cached-again', 'GET', `${API}/session/k0001`, 200],
      ['gone', 'GET', `${API}/session/nope`, 404],
    ]);
  });

  // Issue 8: debugging must run the code production runs. The answers above are the same either way,
  // so look at the path itself: at every level a cached cart read is answered before Express routes.
  it('answers a cached cart read before Express at every log level', async () => {
    const headers = { Authorization: basic(ADMIN.login, ADMIN.password) };
    for (const level of LOG_LEVELS) {
      const app = createApp({ store: srv.store, config: defaultConfig(), logger: createLogger({ level }) });
      // Express calls its router's handle for every request it routes.
      const router = app.router as unknown as { handle: (...args: unknown[]) => void };
      const routed = vi.spyOn(router, 'handle');
      const { server, url } = await listenAt(app, { host: '127.0.0.1', port: 0 });
      try {
        const read = () => fetch(`${url}${API}/session/k0001`, { headers });
        // The first read verifies the credentials on the routes; the second finds them cached.
        expect((await read()).status, level).toBe(200);
        expect(routed, level).toHaveBeenCalledTimes(1);
        const cached = await read();
        expect(cached.status, level).toBe(200);
        expect((await cached.json()).cart_key, level).toBe('k0001');
        expect(routed, level).toHaveBeenCalledTimes(1);
      } finally {
        await closeServer(server);
      }
    }
  });
});
