import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli/args.js';
import { runCli, runOf } from '../src/cli/commands.js';
import type { CliIo } from '../src/cli/io.js';
import { USAGE } from '../src/cli/usage.js';
import { ADMIN, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
const home = mkdtempSync(join(tmpdir(), 'cocart-dispatch-'));

beforeAll(async () => {
  server = await startTestServer([{ key: 'one' }, { key: 'two' }, { key: 'gone_soon' }]);
});
afterAll(async () => {
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Streams that are, or are not, a terminal. */
function streams(tty: { stdout?: boolean; stdin?: boolean } = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty.stdout });
  const stdin = Object.assign(new PassThrough(), { isTTY: tty.stdin });
  return { stdout, stdin } as unknown as Pick<CliIo, 'stdout' | 'stdin'>;
}

/** Runs the CLI in this process, without a terminal, with `input` on stdin and only `env`. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}, input = '') {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from(input === '' ? [] : [input]),
    env: { XDG_CONFIG_HOME: home, ...env },
  } as unknown as CliIo;
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const login = () => ({
  COCART_URL: server.url,
  COCART_USERNAME: ADMIN.login,
  COCART_PASSWORD: ADMIN.password,
});

describe('runOf: what a command line runs', () => {
  it('runs --help over any command', () => {
    expect(runOf(parseCliArgs(['get', '1', '--help']), streams())).toEqual({ name: 'help' });
  });
  it('runs the browser only with no command and a terminal on both ends, else the table of list', () => {
    expect(runOf(parseCliArgs([]), streams({ stdout: true, stdin: true }))).toEqual({ name: 'interactive' });
    for (const tty of [{}, { stdout: true }, { stdin: true }]) {
      expect(runOf(parseCliArgs([]), streams(tty))).toEqual({ name: 'list', format: 'table' });
    }
  });
  it('runs the command given, terminal or not', () => {
    const args = parseCliArgs(['items', 'one']);
    expect(runOf(args, streams({ stdout: true, stdin: true }))).toBe(args.command);
  });
});

describe('runCli: each run reaches its command', () => {
  it('prints the usage for --help, with no store at all', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
  });

  it('prints the version of package.json for --version; --help and --version read no operand', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(await run(['get', 'not a key', '--help'])).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
    // An unknown option is still a usage error.
    expect((await run(['--bogus', '--version'])).code).toBe(2);
  });

  it('runs list, get and items against the store', async () => {
    const list = await run(['list', '--format', 'ndjson', '--fields', 'cart_key'], login());
    expect(list).toEqual({
      code: 0,
      stdout: '{"cart_key":"one"}\n{"cart_key":"two"}\n{"cart_key":"gone_soon"}\n',
      stderr: '',
    });
    expect(JSON.parse((await run(['get', 'one', '--json'], login())).stdout).cart_key).toBe('one');
    expect(Object.keys(JSON.parse((await run(['items', 'two', '--json'], login())).stdout))).toHaveLength(4);
    expect((await run([], login())).stdout).toMatch(/^KEY\s+CUSTOMER/);
  });

  it('names the cart and the store in a failure, with its exit code', async () => {
    expect(await run(['get', 'nope'], login())).toEqual({
      code: 4,
      stdout: '',
      stderr: 'cocart-sessions: Cart nope was not found (404 cocart_cart_in_session_not_valid).\n',
    });
  });

  it('refuses a delete before reading stdin or looking for a store', async () => {
    for (const [argv, message] of [
      [['delete', 'one'], 'Refusing to delete one without --yes (or see --dry-run).'],
      [['delete', '-'], 'Refusing to delete anything without --yes (or see --dry-run).'],
      [['delete', 'one', '--yes', '--read-only'], '--read-only: deleting is disabled.'],
    ] as const) {
      expect(await run([...argv])).toEqual({ code: 2, stdout: '', stderr: `cocart-sessions: ${message}\n` });
    }
    // No URL anywhere, yet the key list is what fails: it is read and checked before connecting.
    expect((await run(['delete', '-', '--yes'], {}, 'one\nnot a key\n')).stderr).toContain(
      'delete -: line 2 of stdin',
    );
  });

  it('deletes the keys read from stdin', async () => {
    const done = await run(['delete', '-', '--yes'], login(), 'gone_soon\n');
    expect(done).toEqual({
      code: 0,
      stdout: 'Deleted cart gone_soon.\n1 deleted, 0 already gone, 0 failed.\n',
      stderr: '',
    });
  });

  it('runs profiles without a store, and a later run connects with the profile saved', async () => {
    const env = { XDG_CONFIG_HOME: join(home, 'profiles-test') };
    const saved = await run(
      [
        'profiles',
        'add',
        'local',
        '--url',
        server.url,
        '--user',
        ADMIN.login,
        '--password-stdin',
        '--default',
      ],
      env,
      `${ADMIN.password}\n`,
    );
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/^Saved profile local \(the default\)/);
    expect((await run(['profiles', 'list', '--json'], env)).stdout).toContain('"name": "local"');
    expect((await run(['list', '--format', 'csv', '--fields', 'cart_key'], env)).stdout).toBe(
      'cart_key\r\none\r\ntwo\r\n',
    );
  });

  it('says a usage error in one stderr line prefix, with the usage text, exit 2', async () => {
    const bad = await run(['list', 'extra']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(`cocart-sessions: Unexpected argument "extra".\n\n${USAGE}\n`);
  });
});
