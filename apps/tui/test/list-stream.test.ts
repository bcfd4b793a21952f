import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type RunningServer, startServer } from '@cocart-sessions/server';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/commands.js';
import type { CliIo } from '../src/cli/io.js';
import { buildCli, CLI } from './helpers/build.js';
import { ADMIN } from './helpers/server.js';

/** Runs the CLI in this process against `url`, without a terminal. */
async function run(argv: string[], url: string) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([]),
    env: { COCART_URL: url, COCART_USERNAME: ADMIN.login, COCART_PASSWORD: ADMIN.password },
  } as unknown as CliIo;
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

async function serverWith(seed: (server: RunningServer) => Promise<void>, opts: { seedDemo?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cocart-tui-stream-'));
  const server = await startServer({
    databaseUrl: `sqlite:${join(dir, 'sessions.sqlite')}`,
    port: 0,
    logLevel: 'silent',
    admin: ADMIN,
    ...opts,
  });
  await seed(server);
  return {
    server,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('list --format ndjson on a store larger than the process may hold', () => {
  // Held as objects (what list did before it streamed), these sessions take several times the heap
  // the CLI is given below; streamed, they pass through a heap of that size.
  const COUNT = 60_000;
  const HEAP_MB = 24;
  let store: Awaited<ReturnType<typeof serverWith>>;

  beforeAll(async () => {
    buildCli();
    const now = Math.floor(Date.now() / 1000);
    store = await serverWith(async (server) => {
      for (let from = 0; from < COUNT; from += 20_000) {
        await server.store.sessions.putSessions(
          Array.from({ length: 20_000 }, (_, j) => {
            const i = from + j;
            return {
              cartKey: `k${String(i).padStart(7, '0')}`,
              cartSource: 'woocommerce',
              cartCreated: now - 3600,
              cartExpiry: now + 86_400,
              cartHash: 'h',
              customerName: `Customer ${i}`,
              customerEmail: `c${i}@shop.example`,
              cartValue: '{}',
            };
          }),
        );
      }
    });
  }, 60_000);
  afterAll(() => store?.stop());

  it(`writes all ${COUNT} sessions with --max-old-space-size=${HEAP_MB}`, async () => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, CLI, 'list', '--format', 'ndjson'],
      {
        env: {
          ...process.env,
          COCART_URL: store.server.url,
          COCART_USERNAME: ADMIN.login,
          COCART_PASSWORD: ADMIN.password,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let lines = 0;
    let first = '';
    let tail = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (first === '') first = chunk.slice(0, chunk.indexOf('\n'));
      for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
      tail = (tail + chunk).slice(-2000);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines).toBe(COUNT);
    expect(JSON.parse(first)).toMatchObject({
      cart_id: '1',
      cart_key: 'k0000000',
      customers_name: 'Customer 0',
    });
    const last = tail.trimEnd().split('\n').at(-1) ?? '';
    expect(JSON.parse(last)).toMatchObject({
      cart_id: String(COUNT),
      cart_key: `k${String(COUNT - 1).padStart(7, '0')}`,
    });
  }, 90_000);
});

describe('list --fields item_count,total,currency', () => {
  let store: Awaited<ReturnType<typeof serverWith>>;
  beforeAll(async () => {
    // The server's demo carts: several currencies, items and totals that add up.
    store = await serverWith(async () => {}, { seedDemo: 40 });
  });
  afterAll(() => store?.stop());

  it('as CSV, equals what get reports for each cart', async () => {
    const { code, stdout, stderr } = await run(
      ['list', '--fields', 'cart_key,item_count,total,currency', '--format', 'csv'],
      store.server.url,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\r\n')[0]).toBe('cart_key,item_count,total,currency');
    const rows = parse(stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(40);
    const currencies = new Set<string>();
    for (const row of rows) {
      const got = await run(['get', row.cart_key ?? '', '--json'], store.server.url);
      const cart = JSON.parse(got.stdout);
      // totals.total is minor units as a string: the major-unit decimal has the currency's decimals.
      const decimals: number = cart.currency.currency_minor_unit;
      const minor = BigInt(cart.totals.total);
      const sign = minor < 0n ? '-' : '';
      const digits = (minor < 0n ? -minor : minor).toString().padStart(decimals + 1, '0');
      const major = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
      expect(row).toEqual({
        cart_key: cart.cart_key,
        item_count: String(cart.item_count),
        total: `${sign}${major}`,
        currency: cart.currency.currency_code,
      });
      // The text of `get` shows the same amount, formatted in the cart's currency ("157,93€").
      const text = (await run(['get', row.cart_key ?? ''], store.server.url)).stdout;
      const shown = /^ {2}Total +(.+)$/m.exec(text)?.[1] ?? '';
      expect(shown.replace(/\D/g, '')).toBe(digits.replace(/^0+(?=\d)/, ''));
      currencies.add(cart.currency.currency_code);
    }
    expect(currencies.size).toBeGreaterThan(1);
  });

  it('as ndjson, an item count is a number and the total a decimal string', async () => {
    const { stdout } = await run(
      ['list', '--fields', 'cart_key,item_count,total', '--format', 'ndjson'],
      store.server.url,
    );
    const first = JSON.parse(stdout.split('\n')[0] ?? '');
    expect(typeof first.item_count).toBe('number');
    expect(first.total).toMatch(/^-?\d+(\.\d+)?$/);
  });
});
