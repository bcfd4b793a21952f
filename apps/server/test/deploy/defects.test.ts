import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.js';
import { basic, buildServerCli, rawExchange, tempDatabase } from '../http/harness.js';
import { serveProcess, waitFor } from './deploy-harness.js';

const API = '/wp-json/cocart/v2';

const statusLines = (text: string) => text.match(/HTTP\/1\.1 \d{3} /g) ?? [];

describe('bad input as an attacker sends it (issue 11 defects)', () => {
  const db = tempDatabase('sqlite');
  let srv: RunningServer;

  beforeAll(async () => {
    srv = await startServer({ databaseUrl: db.url, port: 0, admin: { login: 'admin', password: 'pw' } });
  });
  afterAll(async () => {
    await srv?.close();
    await db.dispose();
  });

  it.each([
    "//a)(%['Y@:+-a/~Y/:b%b@b@%#1!:Y+%)[/:=:",
    '//',
    '//#',
    '//x#y',
    '/#',
    '/%',
    '/wp-json/cocart/v2/session/%ZZ',
    '/x#y',
  ])('answers the request target %s with the JSON envelope', async (target) => {
    const { text } = await rawExchange(
      srv.url,
      `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(statusLines(text)).toHaveLength(1);
    expect(text).toMatch(/^HTTP\/1\.1 (400|404) /);
    expect(text).toMatch(/\r\ncontent-type: application\/json; charset=UTF-8\r\n/i);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as {
      code: string;
      data: { status: number };
    };
    expect(['rest_no_route', 'rest_invalid_param']).toContain(body.code);
    expect(body.data.status).toBe(Number(text.slice(9, 12)));
  });

  it('gives one answer to a GET with a malformed chunked body, then closes cleanly', async () => {
    const head =
      `GET ${API}/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic('admin', 'pw')}\r\n` +
      'Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n';
    const { text, reset } = await rawExchange(srv.url, head);
    expect(statusLines(text)).toEqual(['HTTP/1.1 413 ']);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'cocart_payload_too_large',
    });
    expect(reset).toBe(false);
  });

  it('gives one answer when the malformed chunk arrives after the refusal', async () => {
    const head = `GET ${API}/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const { text, reset } = await rawExchange(srv.url, head, 'zz\r\nabc\r\n0\r\n\r\n');
    expect(statusLines(text)).toEqual(['HTTP/1.1 413 ']);
    expect(reset).toBe(false);
  });
});

describe('COCART_ADMIN_PASSWORD at start-up (issue 11 defects)', () => {
  const db = tempDatabase('sqlite');
  beforeAll(() => buildServerCli(), 120_000);
  afterAll(() => db.dispose());

  it('uses "admin" as the login when only COCART_ADMIN_PASSWORD is set, and names no missing file', async () => {
    const served = await serveProcess(db.url, { env: { COCART_ADMIN_PASSWORD: 'from-env-pw' } });
    try {
      const ok = await fetch(`${served.url}${API}/sessions`, {
        headers: { Authorization: basic('admin', 'from-env-pw') },
      });
      // An empty store answers the plugin's 404: the credentials were accepted.
      expect(((await ok.json()) as { code: string }).code).toBe('cocart_no_carts_in_session');
      expect(ok.status).toBe(404);
      await waitFor(() => served.output().includes('/sessions'));
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
    expect(served.output()).toMatch(/Administrator "admin" created/);
    // No password was generated, so there is no file, and the hint names none.
    expect(existsSync(join(db.dir!, 'admin-password.txt'))).toBe(false);
    expect(served.output()).not.toMatch(/admin-password\.txt/);
    expect(served.output()).not.toMatch(/Created administrator "admin" with password/);
  });
});
