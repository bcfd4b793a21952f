import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { startServer } from '../src/server.js';

function problemsOf(fn: () => unknown): { problems: string[]; fromFlags: boolean } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return { problems: e.problems, fromFlags: e.fromFlags };
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig: one parse for environment, flags and options', () => {
  it('checks a value the same way whether it comes from the environment, a flag or an option', () => {
    const env = problemsOf(() => parseConfig({ env: { PUBLIC_URL: 'ftp://shop.example' } }));
    const flag = problemsOf(() => parseConfig({ flags: { 'public-url': 'ftp://shop.example' } }));
    const option = problemsOf(() => parseConfig({ options: { publicUrl: 'ftp://shop.example' } }));
    expect(env.problems).toHaveLength(1);
    // ftp:// is a URL: the message must name what is wrong with it.
    expect(env.problems).toEqual(['PUBLIC_URL: must be an http:// or https:// URL']);
    const message = env.problems[0]!.slice('PUBLIC_URL'.length);
    expect(flag.problems).toEqual([`--public-url${message}`]);
    expect(option.problems).toEqual([`publicUrl option${message}`]);
    expect([env.fromFlags, flag.fromFlags, option.fromFlags]).toEqual([false, true, false]);
  });

  it('lets a flag win over the environment and an option over both', () => {
    const env = { PORT: '9000', LOG_LEVEL: 'warn', PUBLIC_URL: 'https://env.example/' };
    expect(parseConfig({ env })).toMatchObject({
      port: 9000,
      logLevel: 'warn',
      publicUrl: 'https://env.example',
    });
    expect(parseConfig({ env, flags: { port: '9001', 'log-level': 'debug' } })).toMatchObject({
      port: 9001,
      logLevel: 'debug',
    });
    expect(parseConfig({ env, flags: { port: '9001' }, options: { port: 0 } }).port).toBe(0);
  });

  it('types the log level and rejects one that does not exist, naming the flag', () => {
    expect(problemsOf(() => parseConfig({ flags: { 'log-level': 'loud' } })).problems[0]).toMatch(
      /^--log-level: /,
    );
  });

  it('rejects a bad embedding option before opening anything', async () => {
    await expect(startServer({ databaseUrl: 'sqlite::memory:', port: 70_000 })).rejects.toThrow(
      /port option: expected an integer from 0 to 65535, got "70000"/,
    );
  });
});

describe('deployment settings (issue 11)', () => {
  it("reads TRUST_PROXY in Express's trust proxy grammar, false by default", () => {
    expect(parseConfig({}).trustProxy).toBe(false);
    expect(parseConfig({ env: { TRUST_PROXY: '2' } }).trustProxy).toBe(2);
    expect(parseConfig({ env: { TRUST_PROXY: 'loopback' } }).trustProxy).toBe('loopback');
    expect(parseConfig({ flags: { 'trust-proxy': ' 10.0.0.5 , 10.1.0.0/16,uniquelocal' } }).trustProxy).toBe(
      '10.0.0.5,10.1.0.0/16,uniquelocal',
    );
    const bad = problemsOf(() => parseConfig({ flags: { 'trust-proxy': 'the-proxy' } }));
    expect(bad.fromFlags).toBe(true);
    expect(bad.problems[0]).toMatch(/^--trust-proxy: expected false, a hop count, or addresses/);
  });

  it('reads WEB_CONCURRENCY as a worker count, auto as one per core, 1 by default', () => {
    expect(parseConfig({}).workers).toBe(1);
    expect(parseConfig({ env: { WEB_CONCURRENCY: '3' } }).workers).toBe(3);
    expect(parseConfig({ flags: { workers: 'auto' } }).workers).toBe(availableParallelism());
    expect(problemsOf(() => parseConfig({ flags: { workers: '0' } })).problems).toEqual([
      '--workers: expected "auto" or an integer from 1 to 256, got "0"',
    ]);
    expect(parseConfig({ env: { DRAIN_DELAY: '5' } }).drainDelay).toBe(5);
  });
});

describe('cart API settings', () => {
  it('reads CART_CREATE_LIMIT as new carts per client a minute: 120 by default, 0 for none', () => {
    expect(parseConfig({ env: {} }).cartCreateLimit).toBe(120);
    expect(parseConfig({ env: { CART_CREATE_LIMIT: '0' } }).cartCreateLimit).toBe(0);
    expect(parseConfig({ options: { cartCreateLimit: 5 } }).cartCreateLimit).toBe(5);
    expect(() => parseConfig({ env: { CART_CREATE_LIMIT: '-1' } })).toThrow(/CART_CREATE_LIMIT/);
    expect(() => parseConfig({ env: { CART_CREATE_LIMIT: 'many' } })).toThrow(/CART_CREATE_LIMIT/);
  });
});
