import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/commands.js';
import { startServer } from '../src/server.js';
import { basic, buildServerCli, serverCli } from './http/harness.js';

// Issue 12, findings 4 to 8 and the CORS configuration: the CLI as users run it.

const dir = mkdtempSync(join(tmpdir(), 'cocart-sec-cli-'));
const API = '/wp-json/cocart/v2';

/** Run the built CLI; a `serve` that starts listening is stopped and reported as `listened`. */
function runBin(
  args: string[],
  opts: { env?: Record<string, string>; input?: string } = {},
): Promise<{ code: number | null; out: string; err: string; listened: boolean }> {
  const child = spawn(process.execPath, [serverCli, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', CLEANUP_INTERVAL: '0', LOG_LEVEL: 'warn', ...opts.env },
  });
  let out = '';
  let err = '';
  let listened = false;
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    if (!listened && /listening on http/.test(out)) {
      listened = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  child.stdin.end(opts.input ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, out, err, listened });
    });
  });
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  return { code, out, err };
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

beforeAll(() => buildServerCli(), 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding 4: file modes of the SQLite store', () => {
  it('creates the data directory 0700 and the database, -wal and -shm 0600', async () => {
    const data = join(dir, 'fresh', 'data');
    const file = join(data, 'sessions.sqlite');
    const r = await runBin(['serve', '--db', `sqlite:${file}`, '--port', '0']);
    expect(r.listened).toBe(true);
    expect(modeOf(data)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    // The server's own connection makes them; they are gone after a clean close, so reopen to see them.
    const srv = await startServer({ databaseUrl: `sqlite:${file}`, port: 0 });
    try {
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
    } finally {
      await srv.close();
    }
    expect(modeOf(join(data, 'admin-password.txt'))).toBe(0o600);
  }, 30_000);

  it('warns at start when an existing store file is readable by others, naming it', async () => {
    const file = join(dir, 'shared', 'sessions.sqlite');
    expect((await runBin(['serve', '--db', `sqlite:${file}`, '--port', '0'])).listened).toBe(true);
    chmodSync(file, 0o644);
    const r = await runBin(['serve', '--db', `sqlite:${file}`, '--port', '0']);
    expect(r.listened).toBe(true);
    expect(`${r.out}${r.err}`).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*readable by other users`),
    );
    // That start made its -wal and -shm with the database's mode: all three go back to 0600.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    const quiet = await runBin(['serve', '--db', `sqlite:${file}`, '--port', '0']);
    expect(`${quiet.out}${quiet.err}`).not.toMatch(/readable by other users/);
  }, 30_000);
});

describe('finding 5: start-up ordering', () => {
  it('creates no administrator when admin-password.txt cannot be written, and names the path', async () => {
    const data = join(dir, 'blocked');
    const file = join(data, 'sessions.sqlite');
    const passwordFile = join(data, 'admin-password.txt');
    // A directory where the file should go: the write fails even for root.
    mkdirSync(passwordFile, { recursive: true });
    const r = await runBin(['serve', '--db', `sqlite:${file}`, '--port', '0']);
    expect(r.listened).toBe(false);
    expect(r.code).toBe(1);
    expect(r.err).toContain(passwordFile);
    expect(r.out).not.toMatch(/Created administrator/);
    expect((await run('users', 'list', '--db', `sqlite:${file}`)).err).toBe('No users.\n');

    rmSync(passwordFile, { recursive: true });
    const again = await runBin(['serve', '--db', `sqlite:${file}`, '--port', '0']);
    expect(again.listened).toBe(true);
    const printed = /Created administrator "admin" with password: (\S+)/.exec(again.out)?.[1];
    expect(printed).toBeDefined();
    expect(readFileSync(passwordFile, 'utf8')).toBe(printed);
  }, 30_000);

  it('names the path of a database it cannot open', async () => {
    // /proc refuses new files, even to root.
    const r = await runBin(['serve', '--db', 'sqlite:/proc/cocart-sessions.sqlite', '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/proc/cocart-sessions.sqlite');
  }, 30_000);
});

describe('finding 6: one password limit at both ends', () => {
  it('refuses at users add a password that login would refuse, and logs in with the longest allowed', async () => {
    const db = `sqlite:${join(dir, 'limits.sqlite')}`;
    const long = 'p'.repeat(1025);
    const refused = await run(
      'users',
      'add',
      'long',
      '--role',
      'administrator',
      '--password',
      long,
      '--db',
      db,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/at most 1024 characters/);
    expect((await run('users', 'list', '--db', db)).err).toBe('No users.\n');

    const max = 'q'.repeat(1024);
    expect(
      (await run('users', 'add', 'max', '--role', 'administrator', '--password', max, '--db', db)).code,
    ).toBe(0);
    const srv = await startServer({ databaseUrl: db, port: 0 });
    try {
      const ok = await fetch(`${srv.url}${API}/sessions`, { headers: { Authorization: basic('max', max) } });
      expect(ok.status).toBe(404); // authenticated; the store is empty
      const tooLong = await fetch(`${srv.url}${API}/sessions`, {
        headers: { Authorization: basic('max', `${max}q`) },
      });
      expect(tooLong.status).toBe(401);
    } finally {
      await srv.close();
    }
  }, 30_000);

  it('refuses at users add a password with a NUL, which login refuses', async () => {
    const db = `sqlite:${join(dir, 'limits-nul.sqlite')}`;
    const r = await runBin(['users', 'add', 'nul', '--role', 'administrator', '--db', db], {
      input: 'a\0b\n',
    });
    expect(r.code).toBe(1);
    expect(r.err).toBe('Error: A password must not contain a NUL character.\n');
  }, 30_000);

  it('refuses to start with a COCART_ADMIN_PASSWORD over the limit', async () => {
    const r = await runBin(['serve', '--db', `sqlite:${join(dir, 'limits-env.sqlite')}`, '--port', '0'], {
      env: { COCART_ADMIN_USER: 'boss', COCART_ADMIN_PASSWORD: 'p'.repeat(1025) },
    });
    expect(r.listened).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/at most 1024 characters/);
  }, 30_000);
});

describe('finding 7: --public-url validated like PUBLIC_URL', () => {
  it.each(['http://x.example\r\nSet-Cookie: pwn=1', 'ftp://x.example', 'not a url'])(
    'refuses %j both as a flag and as a variable, the same way',
    async (bad) => {
      const db = `sqlite:${join(dir, 'public-url.sqlite')}`;
      const flag = await runBin(['serve', '--db', db, '--port', '0', '--public-url', bad]);
      const variable = await runBin(['serve', '--db', db, '--port', '0'], { env: { PUBLIC_URL: bad } });
      for (const r of [flag, variable]) {
        expect(r.listened).toBe(false);
        expect(r.code).not.toBe(0);
      }
      // One schema, one message: only the name of what is at fault differs.
      const problem = (err: string) => /Invalid configuration:\n\s+(\S+): (.+)/.exec(err)?.slice(1);
      const [flagName, flagMessage] = problem(flag.err) ?? [];
      const [variableName, variableMessage] = problem(variable.err) ?? [];
      expect([flagName, variableName]).toEqual(['--public-url', 'PUBLIC_URL']);
      expect(flagMessage).toBeDefined();
      expect(flagMessage).toBe(variableMessage);
    },
    30_000,
  );

  it('uses a valid --public-url for link', async () => {
    const db = `sqlite:${join(dir, 'public-url.sqlite')}`;
    const r = await runBin([
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--public-url',
      'https://shop.example/base/',
    ]);
    expect(r.listened).toBe(true);
  }, 30_000);
});

describe('finding 8: users add --password', () => {
  it('warns that the flag is visible to other users and recommends stdin; stdin gives no warning', async () => {
    const db = `sqlite:${join(dir, 'warn.sqlite')}`;
    const flag = await runBin(['users', 'add', 'bob', '--role', 'customer', '--password', 'pw', '--db', db]);
    expect(flag.code).toBe(0);
    expect(flag.err).toMatch(/--password.*(ps|other users)/i);
    expect(flag.err).toMatch(/stdin/);
    const stdin = await runBin(['users', 'add', 'carol', '--role', 'customer', '--db', db], {
      input: 'pw\n',
    });
    expect(stdin.code).toBe(0);
    expect(stdin.err).toBe('');
  }, 30_000);
});

describe('finding 1: CORS_ORIGINS', () => {
  it('refuses "null" as an allowed origin', async () => {
    const r = await runBin(['serve', '--db', `sqlite:${join(dir, 'cors.sqlite')}`, '--port', '0'], {
      env: { CORS_ORIGINS: 'https://shop.example, null' },
    });
    expect(r.listened).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/CORS_ORIGINS/);
  }, 30_000);
});
