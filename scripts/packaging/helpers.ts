import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { repoRoot } from './pack.js';

const execFileAsync = promisify(execFile);

export const SEED_CART = join(repoRoot, 'fixtures/session-cart.json');
const SEED_LIST = join(repoRoot, 'fixtures/sessions-list.json');
export const ADMIN = { username: 'admin', password: 'packaging-test-pw' };
/** The seed: carts 1 (the cart of session-cart.json, total £207.00), afa399e… and 8f36f08…. */
export const SEED_KEYS = ['1', '8f36f08beca94f2b51faedcb7c6864b8', 'afa399e3a0647fe660438409d9ad7eb9'];

/** The seed's sessions as JSON Lines for `cocart-sessions-server import`, each holding the seed cart. */
export function seedJsonLines(): string {
  const cart = JSON.parse(readFileSync(SEED_CART, 'utf8'));
  const list = JSON.parse(readFileSync(SEED_LIST, 'utf8')) as Array<{
    cart_key: string;
    cart_source: string;
  }>;
  const now = Math.floor(Date.now() / 1000);
  const keys = new Set([cart.cart_key as string, ...list.map((s) => s.cart_key)]);
  return [...keys]
    .map((key) =>
      JSON.stringify({
        cart_key: key,
        cart_source: list.find((s) => s.cart_key === key)?.cart_source ?? 'woocommerce',
        cart_created: now - 3600,
        cart_expiry: now + 7 * 86_400,
        cart: { ...cart, cart_key: key },
      }),
    )
    .join('\n');
}

/**
 * The environment for commands run as an outside npm user would: without the npm_config_* and pnpm
 * variables that `pnpm` sets for its children, which would steer npm (registry, user agent, prefix).
 */
export function outsideEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|VITEST|TEST$|NODE_OPTIONS$|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...extra };
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit throws with both outputs in the message. */
export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd: options.cwd,
      env: options.env ?? outsideEnv(),
      timeout: options.timeout ?? 120_000,
      maxBuffer: 32 * 1024 * 1024,
      encoding: 'utf8',
    });
    return { stdout, stderr };
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string; code?: unknown };
    throw new Error(
      `${command} ${args.join(' ')} failed (${String(e.code)}):\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`,
    );
  }
}

export interface Started {
  child: ChildProcess;
  /** The first capture group of `ready` in the output, e.g. the URL. */
  match: string;
  output: () => string;
  /**
   * SIGTERM to the whole process group, as a terminal's Ctrl-C reaches npx and the server it runs
   * alike (a signal to npx alone leaves its child running); then the leader's exit code (null when
   * a signal ended it) and whether any process of the group outlived it for 10 s (then killed).
   */
  stop: () => Promise<{ code: number | null; survivors: boolean }>;
}

/** Starts a long-running command and waits until its output matches `ready`. */
export async function start(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; ready: RegExp; timeout?: number },
): Promise<Started> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? outsideEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = once(child, 'exit');
  const match = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${command} ${args.join(' ')} not ready after ${options.timeout ?? 60_000} ms:\n${output}`),
      );
    }, options.timeout ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = options.ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    match,
    output: () => output,
    stop: async () => {
      const group = -(child.pid ?? 0);
      signalGroup(group, 'SIGTERM');
      const [code] = (await exited) as [number | null];
      const deadline = Date.now() + 10_000;
      while (signalGroup(group, 0) && Date.now() < deadline) await sleep(100);
      const survivors = signalGroup(group, 0);
      if (survivors) signalGroup(group, 'SIGKILL');
      return { code, survivors };
    },
  };
}

/** Sends a signal to a process group; false when no process of it is left. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(group, signal);
    return true;
  } catch {
    return false;
  }
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** A port free on 127.0.0.1 now, for a program that cannot listen on port 0 and tell which it got. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
