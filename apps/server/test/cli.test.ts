import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/commands.js';
import { dropSchemas, PG_URL, postgresForTests, randomSchema } from './store/pg-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'cocart-cli-'));
const pgUp = await postgresForTests();
const db = `sqlite:${join(dir, 'cli.sqlite')}`;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  return { code, out, err };
}

describe('cocart-sessions-server CLI', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [[]],
    [['frobnicate']],
    [['users']],
    [['users', 'add', 'bob', '--db', db]],
    [['users', 'add', 'bob', '--role', 'king', '--password', 'x', '--db', db]],
    [['keys', 'create']],
    [['seed', '--db', db]],
    [['seed', '--count', 'many', '--db', db]],
    [['serve', '--port', '99999']],
    [['serve', '--list-format', 'v5']],
    [['serve', '--public-url', 'ftp://shop.example']],
    [['serve', '--log-level', 'loud']],
    [['cleanup', '--bogus']],
    [['import']],
  ])('exits 2 with the usage for %j', async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: cocart-sessions-server');
  });

  it('adds, lists and removes users; creates, lists and revokes keys; cleans up', async () => {
    expect(
      (
        await run(
          'users',
          'add',
          'bob',
          '--role',
          'shop_manager',
          '--email',
          'bob@example.com',
          '--password',
          'pw',
          '--db',
          db,
        )
      ).code,
    ).toBe(0);
    const list = await run('users', 'list', '--db', db);
    expect(list.out).toBe('bob\tshop_manager\tbob@example.com\n');
    const created = await run('keys', 'create', 'bob', '--db', db);
    expect(created.code).toBe(0);
    const ck = /consumer_key=(ck_[0-9a-f]{40})/.exec(created.out)?.[1];
    expect(created.out).toMatch(/consumer_secret=cs_[0-9a-f]{40}/);
    expect((await run('keys', 'list', '--db', db)).out).toContain(ck!.slice(-7));
    expect((await run('keys', 'revoke', ck!, '--db', db)).code).toBe(0);
    expect((await run('keys', 'revoke', ck!, '--db', db)).code).toBe(1);
    expect((await run('keys', 'create', 'nobody', '--db', db)).code).toBe(1);
    expect((await run('cleanup', '--db', db)).out).toBe('Removed 0 expired sessions.\n');
    const again = await run('users', 'add', 'bob', '--role', 'customer', '--password', 'x', '--db', db);
    expect(again.code).toBe(1);
    expect(again.err).toContain('Error: "bob" is already used by the user "bob": choose another login.\n');
    const sameEmail = await run(
      'users',
      'add',
      'robert',
      '--role',
      'customer',
      '--email',
      'bob@example.com',
      '--password',
      'x',
      '--db',
      db,
    );
    expect(sameEmail.err).toContain(
      'Error: "bob@example.com" is already used by the user "bob": choose another email.\n',
    );
    expect((await run('users', 'remove', 'bob', '--db', db)).code).toBe(0);
    expect((await run('users', 'remove', 'bob', '--db', db)).code).toBe(1);
  });

  it('serve on a port already in use exits 1 and says what to do', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const r = await run(
        'serve',
        '--db',
        db,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--log-level',
        'error',
      );
      expect(r.code).toBe(1);
      expect(r.err).toContain(
        `127.0.0.1:${port} is already in use: stop what listens there, or choose --port / PORT.`,
      );
    } finally {
      blocker.close();
    }
  });

  // A file read while PostgreSQL connects: the lines must wait for the store, not be dropped.
  it.skipIf(!pgUp)(
    `exports SQLite to a file and imports that file into PostgreSQL, losing nothing${pgUp ? '' : ` (skipped: unreachable at ${PG_URL})`}`,
    async () => {
      const source = `sqlite:${join(dir, 'export-source.sqlite')}`;
      expect((await run('seed', '--count', '40', '--seed', '7', '--db', source)).code).toBe(0);
      const file = join(dir, 'sessions.jsonl');
      expect((await run('export', file, '--db', source)).code).toBe(0);
      const schema = randomSchema('cli');
      const target = `${PG_URL}?schema=${schema}`;
      try {
        const imported = await run('import', file, '--db', target);
        expect(imported).toEqual({ code: 0, out: 'Imported 40 sessions.\n', err: '' });
        const again = join(dir, 'again.jsonl');
        expect((await run('export', again, '--db', target)).code).toBe(0);
        expect(readFileSync(again, 'utf8')).toBe(readFileSync(file, 'utf8'));
      } finally {
        await dropSchemas([schema]);
      }
    },
  );

  it('reports bad lines of an import by number and writes none of them', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"cart_key":"x"}\nnot json\n');
    const r = await run('import', file, '--db', `sqlite:${join(dir, 'bad.sqlite')}`);
    expect(r.code).toBe(1);
    expect(r.out).toBe('Imported 0 sessions, 2 lines rejected.\n');
    expect(r.err).toMatch(/^line 1: .*\nline 2: invalid JSON/);
  });
});
