import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { type CliArgs, parseCliArgs } from './args.js';
import { USAGE } from './usage.js';

/** The error `parseCliArgs` throws for `argv`. */
function failure(argv: string[]): CliError {
  try {
    parseCliArgs(argv);
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error(`${argv.join(' ')} parsed`);
}

describe('parseCliArgs', () => {
  it('reads no command as null, with every flag at its default', () => {
    expect(parseCliArgs([])).toEqual({
      command: null,
      allowInsecureHttp: false,
      json: false,
      yes: false,
      readOnly: false,
      noColor: false,
      help: false,
      version: false,
    } satisfies Partial<CliArgs>);
  });

  it('reads the connection flags, short forms included', () => {
    const args = parseCliArgs(['--url', 'http://shop', '-u', 'ann', '-p', 'pw', '--profile', 'p']);
    expect(args).toMatchObject({ url: 'http://shop', user: 'ann', password: 'pw', profile: 'p' });
    expect(parseCliArgs(['--allow-insecure-http']).allowInsecureHttp).toBe(true);
    expect(parseCliArgs(['--consumer-key', 'ck', '--consumer-secret', 'cs'])).toMatchObject({
      consumerKey: 'ck',
      consumerSecret: 'cs',
    });
  });

  it('reads list with its format, fields and status; --json is the json format', () => {
    expect(parseCliArgs(['list']).command).toEqual({ name: 'list', format: 'table' });
    expect(parseCliArgs(['list', '--json']).command).toEqual({ name: 'list', format: 'json' });
    expect(
      parseCliArgs(['list', '--format', 'csv', '--fields', 'cart_key, status', '--status', 'expired'])
        .command,
    ).toEqual({ name: 'list', format: 'csv', fields: ['cart_key', 'status'], status: 'expired' });
  });

  it('reads get and items with their cart key', () => {
    expect(parseCliArgs(['get', 'abc_1']).command).toEqual({ name: 'get', cartKey: 'abc_1' });
    expect(parseCliArgs(['items', '1', '--json'])).toMatchObject({
      command: { name: 'items', cartKey: '1' },
      json: true,
    });
  });

  it('reads the three kinds of delete, keys once each', () => {
    expect(parseCliArgs(['delete', 'a', 'b', 'a', '-y']).command).toEqual({
      name: 'delete',
      target: { kind: 'keys', keys: ['a', 'b'] },
      dryRun: false,
    });
    expect(parseCliArgs(['delete', '-', '--dry-run']).command).toEqual({
      name: 'delete',
      target: { kind: 'stdin' },
      dryRun: true,
    });
    expect(parseCliArgs(['delete', '--expired']).command).toMatchObject({
      target: { kind: 'expired', olderThanMs: 0 },
    });
    expect(parseCliArgs(['delete', '--expired', '--older-than', '12h']).command).toMatchObject({
      target: { kind: 'expired', olderThanMs: 12 * 3600 * 1000 },
    });
  });

  it('reads the profiles subcommands', () => {
    expect(parseCliArgs(['profiles', 'list']).command).toEqual({ name: 'profiles', action: 'list' });
    expect(parseCliArgs(['profiles', 'add', 'shop', '--default', '--password-stdin']).command).toEqual({
      name: 'profiles',
      action: 'add',
      profile: 'shop',
      makeDefault: true,
      passwordStdin: true,
    });
    expect(parseCliArgs(['profiles', 'remove', 'shop']).command).toEqual({
      name: 'profiles',
      action: 'remove',
      profile: 'shop',
    });
  });

  it('reads --watch as seconds, and refuses what is not a positive number', () => {
    expect(parseCliArgs(['--watch', '2.5']).watch).toBe(2.5);
    for (const bad of ['0', '-1', 'soon']) expect(failure(['--watch', bad]).exitCode).toBe(2);
  });

  it('follows a mistake in the command line with the usage text (exit 2)', () => {
    for (const [argv, message] of [
      [['frobnicate'], 'Unknown command "frobnicate".'],
      [['list', '--bogus'], "Unknown option '--bogus'"],
      [['list', 'extra'], 'Unexpected argument "extra".'],
      [['get'], 'get needs a cart key.'],
      [['get', '--status', 'active', '1'], '--status goes with "list" only.'],
      [['list', '--json', '--format', 'csv'], '--json and --format csv disagree.'],
      [['profiles'], 'profiles needs add, list, remove or default.'],
      [['profiles', 'remove', 'shop', '--default'], '--default and --password-stdin go with profiles add.'],
    ] as const) {
      const e = failure([...argv]);
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain(message);
      expect(e.message.endsWith(`\n\n${USAGE}`)).toBe(true);
    }
  });

  it('says what is wrong with a value in one line, without the usage text (exit 2)', () => {
    for (const [argv, message] of [
      [['get', 'not-a-key!'], '"not-a-key!" is not a cart key (1 to 42 letters, digits or underscores).'],
      [['delete'], 'delete needs cart keys, - (keys on stdin) or --expired.'],
      [['delete', '-', 'a'], 'delete - reads every key from stdin: give no other key.'],
      [['delete', '--expired', 'a'], 'delete --expired takes no cart keys: give one or the other.'],
      [['delete', 'a', '--older-than', '3d'], '--older-than goes with delete --expired.'],
      [['list', '--status', 'stale'], '--status must be active, expiring or expired, not "stale".'],
      [['list', '--format', 'xml'], '--format must be table, json, ndjson or csv, not "xml".'],
    ] as const) {
      const e = failure([...argv]);
      expect([e.exitCode, e.message]).toEqual([2, message]);
    }
    expect(failure(['delete', '--expired', '--older-than', 'a while']).message).toMatch(
      /^--older-than needs a duration like 30d/,
    );
  });
});
