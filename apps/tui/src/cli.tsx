#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type ClientAuth, createClient } from '@cocart-sessions/client';
import { isCartKey } from '@cocart-sessions/core';
import { type CliCommand, runCommand } from './commands.js';
import { preferProductionReact, readEnv, type TuiEnv } from './env.js';
import { CliError, describeError, EXIT } from './errors.js';
import { promptPassword } from './password-prompt.js';

/** Text of `cocart-sessions --help`. */
export const USAGE = `Usage: cocart-sessions [command] [options]

Browse the carts in session of a CoCart store (interactive when run in a terminal).

Commands (non-interactive; also used when stdout is not a terminal):
  list                  all sessions
  get <cart_key>        one cart: addresses, items, coupons, shipping, totals
  items <cart_key>      the items of a cart
  delete <cart_key>     delete a cart (requires --yes)

Options:
  --url <url>               store URL (COCART_URL)
  -u, --user <name>         username or email (COCART_USERNAME)
  -p, --password <pw>       password (COCART_PASSWORD; asked for without echo when missing)
  --consumer-key <ck>       WooCommerce API key (COCART_CONSUMER_KEY)
  --consumer-secret <cs>    WooCommerce API secret (COCART_CONSUMER_SECRET)
  --json                    machine-readable output
  -y, --yes                 confirm delete
  --read-only               hide and refuse every destructive action
  --watch <seconds>         auto-refresh the list every <seconds>
  --no-color                no colours (also NO_COLOR)
  -h, --help                this help

Exit codes: 0 ok, 1 other failure, 2 usage, 3 authentication (401/403), 4 not found, 5 network.`;

/** Parsed command line. */
export interface CliArgs {
  command: CliCommand | null;
  url?: string;
  user?: string;
  password?: string;
  consumerKey?: string;
  consumerSecret?: string;
  json: boolean;
  yes: boolean;
  readOnly: boolean;
  watch?: number;
  noColor: boolean;
  help: boolean;
}

/** Parses argv (without node and the script); throws CliError with exit code 2 on bad usage. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        user: { type: 'string', short: 'u' },
        password: { type: 'string', short: 'p' },
        'consumer-key': { type: 'string' },
        'consumer-secret': { type: 'string' },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        'read-only': { type: 'boolean', default: false },
        watch: { type: 'string' },
        'no-color': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  }
  try {
    parsed = parse();
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`, EXIT.usage);
  }
  const { values, positionals } = parsed;
  const [name, key, ...rest] = positionals;
  let command: CliCommand | null = null;
  if (name !== undefined) {
    if (name === 'list') {
      if (key !== undefined) throw new CliError(`list takes no argument.\n\n${USAGE}`, EXIT.usage);
      command = { name: 'list' };
    } else if (name === 'get' || name === 'items' || name === 'delete') {
      if (key === undefined) throw new CliError(`${name} needs a cart key.\n\n${USAGE}`, EXIT.usage);
      if (!isCartKey(key)) {
        throw new CliError(
          `"${key}" is not a cart key (1 to 42 letters, digits or underscores).`,
          EXIT.usage,
        );
      }
      command = { name, cartKey: key };
    } else {
      throw new CliError(`Unknown command "${name}".\n\n${USAGE}`, EXIT.usage);
    }
    if (rest.length > 0) throw new CliError(`Unexpected argument "${rest[0]}".\n\n${USAGE}`, EXIT.usage);
  }
  let watch: number | undefined;
  if (values.watch !== undefined) {
    watch = Number(values.watch);
    if (!Number.isFinite(watch) || watch <= 0) {
      throw new CliError(`--watch needs a number of seconds above 0, not "${values.watch}".`, EXIT.usage);
    }
  }
  return {
    command,
    url: values.url,
    user: values.user,
    password: values.password,
    consumerKey: values['consumer-key'],
    consumerSecret: values['consumer-secret'],
    json: values.json,
    yes: values.yes,
    readOnly: values['read-only'],
    watch,
    noColor: values['no-color'],
    help: values.help,
  };
}

/** The streams and environment the CLI runs with (tests pass their own). */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

async function resolveAuth(args: CliArgs, env: TuiEnv, io: CliIo): Promise<ClientAuth | undefined> {
  const consumerKey = args.consumerKey ?? env.consumerKey;
  const consumerSecret = args.consumerSecret ?? env.consumerSecret;
  const user = args.user ?? env.username;
  if (consumerKey !== undefined || consumerSecret !== undefined) {
    if (consumerKey === undefined || consumerSecret === undefined) {
      throw new CliError('An API key needs both --consumer-key and --consumer-secret.', EXIT.usage);
    }
    return { consumerKey, consumerSecret };
  }
  if (user === undefined) return undefined;
  let password = args.password ?? env.password;
  if (password === undefined) {
    if (!io.stdin.isTTY) {
      throw new CliError(
        `No password for ${user}: set COCART_PASSWORD or pass --password (no terminal to ask on).`,
        EXIT.usage,
      );
    }
    password = await promptPassword(`Password for ${user}: `, io.stdin, io.stderr);
    if (password === undefined) throw new CliError('Cancelled.', EXIT.usage);
  }
  return { username: user, password };
}

/** Runs the CLI and resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    const env = readEnv(io.env);
    const url = args.url ?? env.url;
    if (url === undefined)
      throw new CliError(`No store URL: pass --url or set COCART_URL.\n\n${USAGE}`, EXIT.usage);
    try {
      new URL(url);
    } catch {
      throw new CliError(`"${url}" is not a URL (expected e.g. http://127.0.0.1:8080).`, EXIT.usage);
    }
    const command = args.command ?? { name: 'list' as const };
    if (command.name === 'delete') {
      if (args.readOnly) throw new CliError('--read-only: deleting is disabled.', EXIT.usage);
      if (!args.yes)
        throw new CliError(`Refusing to delete cart ${command.cartKey} without --yes.`, EXIT.usage);
    }
    const auth = await resolveAuth(args, env, io);
    // A full list of 100k sessions takes a few seconds to stream; the default 10 s is too tight.
    const client = createClient({ url, auth, timeout: 60_000 });
    const interactive = args.command === null && io.stdout.isTTY === true && io.stdin.isTTY === true;
    if (interactive) {
      preferProductionReact(io.env);
      // Loaded only now, so scripts never pay for React and Ink, and NODE_ENV is set before React loads.
      const { runInteractive } = await import('./interactive.js');
      return await runInteractive(
        {
          source: client.sessions,
          url,
          readOnly: args.readOnly,
          watch: args.watch,
          color: !(args.noColor || env.noColor),
        },
        { stdout: io.stdout, stdin: io.stdin, stderr: io.stderr },
      );
    }
    const cartKey = command.name === 'list' ? undefined : command.cartKey;
    try {
      const out = await runCommand(command, client.sessions, { json: args.json, now: Date.now() });
      io.stdout.write(`${out}\n`);
      return EXIT.ok;
    } catch (e) {
      throw describeError(e, { url, cartKey });
    }
  } catch (e) {
    const err = describeError(e);
    io.stderr.write(`cocart-sessions: ${err.message}\n`);
    return err.exitCode;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // The reader went away (`list --json | head`): stop quietly, as Unix tools do.
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  process.exitCode = code;
  // Idle keep-alive sockets and the TTY's stdin can hold the event loop open for seconds after the UI
  // is gone; writes to a TTY are synchronous, so exiting now loses nothing. Pipes drain and exit alone.
  if (process.stdout.isTTY) process.exit(code);
}
