import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@cocart-sessions/client';
import { formatMoney, parseCartTotal } from '@cocart-sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/commands.js';
import { type RunningServer, startServer } from '../src/server.js';
import { buildServerCli, serverCli } from './http/harness.js';

const ADMIN = { login: 'admin', password: 'simulate-admin-password' };
const dir = mkdtempSync(join(tmpdir(), 'cocart-simulate-'));
const servers: RunningServer[] = [];
beforeAll(() => buildServerCli(), 120_000);
afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(name: string, cartCreateLimit?: number): Promise<RunningServer> {
  const server = await startServer({
    databaseUrl: `sqlite:${join(dir, `${name}.sqlite`)}`,
    admin: ADMIN,
    ...(cartCreateLimit !== undefined && { cartCreateLimit }),
  });
  servers.push(server);
  return server;
}

async function simulate(...argv: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  let err = '';
  const code = await runCli(['simulate', ...argv], {
    out: (s) => out.push(s),
    err: (s) => (err += `${s}\n`),
  });
  return { code, out, err };
}

/** `+0.123s <key> <what> · 3 items, total £54.00`: the lines of `--verbose`. */
const ACTION = /^\+\d+\.\d{3}s ([0-9a-f]{32}) (.*?)(?: · (\d+) items?, total (.+))?$/;

describe('cocart-sessions-server simulate', () => {
  it('drives carts through the cart API that the Sessions API then lists, as the simulation said', async () => {
    const server = await serve('living');
    const run = await simulate(
      '--url',
      server.url,
      '--rate',
      '25',
      '--duration',
      '2',
      '--seed',
      '7',
      '--verbose',
      '--every',
      '0',
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const created = new Set<string>();
    const lastTotal = new Map<string, { items: number; total: string }>();
    const named = new Map<string, { name: string; email: string }>();
    let writes = 0;
    for (const line of run.out) {
      const m = ACTION.exec(line);
      if (!m) continue;
      const [, key, what, items, total] = m as unknown as [string, string, string, string?, string?];
      if (what.startsWith('new cart:')) created.add(key);
      if (total !== undefined) {
        writes++;
        lastTotal.set(key, { items: Number(items), total });
      }
      const person = /^named (.+) <(.+)>$/.exec(what);
      if (person) named.set(key, { name: person[1]!, email: person[2]! });
    }
    const summary = run.out.join('\n');
    expect(summary).toMatch(new RegExp(`new carts\\s+${created.size}\\n`));
    expect(summary).toContain(`${writes} cart writes`);
    // 25 a second for 2 s, on a machine shared with other tests: generous bounds, not a timing test.
    expect(writes).toBeGreaterThan(15);
    expect(writes).toBeLessThanOrEqual(51);
    expect(created.size).toBeGreaterThan(2);
    expect(named.size).toBeGreaterThan(0);

    const admin = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });
    const listed = await admin.sessions.list();
    // The server holds no other carts: each one listed is one the simulation made, with its source.
    expect(new Set(listed.map((s) => s.cart_key))).toEqual(created);
    for (const s of listed) expect(s.cart_source).toBe('cocart');
    for (const [key, person] of named) {
      const summaryRow = listed.find((s) => s.cart_key === key)!;
      expect(summaryRow.customers_name).toBe(person.name);
      expect(summaryRow.customers_email).toBe(person.email);
    }
    // Each cart as the Sessions API answers it is the state the simulation last saw, and adds up.
    for (const [key, last] of lastTotal) {
      const cart = await admin.sessions.get(key);
      expect(formatMoney(parseCartTotal(cart.totals.total), cart.currency)).toBe(last.total);
      expect(cart.item_count).toBe(last.items);
      expect(cart.item_count).toBe(cart.items.reduce((n, item) => n + item.quantity.value, 0));
      const lines = cart.items.reduce((sum, item) => sum + Math.round(item.totals.subtotal * 100), 0);
      if (cart.currency.currency_minor_unit === 2) expect(Number(cart.totals.subtotal)).toBe(lines);
    }
  });

  it('backs off when the creation limit answers 429, and goes on with the open carts', async () => {
    const server = await serve('limited', 3);
    const run = await simulate('--url', server.url, '--rate', '40', '--duration', '1', '--json');
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/creation limit answered 429: no new carts for \d+ s/);
    expect(run.out).toHaveLength(1);
    const summary = JSON.parse(run.out[0]!);
    expect(summary.created).toBe(3);
    expect(summary.refused).toBeGreaterThan(0);
    expect(summary.errors).toBe(0);
    const admin = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });
    expect(await admin.sessions.list()).toHaveLength(3);
  });

  it('says so when no server answers, and exits 1; bad flags exit 2 with the usage', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const run = await simulate('--url', `http://127.0.0.1:${port}`, '--duration', '1');
    expect(run.code).toBe(1);
    expect(run.err).toContain(`Cannot reach the server at http://127.0.0.1:${port}`);
    for (const argv of [
      ['--rate', '0'],
      ['--rate', 'fast'],
      ['--url', 'ftp://x'],
      ['--db', 'x.sqlite'],
    ]) {
      const bad = await simulate(...argv);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('Usage: cocart-sessions-server');
    }
  });

  it('runs until SIGINT, then finishes the requests in flight and prints its summary (the built CLI)', async () => {
    const server = await serve('until-sigint');
    const child = spawn(
      process.execPath,
      [serverCli, 'simulate', '--url', server.url, '--rate', '20', '--every', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const admin = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });
    const deadline = Date.now() + 10_000;
    while ((await admin.sessions.list()).length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toContain('Stopping: waiting for the requests in flight');
    const created = Number(/new carts\s+(\d+)/.exec(out)?.[1]);
    expect(created).toBeGreaterThanOrEqual(3);
    // Every cart it counted is in the store, none half made.
    expect(await admin.sessions.list()).toHaveLength(created);
  });
});
