import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@cocart-sessions/client';
import { formatApiDate, type SessionSummary } from '@cocart-sessions/core';
import { startServer } from '@cocart-sessions/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI } from './helpers/build.js';
import { ADMIN, putSessions, type TestSession } from './helpers/server.js';
import { TmuxTerminal } from './helpers/tmux.js';

// The TUI against the two list forms a store may answer in: our server paging as CoCart 4.x does
// (`--list-format v4`: the whole list only page by page), and a 3.x store that knows nothing but the
// whole array (a small server of this test: it ignores every query parameter and sends no totals).
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI) throw new Error('tmux is required for the pseudo-terminal tests on CI');

/** More sessions than the first page (100) and than one 4.x page: the list needs several requests. */
const COUNT = 240;
const FIRSTS = ['Zoe', 'adam', 'Mia', 'Émile', 'bob', 'Lin', 'Omar', 'Ana'];
const SOURCES = ['woocommerce', 'cocart', 'app'];

/** Session i: short keys in an order of their own, names, emails, dates and sources that all sort apart. */
function session(i: number): TestSession & { key: string } {
  const n = (i * 97) % COUNT;
  return {
    key: `k${String((i * 131) % 1000).padStart(3, '0')}x${i}`,
    first: FIRSTS[i % FIRSTS.length],
    last: `N${String(n).padStart(3, '0')}`,
    email: `${String.fromCharCode(97 + (n % 26))}${i}@shop.test`,
    source: SOURCES[i % SOURCES.length],
    createdIn: -((n + 1) * 600),
    expiresIn: ((i * 53) % COUNT) * 900 - 20 * 3600,
  };
}
const SESSIONS = Array.from({ length: COUNT }, (_, i) => session(i));

/** The TUI's sort columns, in the order `s` cycles through them, and what each sorts by. */
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: SessionSummary, b: SessionSummary) => Number(a.cart_id) - Number(b.cart_id);
const date = (s: string) => Date.parse(`${s.replace(/^(\d\d)\/(\d\d)\/(\d{4}) /, '$3-$1-$2T')}Z`);
const SORTS: Array<[string, ((a: SessionSummary, b: SessionSummary) => number) | null]> = [
  ['created', (a, b) => date(a.cart_created) - date(b.cart_created) || byId(a, b)],
  ['expiry', (a, b) => date(a.cart_expiry) - date(b.cart_expiry) || byId(a, b)],
  ['customer', (a, b) => cmp(a.customers_name.toLowerCase(), b.customers_name.toLowerCase()) || byId(a, b)],
  ['email', (a, b) => cmp(a.customers_email.toLowerCase(), b.customers_email.toLowerCase()) || byId(a, b)],
  ['key', (a, b) => cmp(a.cart_key, b.cart_key)],
  ['source', (a, b) => cmp(a.cart_source, b.cart_source) || byId(a, b)],
  // By the carts read (tested with the list worker in reducer.test.ts): here only passed through.
  ['items', null],
  ['value', null],
  ['id', byId],
];

const terminals: TmuxTerminal[] = [];
const noProfiles = mkdtempSync(join(tmpdir(), 'cocart-tui-xdg-'));
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});
afterAll(() => rmSync(noProfiles, { recursive: true, force: true }));

/** The keys of the table rows on screen, top to bottom (the first word after the two markers). */
const keysOnScreen = (screen: string) =>
  screen
    .split('\n')
    .slice(2)
    .filter((l) => /^[› ][ *]k\d{3}x/.test(l))
    .map((l) => l.slice(2).split(/\s+/)[0] ?? '');

/**
 * Opens the TUI on `url` (120x40, so keys are never cut), waits for the whole list, sorts by every
 * column in turn (and reverses one) checking the rows on screen against `list` sorted here, then
 * filters and checks the count and rows.
 */
async function browse(url: string, list: SessionSummary[]) {
  const t = new TmuxTerminal();
  terminals.push(t);
  const env: Record<string, string> = {
    COCART_URL: url,
    COCART_USERNAME: ADMIN.login,
    COCART_PASSWORD: ADMIN.password,
    XDG_CONFIG_HOME: noProfiles,
  };
  t.start([process.execPath, CLI], env, { columns: 120, rows: 40 });
  const rowsShown = 40 - 5;
  const total = `· ${list.length} sessions · refreshed`;
  let screen = await t.waitFor(total, 30_000);
  expect(screen.split('\n')[0]).toMatch(new RegExp(`^\\[All ${list.length}\\] · .* · sort: id ↑$`));
  expect(keysOnScreen(screen)).toEqual(
    [...list]
      .sort(byId)
      .slice(0, rowsShown)
      .map((s) => s.cart_key),
  );

  for (const [column, compare] of SORTS) {
    t.type('s');
    await t.waitFor(`· sort: ${column} ↑`, 10_000);
    if (compare === null) continue;
    const expected = [...list].sort(compare).map((s) => s.cart_key);
    // The cursor follows its cart to its new place: `g` goes back to the top of the new order.
    t.type('g');
    await t.waitFor((s) => keysOnScreen(s).join() === expected.slice(0, rowsShown).join(), 10_000);
    if (column === 'customer') {
      t.type('S');
      await t.waitFor('· sort: customer ↓', 10_000);
      t.type('g');
      await t.waitFor(
        (s) => keysOnScreen(s).join() === [...expected].reverse().slice(0, rowsShown).join(),
        10_000,
      );
      // The end of the whole list, as `G` shows it.
      t.type('G');
      await t.waitFor((s) => keysOnScreen(s).at(-1) === expected[0], 10_000);
      t.type('S');
      await t.waitFor('· sort: customer ↑', 10_000);
    }
  }

  // A filter over every session: key, name or email, case-insensitive, in the id order.
  const matching = list.filter((s) =>
    `${s.cart_key}\n${s.customers_name}\n${s.customers_email}`.toLowerCase().includes('émile n1'),
  );
  expect(matching.length).toBeGreaterThan(3);
  t.type('/ÉMILE N1');
  screen = await t.waitFor(`${matching.length} of ${list.length} sessions`, 10_000);
  expect(keysOnScreen(screen)).toEqual(matching.sort(byId).map((s) => s.cart_key));
  t.keys('Escape');
  await t.waitFor(total, 10_000);
  t.type('q');
  expect(await t.waitForExit()).toBe(0);
}

describe.runIf(hasTmux)('the TUI against a paging server and a 3.x array-only server', () => {
  let dir: string;
  let paging: Awaited<ReturnType<typeof startServer>>;
  let listed: SessionSummary[];
  let arrayOnly: Server;
  let arrayUrl: string;

  beforeAll(async () => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), 'cocart-tui-servers-'));
    paging = await startServer({
      databaseUrl: `sqlite:${join(dir, 'sessions.sqlite')}`,
      port: 0,
      admin: ADMIN,
      listFormat: 'v4',
    });
    await putSessions(paging, SESSIONS);
    listed = await createClient({
      url: paging.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
    }).sessions.list();

    // The 3.x plugin's answer and nothing else: the whole array to any list request, no totals.
    const now = Math.floor(Date.now() / 1000);
    const array: SessionSummary[] = SESSIONS.map((s, i) => ({
      cart_id: String(7000 + ((i * 7) % COUNT) * 3),
      cart_key: s.key,
      customers_name: `${s.first} ${s.last}`,
      customers_email: s.email ?? '',
      cart_created: formatApiDate(now + (s.createdIn ?? 0)),
      cart_expiry: formatApiDate(now + (s.expiresIn ?? 0)),
      cart_source: s.source ?? 'woocommerce',
      link: `http://store.test/wp-json/cocart/v2/session/${s.key}`,
    })).sort(byId);
    // As the plugin's PHP writes it (wp_json_encode escapes every slash): not our server's form, so
    // the TUI parses it rather than reading it from its bytes.
    const body = JSON.stringify(array).replaceAll('/', '\\/');
    arrayOnly = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/wp-json/cocart/v2/sessions') {
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        res.end(body);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ code: 'rest_no_route', message: 'No route.', data: { status: 404 } }));
    });
    await new Promise<void>((resolve) => arrayOnly.listen(0, '127.0.0.1', resolve));
    arrayUrl = `http://127.0.0.1:${(arrayOnly.address() as AddressInfo).port}`;
    (arrayOnly as Server & { array?: SessionSummary[] }).array = array;
  }, 120_000);

  afterAll(async () => {
    await paging?.close();
    await new Promise((resolve) => arrayOnly?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pages through our server in the 4.x form: opens, sorts by each column and filters', async () => {
    expect(listed).toHaveLength(COUNT);
    await browse(paging.url, listed);
  }, 90_000);

  it('does the same against a 3.x store that only sends the whole array', async () => {
    await browse(arrayUrl, (arrayOnly as Server & { array: SessionSummary[] }).array);
  }, 90_000);
});
