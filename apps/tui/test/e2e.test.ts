import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createClient } from '@cocart-sessions/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI } from './helpers/build.js';
import { ADMIN, putSessions, startTestServer, type TestServer } from './helpers/server.js';
import { TmuxTerminal } from './helpers/tmux.js';

// The pty tests need tmux; without it they are skipped with a message, except on CI where they must run.
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI) throw new Error('tmux is required for the pseudo-terminal tests on CI');
if (!hasTmux) console.warn('tmux not found: skipping the pseudo-terminal tests of cocart-sessions');

let server: TestServer;
const terminals: TmuxTerminal[] = [];

beforeAll(async () => {
  buildCli();
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});

/** An empty config directory, so that no saved profile of the machine's user is ever read. */
const noProfiles = mkdtempSync(join(tmpdir(), 'cocart-tui-xdg-'));
afterAll(() => rmSync(noProfiles, { recursive: true, force: true }));

/** The environment of the binary: nothing of ours leaks in from the test runner's. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('COCART_') && k !== 'NO_COLOR') env[k] = v;
  return { ...env, XDG_CONFIG_HOME: noProfiles, ...extra };
}

const auth = () => ({
  COCART_URL: server.url,
  COCART_USERNAME: ADMIN.login,
  COCART_PASSWORD: ADMIN.password,
});

/** Runs the binary without a terminal (pipes), like a script would. */
function runCli(args: string[], env: Record<string, string> = auth()) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: cliEnv(env), timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function terminal(): TmuxTerminal {
  const t = new TmuxTerminal();
  terminals.push(t);
  return t;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.runIf(hasTmux)('cocart-sessions in a pseudo-terminal', () => {
  it('lists, filters, opens the seed cart, deletes one with confirmation, and quits', async () => {
    await putSessions(server, [{ key: 'e2e_victim', first: 'Vic', last: 'Tim', email: 'vic@example.com' }]);
    const t = terminal();
    t.start([process.execPath, CLI], auth());
    const table = await t.waitFor('Clark Kent');
    expect(table).toMatch(/KEY\s+CUSTOMER\s+EMAIL\s+ITEMS\s+VALUE\s+EXPIRES\s+STATUS/);
    expect(table).toMatch(new RegExp(`${server.url} · 4 sessions · refreshed`));
    expect(table).toMatch(/John Snow\s+—.* in 1h\s+expiring/);

    t.type('/sebas');
    let s = await t.waitFor('1 of 4 sessions');
    expect(s).toContain('/sebas▏');
    t.keys('Enter');
    t.keys('Enter');
    s = await t.waitFor('Cart 1 · 6 items · GBP');
    expect(s).toMatch(/1 T-shirt with logo\s+£12\.00\s+£12\.00/);
    const cartTop = s;
    t.type('G');
    s = await t.waitFor(/Total\s+£207\.00/);
    expect(s).toMatch(/Subtotal\s+£192\.00/);
    expect(s).toMatch(/Discount\s+-£5\.00/);
    expect(s).toMatch(/testcoupon \(Coupon: testcoupon\)\s+-£5\.00/);
    expect(s).toMatch(/Flat rate to 1, 12345 TOWN\s+£20\.00/);
    const cartBottom = s;

    t.keys('Escape');
    await t.waitFor('filter: sebas');
    t.keys('Escape');
    await t.waitFor(/^\[All 4\] · .* · sort: id ↑\n/);
    t.type('/Vic');
    t.keys('Enter');
    await t.waitFor('1 of 4 sessions');
    t.type('d');
    s = await t.waitFor('Delete cart e2e_victim (Vic Tim)? This cannot be undone. y/N');
    t.type('y');
    s = await t.waitFor('Deleted cart e2e_victim.');
    expect(s).not.toContain('vic@example.com');
    const client = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });
    await expect(client.sessions.get('e2e_victim')).rejects.toMatchObject({ status: 404 });
    expect((await client.sessions.list()).map((x) => x.cart_key)).not.toContain('e2e_victim');

    t.keys('Escape');
    const full = await t.waitFor(
      (x) => /^\[All 3\] · .* · sort: id ↑\n/.test(x) && x.includes(' 3 sessions'),
    );
    t.type('q');
    expect(await t.waitForExit()).toBe(0);

    // README material, regenerated on demand: UPDATE_CAPTURE=1 pnpm --filter @cocart-sessions/tui test e2e
    if (process.env.UPDATE_CAPTURE === '1') {
      const capture = [
        'Sessions table (80x24):',
        full,
        '',
        'Cart view (80x24), top:',
        cartTop,
        '',
        'Cart view, scrolled to the totals (G):',
        cartBottom,
        '',
      ].join('\n');
      writeFileSync(fileURLToPath(new URL('../README-capture.txt', import.meta.url)), capture);
    }
  });

  it('marks three rows, deletes them after one count confirmation, shows the summary and the rows gone', async () => {
    await putSessions(server, [
      { key: 'bulk_a', first: 'Bulk', last: 'Alpha', email: 'a@bulk.test' },
      { key: 'bulk_b', first: 'Bulk', last: 'Bravo', email: 'b@bulk.test' },
      { key: 'bulk_c', first: 'Bulk', last: 'Charlie', email: 'c@bulk.test' },
    ]);
    const client = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });
    const t = terminal();
    t.start([process.execPath, CLI], auth());
    await t.waitFor('Clark Kent');
    t.type('/bulk');
    t.keys('Enter');
    await t.waitFor(/filter: bulk\n[\s\S]* 3 of \d+ sessions/);
    t.keys('Space');
    t.keys('Space');
    t.keys('Space');
    let s = await t.waitFor('3 marked');
    // Marked rows carry a * before the key.
    expect(s.split('\n').filter((l) => /^.\*bulk_[abc]\s+Bulk/.test(l))).toHaveLength(3);
    // Deleted elsewhere meanwhile: the bulk delete counts it as already gone.
    await client.sessions.delete('bulk_b');
    t.type('d');
    await t.waitFor('Delete 3 carts? This cannot be undone. y/N');
    t.type('y');
    s = await t.waitFor('2 deleted, 1 already gone, 0 failed.');
    expect(s).toContain('Sessions › delete summary');
    expect(s).toMatch(/Deleted\s+2\n\s+Already gone\s+1\n\s+Failed\s+0/);
    t.keys('Escape');
    s = await t.waitFor('No sessions match "bulk"');
    expect(s).toContain('0 of 3 sessions');
    expect(s).not.toContain('marked');
    const left = (await client.sessions.list()).map((x) => x.cart_key);
    expect(left.filter((k) => k.startsWith('bulk_'))).toEqual([]);
    t.type('q');
    expect(await t.waitForExit()).toBe(0);
  });

  it('profiles add asks the password without echo; then cocart-sessions alone opens the default profile', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'cocart-tui-xdg-'));
    try {
      const env = { XDG_CONFIG_HOME: xdg };
      const add = terminal();
      add.start(
        [
          process.execPath,
          CLI,
          'profiles',
          'add',
          'shop',
          '--url',
          server.url,
          '--user',
          ADMIN.login,
          '--default',
        ],
        env,
      );
      await add.waitFor(`Password for ${ADMIN.login}:`);
      add.type(ADMIN.password);
      await sleep(200);
      expect(add.screen()).not.toContain('horse');
      add.keys('Enter');
      await add.waitFor('Saved profile shop (the default)');
      expect(await add.waitForExit()).toBe(0);

      const t = terminal();
      t.start([process.execPath, CLI], env);
      const s = await t.waitFor('Clark Kent');
      expect(s).toContain(server.url);
      t.type('q');
      expect(await t.waitForExit()).toBe(0);
    } finally {
      rmSync(xdg, { recursive: true, force: true });
    }
  });

  it('--watch 1: a session deleted through the API vanishes on its own, the cursor stays on its cart', async () => {
    await putSessions(server, [
      { key: 'watch_a', first: 'Watch', last: 'Alpha', email: 'a@watch.test' },
      { key: 'watch_b', first: 'Watch', last: 'Bravo', email: 'b@watch.test' },
      { key: 'watch_c', first: 'Watch', last: 'Charlie', email: 'c@watch.test' },
    ]);
    const client = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    });
    const t = terminal();
    t.start([process.execPath, CLI, '--watch', '1'], auth());
    await t.waitFor('watch_c');
    // The cursor on the last row (watch_c, the newest cart_id).
    t.type('G');
    let s = await t.waitFor((x) => /^›\s*watch_c\s/m.test(x));
    const count = Number(/ (\d+) sessions/.exec(s)?.[1]);
    await client.sessions.delete('watch_b');
    // No key pressed: the watch refresh (a conditional request) sees the change and applies it.
    s = await t.waitFor((x) => !x.includes('watch_b'), 10_000);
    expect(s).toMatch(/^›\s*watch_c\s+Watch Cha/m);
    expect(s).toContain(`${count - 1} sessions`);
    expect(s).toContain('watch_a');
    t.type('q');
    expect(await t.waitForExit()).toBe(0);
  });

  it('asks for a missing password without echoing it, and follows a resize', async () => {
    const t = terminal();
    t.start([process.execPath, CLI, '--url', server.url, '--user', ADMIN.login]);
    await t.waitFor(`Password for ${ADMIN.login}:`);
    t.type(ADMIN.password);
    expect(t.screen()).not.toContain('horse');
    t.keys('Enter');
    await t.waitFor('Clark Kent');
    t.resize(120, 30);
    const wide = await t.waitFor((x) => x.split('\n').some((l) => l.includes('Sebastien Dumont Dumont')));
    expect(wide).toContain('clark@dailyplanet.wb');
    t.type('q');
    expect(await t.waitForExit()).toBe(0);
  });

  it('never shows the password of a store URL: it refuses the URL and says where the login goes', async () => {
    const t = terminal();
    const secret = 's3cr3t-in-url';
    const url = server.url.replace('http://', `http://${ADMIN.login}:${secret}@`);
    // Wide enough that no line wraps: the whole message is on one row.
    t.start([process.execPath, CLI, '--url', url], { ...auth(), NO_COLOR: '1' }, { columns: 240, rows: 24 });
    // Before the fix the browser opened, its status bar showing the URL as typed.
    const s = await t.waitFor(/must not hold a login|\d sessions/);
    expect(s).not.toContain(secret);
    expect(s).toContain(`The store URL ${server.url}/ must not hold a login: give it with --user`);
    expect(await t.waitForExit()).toBe(2);
  });

  it('quits with exit code 3 from the error screen after wrong credentials', async () => {
    const t = terminal();
    t.start([process.execPath, CLI], { ...auth(), COCART_PASSWORD: 'wrong', NO_COLOR: '1' });
    const s = await t.waitFor('Could not load the sessions');
    expect(s).toContain('Check the credentials');
    t.type('q');
    expect(await t.waitForExit()).toBe(3);
  });
});

describe('cocart-sessions without a terminal', () => {
  it('list --json prints the sessions as the API gives them', async () => {
    const { code, stdout } = await runCli(['list', '--json']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as Array<Record<string, string>>;
    const seed = list.find((x) => x.cart_key === '1');
    expect(seed).toMatchObject({
      customers_name: 'Sebastien Dumont Dumont',
      customers_email: 'mailme@sebastiendumont.com',
    });
    expect(Object.keys(seed ?? {}).sort()).toEqual([
      'cart_created',
      'cart_expiry',
      'cart_id',
      'cart_key',
      'cart_source',
      'customers_email',
      'customers_name',
      'link',
    ]);
  });

  it('falls back to a plain list when stdout is not a terminal', async () => {
    const { code, stdout } = await runCli([]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+CUSTOMER\s+EMAIL\s+CREATED \(UTC\)\s+EXPIRES\s+STATUS\s+SOURCE$/);
    expect(stdout).toMatch(/8f36f08beca94f2b51faedcb7c6864b8\s+Clark Kent\s+clark@dailyplanet\.wb/);
  });

  it('get prints the seed cart formatted, and --json gives it back exactly', async () => {
    const plain = await runCli(['get', '1']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/Total\s+£207\.00/);
    expect(plain.stdout).toMatch(/Subtotal\s+£192\.00/);
    const json = await runCli(['get', '1', '--json']);
    expect(json.code).toBe(0);
    const cart = JSON.parse(json.stdout);
    expect(cart.totals).toMatchObject({ total: '20700', subtotal: '19200', discount_total: '500' });
    expect(cart.fees).toEqual([]);
  });

  it('items --json gives the map keyed by item_key', async () => {
    const { code, stdout } = await runCli(['items', '1', '--json']);
    expect(code).toBe(0);
    const items = JSON.parse(stdout) as Record<string, { name: string }>;
    expect(items['47686bc78b514a82756f71ddb661ea02']?.name).toBe('T-shirt with logo');
    expect(Object.keys(items)).toHaveLength(4);
    const plain = await runCli(['items', '1']);
    expect(plain.stdout).toMatch(/Beanie with Logo\s+£18\.00\s+£18\.00/);
  });

  it('delete needs --yes, then deletes; a second delete finds it already gone, which counts as done', async () => {
    await putSessions(server, [{ key: 'cli_victim' }]);
    const refused = await runCli(['delete', 'cli_victim']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('without --yes');
    const done = await runCli(['delete', 'cli_victim', '--yes', '--json']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({
      dry_run: false,
      deleted: 1,
      already_gone: 0,
      failed: 0,
      results: [{ cart_key: 'cli_victim', outcome: 'deleted' }],
    });
    const again = await runCli(['delete', 'cli_victim', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('Cart cli_victim was already gone.\n0 deleted, 1 already gone, 0 failed.\n');
    expect((await runCli(['delete', '1', '--yes', '--read-only'])).code).toBe(2);
  });

  it('exit codes: 3 wrong password, 4 unknown key, 5 closed port, 2 bad usage', async () => {
    const wrong = await runCli(['list', '--json'], { ...auth(), COCART_PASSWORD: 'nope' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Check the credentials');
    expect(wrong.stdout).toBe('');

    const unknown = await runCli(['get', 'no_such_cart', '--json']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain(
      'Cart no_such_cart was not found (404 cocart_cart_in_session_not_valid)',
    );

    const port = await closedPort();
    const down = await runCli(['list'], { ...auth(), COCART_URL: `http://127.0.0.1:${port}` });
    expect(down.code).toBe(5);
    expect(down.stderr).toContain('Is the server running?');

    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['get'])).code).toBe(2);
    expect((await runCli(['get', 'not-a-key!'])).code).toBe(2);
    expect((await runCli(['list', '--bogus'])).code).toBe(2);
    expect((await runCli(['list'], {})).code).toBe(2);
    expect((await runCli(['list'], { COCART_URL: server.url, COCART_USERNAME: 'admin' })).stderr).toContain(
      'No password for admin',
    );
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 ok');
  });
});
