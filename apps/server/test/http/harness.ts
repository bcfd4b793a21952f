import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { customerEmailOf, customerNameOf } from '@cocart-sessions/core';
import type { NewSession, SessionStore } from '../../src/store/session-store.js';
import { dropSchemas, PG_URL, postgresForTests, randomSchema } from '../store/pg-harness.js';

export { PG_URL, postgresForTests };

const fixturesDir = new URL('../../../../fixtures/', import.meta.url);
/** A fixture of the seed, parsed. */
export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8'));

/** A database for one test file: SQLite in a temp dir, or a fresh PostgreSQL schema. */
export function tempDatabase(kind: 'sqlite' | 'postgres'): {
  url: string;
  dispose: () => Promise<void>;
  dir?: string;
} {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cocart-http-'));
    return {
      url: `sqlite:${join(dir, 'sessions.sqlite')}`,
      dir,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = randomSchema('http');
  return { url: `${PG_URL}?schema=${schema}`, dispose: () => dropSchemas([schema]) };
}

/** A stored session from a cart object, its text kept exactly as given. */
export function sessionOf(cart: Record<string, unknown>, over: Partial<NewSession> = {}): NewSession {
  return {
    cartKey: String(cart.cart_key),
    cartSource: 'cocart',
    cartCreated: 1_619_163_419,
    cartExpiry: 1_619_768_219,
    cartHash: String(cart.cart_hash ?? ''),
    customerName: customerNameOf(cart as never),
    customerEmail: customerEmailOf(cart as never),
    cartValue: JSON.stringify(cart),
    ...over,
  };
}

/** `n` sessions with keys `k0001`... (the seed cart without items), created one minute apart. */
export async function putSmallSessions(
  store: SessionStore,
  n: number,
  source = 'woocommerce',
): Promise<void> {
  const seed = fixture('session-cart.json') as Record<string, unknown>;
  const rows: NewSession[] = [];
  for (let i = 1; i <= n; i++) {
    const key = `k${String(i).padStart(4, '0')}`;
    rows.push({
      cartKey: key,
      cartSource: i % 2 === 0 ? source : 'cocart',
      cartCreated: 1_700_000_000 + i * 60,
      cartExpiry: 4_102_444_800 + i * 60, // 2100: never removed by a start-up cleanup
      cartHash: '',
      customerName: `Customer ${i}`,
      customerEmail: `c${i}@example.com`,
      cartValue: JSON.stringify({ ...seed, cart_key: key, items: [], item_count: 0 }),
    });
  }
  await store.putSessions(rows);
}

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * Send raw bytes on a socket (and `later`, once the answer's head has arrived) and read until the server
 * closes; `reset` when the connection ended in an error. The server may cut us off while we are still
 * writing: what it answered is what counts.
 */
export function rawExchange(
  url: string,
  head: Buffer | string,
  later?: string,
): Promise<{ text: string; reset: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    let reset = false;
    socket.setEncoding('utf8');
    socket.on('data', (c) => {
      text += c;
      if (later !== undefined && text.includes('\r\n\r\n')) {
        socket.write(later);
        later = undefined;
      }
    });
    socket.on('error', () => {
      reset = true;
    });
    socket.on('close', () => resolve({ text, reset }));
    socket.write(head);
  });
}

/** A raw request (fetch normalises paths and refuses GET bodies; node:http does neither). */
export function rawRequest(
  url: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const serverDir = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI, as users run it. */
export const serverCli = join(serverDir, 'dist', 'cli.js');

/** turbo runs `test` after `build`; a direct `vitest run` builds here (cached when up to date). */
export function buildServerCli(): void {
  execFileSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@cocart-sessions/server...', '--output-logs=errors-only'],
    { cwd: join(serverDir, '..', '..'), stdio: 'ignore' },
  );
}

/** Start the built CLI and resolve with its URL once it prints it. */
export function serveCli(
  dbUrl: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [serverCli, 'serve', '--db', dbUrl, '--port', '0', '--log-level', 'error'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', CLEANUP_INTERVAL: '0', ...env },
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}
