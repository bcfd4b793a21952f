import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';
import { connect, connectionOf } from './connection.js';
import { readEnv } from './env.js';
import type { CliIo } from './io.js';
import type { Profile } from './profiles.js';
import { USAGE } from './usage.js';

const USER_PROFILE: Profile = { url: 'https://profile.example', user: 'pat', password: 'profile-pw' };
const KEY_PROFILE: Profile = {
  url: 'https://profile.example',
  consumer_key: 'ck_p',
  consumer_secret: 'cs_p',
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An XDG_CONFIG_HOME whose profiles file holds `profiles` (mode 600, as the CLI writes it), or that text. */
function configHome(profiles: unknown): string {
  const home = mkdtempSync(join(tmpdir(), 'cocart-conn-'));
  dirs.push(home);
  mkdirSync(join(home, 'cocart-sessions'));
  const text = typeof profiles === 'string' ? profiles : JSON.stringify(profiles);
  writeFileSync(join(home, 'cocart-sessions', 'profiles.json'), text, { mode: 0o600 });
  return home;
}

/** Streams with no terminal: a missing password cannot be asked for. */
const io = (): CliIo =>
  ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {} }) as never;

const connectWith = (argv: string[], env: NodeJS.ProcessEnv) =>
  connect(parseCliArgs(argv), readEnv({ HOME: '/nowhere', ...env }), io());

describe('connectionOf: flags, then the environment, then the profile', () => {
  it('takes each field from the first that has it', () => {
    const env = readEnv({ COCART_URL: 'https://env.example', COCART_PASSWORD: 'env-pw' });
    expect(connectionOf(parseCliArgs(['--url', 'https://flag.example']), env, USER_PROFILE)).toEqual({
      url: 'https://flag.example',
      user: 'pat',
      password: 'env-pw',
      consumerKey: undefined,
      consumerSecret: undefined,
    });
    expect(connectionOf(parseCliArgs([]), readEnv({}), USER_PROFILE)).toMatchObject({
      url: 'https://profile.example',
      user: 'pat',
      password: 'profile-pw',
    });
    expect(connectionOf(parseCliArgs(['-p', 'flag-pw']), env, USER_PROFILE).password).toBe('flag-pw');
  });

  it("replaces the profile's login and its secret as a whole with a login given by flag or environment", () => {
    const byFlag = connectionOf(parseCliArgs(['--user', 'ann']), readEnv({}), USER_PROFILE);
    expect(byFlag).toMatchObject({ url: 'https://profile.example', user: 'ann', password: undefined });
    const byEnv = connectionOf(parseCliArgs([]), readEnv({ COCART_CONSUMER_KEY: 'ck_e' }), USER_PROFILE);
    expect(byEnv).toMatchObject({ user: undefined, password: undefined, consumerKey: 'ck_e' });
    const secretOnly = connectionOf(parseCliArgs(['--consumer-secret', 'cs_f']), readEnv({}), KEY_PROFILE);
    expect(secretOnly).toMatchObject({ consumerKey: undefined, consumerSecret: 'cs_f' });
  });

  it("keeps a profile's API key with its own secret, and no password", () => {
    const env = readEnv({ COCART_PASSWORD: 'env-pw' });
    expect(connectionOf(parseCliArgs([]), env, KEY_PROFILE)).toEqual({
      url: 'https://profile.example',
      user: undefined,
      password: undefined,
      consumerKey: 'ck_p',
      consumerSecret: 'cs_p',
    });
  });
});

describe('connect', () => {
  it('gives the client options with the login and a timeout that fits a full list', async () => {
    const store = await connectWith(['--url', 'http://127.0.0.1:9'], {
      COCART_USERNAME: 'ann',
      COCART_PASSWORD: 'pw',
    });
    expect(store.url).toBe('http://127.0.0.1:9');
    expect(store.options).toEqual({
      url: 'http://127.0.0.1:9',
      auth: { username: 'ann', password: 'pw' },
      timeout: 60_000,
    });
    expect(typeof store.sessions.list).toBe('function');
  });

  it('uses the default profile when no URL is given, and a named one always', async () => {
    const home = configHome({ default: 'shop', profiles: { shop: KEY_PROFILE, other: USER_PROFILE } });
    const byDefault = await connectWith([], { XDG_CONFIG_HOME: home });
    expect(byDefault.options.auth).toEqual({ consumerKey: 'ck_p', consumerSecret: 'cs_p' });
    const named = await connectWith(['--url', 'https://flag.example'], {
      XDG_CONFIG_HOME: home,
      COCART_PROFILE: 'other',
    });
    expect(named.options).toMatchObject({ url: 'https://flag.example', auth: { username: 'pat' } });
  });

  it('reads the profiles file only when it can matter', async () => {
    const home = configHome('{ not json');
    await expect(
      connectWith(['--url', 'https://flag.example'], { XDG_CONFIG_HOME: home }),
    ).resolves.toBeDefined();
    await expect(connectWith([], { XDG_CONFIG_HOME: home })).rejects.toThrow('is not valid JSON');
    await expect(
      connectWith(['--url', 'https://flag.example', '--profile', 'shop'], { XDG_CONFIG_HOME: home }),
    ).rejects.toThrow('is not valid JSON');
  });

  it('refuses, with exit 2, a run it cannot connect for', async () => {
    const noUrl = connectWith([], { XDG_CONFIG_HOME: configHome({ profiles: {} }) });
    await expect(noUrl).rejects.toMatchObject({
      exitCode: 2,
      message: `No store URL: pass --url, set COCART_URL, or save a profile (profiles add).\n\n${USAGE}`,
    });
    for (const [argv, env, message] of [
      [
        ['--url', 'shop'],
        {},
        '"shop" is not an http(s) URL (expected e.g. https://shop.example or http://127.0.0.1:8080).',
      ],
      [
        ['--url', 'http://127.0.0.1:9', '--consumer-key', 'ck'],
        {},
        'An API key needs both --consumer-key and --consumer-secret.',
      ],
      [
        ['--url', 'http://127.0.0.1:9'],
        { COCART_USERNAME: 'ann' },
        'No password for ann: set COCART_PASSWORD or pass --password (no terminal to ask on).',
      ],
    ] as const) {
      await expect(connectWith([...argv], env)).rejects.toMatchObject({ exitCode: 2, message });
    }
  });
});

describe('connect: the store URL', () => {
  const login = { COCART_USERNAME: 'ann', COCART_PASSWORD: 'pw' };

  it('refuses a login over plain HTTP to a remote host before asking for a password', async () => {
    for (const env of [
      login,
      { COCART_USERNAME: 'ann' },
      { COCART_CONSUMER_KEY: 'ck', COCART_CONSUMER_SECRET: 'cs' },
    ]) {
      await expect(connectWith(['--url', 'http://shop.example:8080'], env)).rejects.toMatchObject({
        exitCode: 2,
        message:
          'Refusing to send credentials over plain HTTP to shop.example:8080: anyone on the network path could read them. Use https://, or pass --allow-insecure-http if that network is trusted (profiles add --allow-insecure-http saves the choice).',
      });
    }
    // No login, nothing to protect; https and loopback need no opt-in.
    await expect(connectWith(['--url', 'http://shop.example'], {})).resolves.toBeDefined();
    await expect(connectWith(['--url', 'https://shop.example'], login)).resolves.toBeDefined();
    await expect(connectWith(['--url', 'http://localhost:8080'], login)).resolves.toBeDefined();
  });

  it('sends it with --allow-insecure-http, or a profile saved with it, for that profile URL only', async () => {
    const byFlag = await connectWith(['--url', 'http://shop.example', '--allow-insecure-http'], login);
    expect(byFlag.options).toMatchObject({ url: 'http://shop.example', allowInsecureHttp: true });
    const home = configHome({
      default: 'lan',
      profiles: {
        lan: { url: 'http://10.0.0.5:8080', user: 'pat', password: 'pw', allow_insecure_http: true },
      },
    });
    const byProfile = await connectWith([], { XDG_CONFIG_HOME: home });
    expect(byProfile.options).toMatchObject({ url: 'http://10.0.0.5:8080', allowInsecureHttp: true });
    await expect(
      connectWith(['--url', 'http://10.0.0.6:8080'], { XDG_CONFIG_HOME: home, COCART_PROFILE: 'lan' }),
    ).rejects.toThrow('Refusing to send credentials over plain HTTP to 10.0.0.6:8080');
  });

  it('refuses a URL that holds a login, and never repeats its password', async () => {
    for (const [argv, env] of [
      [['--url', 'http://admin:s3cr3t-pw@127.0.0.1:9'], {}],
      [[], { COCART_URL: 'http://admin:s3cr3t-pw@127.0.0.1:9', ...login }],
      [['--url', 'http://admin:s3cr3t-pw@127.0.0.1:99999'], {}],
    ] as const) {
      const e = await connectWith([...argv], env).catch((error: unknown) => error);
      expect(e).toMatchObject({ exitCode: 2 });
      expect((e as Error).message).toMatch(/must not hold a login|is not an http\(s\) URL/);
      expect((e as Error).message).not.toContain('s3cr3t');
    }
  });
});
