import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.js';
import { dropSchemas, randomSchema } from '../store/pg-harness.js';
import { type PgProxy, startPgProxy } from '../store/pg-proxy.js';
import { basic, PG_URL, postgresForTests, putSmallSessions, rawExchange, tempDatabase } from './harness.js';

const ADMIN = { login: 'admin', password: 'pw-faults' };
const API = '/wp-json/cocart/v2';
const auth = { Authorization: basic(ADMIN.login, ADMIN.password) };

describe('faults on SQLite', () => {
  const db = tempDatabase('sqlite');
  let srv: RunningServer;

  beforeAll(async () => {
    srv = await startServer({ databaseUrl: db.url, port: 0, admin: ADMIN });
    await putSmallSessions(srv.store.sessions, 3);
  });
  afterAll(async () => {
    await srv?.close();
    await db.dispose();
  });

  it('answers a 1 MB header with 431 and the JSON envelope', async () => {
    const head = `GET ${API}/sessions HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1024 * 1024)}\r\n\r\n`;
    const { text: answer } = await rawExchange(srv.url, head);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/content-type: application\/json; charset=UTF-8/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ code: 'cocart_headers_too_large', data: { status: 431 } });
  });

  it('answers garbage with a 400 envelope, and keeps serving', async () => {
    const { text: answer } = await rawExchange(srv.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
  });

  it('answers 503 cocart_store_unavailable with Retry-After while the database is locked', async () => {
    const other = new DatabaseSync(join(db.dir!, 'sessions.sqlite'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const res = await fetch(`${srv.url}${API}/session/k0001`, { method: 'DELETE', headers: auth });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = await res.json();
      expect(body).toMatchObject({ code: 'cocart_store_unavailable', data: { status: 503 } });
      expect(JSON.stringify(body)).not.toMatch(/SQL|stack|at /i);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = await fetch(`${srv.url}${API}/session/k0001`, { method: 'DELETE', headers: auth });
    expect(after.status).toBe(200);
  }, 20_000);
});

const pgUp = await postgresForTests();

describe.skipIf(!pgUp)(`faults on PostgreSQL${pgUp ? '' : ` (skipped: unreachable at ${PG_URL})`}`, () => {
  const schema = randomSchema('down');
  let proxy: PgProxy;
  let srv: RunningServer;

  beforeAll(async () => {
    // A TCP proxy in front of PostgreSQL that the test can pull the plug on.
    proxy = await startPgProxy();
    srv = await startServer({
      databaseUrl: proxy.url(schema),
      port: 0,
      admin: ADMIN,
    });
    await putSmallSessions(srv.store.sessions, 2);
  }, 30_000);

  afterAll(async () => {
    await srv?.close().catch(() => {});
    await dropSchemas([schema]);
  });

  it('answers 503 with Retry-After once PostgreSQL is down, and /readyz says so', async () => {
    expect((await fetch(`${srv.url}${API}/session/k0001`, { headers: auth })).status).toBe(200);
    await proxy.close();
    for (const path of [`${API}/session/k0001`, `${API}/sessions`, `${API}/sessions?per_page=5`]) {
      const res = await fetch(`${srv.url}${path}`, { headers: auth });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as { code: string }).code).toBe('cocart_store_unavailable');
    }
    const ready = await fetch(`${srv.url}/readyz`);
    expect(ready.status).toBe(503);
  }, 60_000);
});
