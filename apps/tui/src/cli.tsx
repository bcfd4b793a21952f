#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type ClientAuth, createClient } from '@cocart-sessions/client';
import { isCartKey } from '@cocart-sessions/core';
import { parseKeyList, readAll, runDelete } from './cli/delete-command.js';
import { preferProductionReact, readEnv, type TuiEnv } from './cli/env.js';
import { promptPassword } from './cli/password-prompt.js';
import { runProfiles } from './cli/profile-commands.js';
import { type Profile, selectProfile } from './cli/profiles.js';
import { type CliCommand, runCommand } from './cli/read-commands.js';
import { CliError, describeError, EXIT } from './errors.js';
import { LIST_FORMATS, type ListFormat, parseFields, SESSION_FIELDS } from './format/export.js';
import { parseDuration, SESSION_STATUSES, type SessionStatus } from './format/time.js';
import type { PlainClientOptions } from './list-feed/protocol.js';

/** Text of `cocart-sessions --help`. */
export const USAGE = `Usage: cocart-sessions [command] [options]

Browse the carts in session of a CoCart store (interactive when run in a terminal).

Commands (non-interactive; also used when stdout is not a terminal):
  list                      all sessions
    --status <s>            only active, expiring (within 6 hours) or expired sessions
    --format <f>            table (default), json, ndjson or csv (RFC 4180, header row, UTF-8)
    --fields <a,b,...>      fields to print, among:
                            ${SESSION_FIELDS.slice(0, 4).join(', ')},
                            ${SESSION_FIELDS.slice(4).join(', ')}
  get <cart_key>            one cart: addresses, items, coupons, shipping, totals
  items <cart_key>          the items of a cart
  delete <cart_key>... --yes
                            delete carts (4 at a time; already gone counts as deleted)
  delete - --yes            delete the keys read from stdin, one per line
  delete --expired [--older-than 30d] --yes
                            delete every expired cart (expired at least 30d, 12h... ago)
    --dry-run               print what would be deleted and delete nothing
  profiles add <name> --url <url> (--user <login> | --consumer-key <ck>)
                            [--default] [--password-stdin]
                            save a connection (the secret is asked without echo,
                            or read from stdin with --password-stdin)
  profiles list | remove <name> | default <name>

Options:
  --profile <name>          saved connection to use (COCART_PROFILE; else the default profile)
  --url <url>               store URL (COCART_URL)
  -u, --user <name>         username or email (COCART_USERNAME)
  -p, --password <pw>       password (COCART_PASSWORD; asked for without echo when missing)
  --consumer-key <ck>       WooCommerce API key (COCART_CONSUMER_KEY)
  --consumer-secret <cs>    WooCommerce API secret (COCART_CONSUMER_SECRET)
  --json                    machine-readable output (list: same as --format json)
  -y, --yes                 confirm delete
  --read-only               hide and refuse every destructive action
  --watch <seconds>         auto-refresh the list every <seconds>
  --no-color                no colours (also NO_COLOR)
  -h, --help                this help

Flags and environment variables win over the fields of a profile. Profiles are kept in
$XDG_CONFIG_HOME/cocart-sessions/profiles.json (default ~/.config/cocart-sessions/), mode 600.

Exit codes: 0 ok, 1 other failure, 2 usage, 3 authentication (401/403), 4 not found, 5 network.`;

/** Parsed command line. */
export interface CliArgs {
  command: CliCommand | null;
  profile?: string;
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

const usage = (message: string) => new CliError(`${message}\n\n${USAGE}`, EXIT.usage);
/** Bad input the message alone explains: one line, exit 2, no usage text after it. */
const badInput = (message: string) => new CliError(message, EXIT.usage);

/** Options that belong to one command only: given elsewhere they are a usage error. */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  status: ['list'],
  format: ['list'],
  fields: ['list'],
  expired: ['delete'],
  'older-than': ['delete'],
  'dry-run': ['delete'],
  default: ['profiles'],
  'password-stdin': ['profiles'],
};

function cartKeyArg(key: string | undefined, name: string): string {
  if (key === undefined) throw usage(`${name} needs a cart key.`);
  if (!isCartKey(key)) {
    throw badInput(`"${key}" is not a cart key (1 to 42 letters, digits or underscores).`);
  }
  return key;
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
        profile: { type: 'string' },
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
        status: { type: 'string' },
        format: { type: 'string' },
        fields: { type: 'string' },
        expired: { type: 'boolean', default: false },
        'older-than': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        default: { type: 'boolean', default: false },
        'password-stdin': { type: 'boolean', default: false },
      },
    });
  }
  try {
    parsed = parse();
  } catch (e) {
    throw usage(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  const [name, ...operands] = positionals;
  for (const [option, commands] of Object.entries(COMMAND_OPTIONS)) {
    const value = values[option as keyof typeof values];
    if (value !== undefined && value !== false && !commands.includes(name ?? '')) {
      throw usage(`--${option} goes with ${commands.map((c) => `"${c}"`).join(' or ')} only.`);
    }
  }
  const noMore = (from: number) => {
    if (operands.length > from) throw usage(`Unexpected argument "${operands[from]}".`);
  };
  let command: CliCommand | null = null;
  if (name === 'list') {
    noMore(0);
    const status = values.status;
    if (status !== undefined && !(SESSION_STATUSES as readonly string[]).includes(status)) {
      throw new CliError(`--status must be active, expiring or expired, not "${status}".`, EXIT.usage);
    }
    const format = values.format ?? (values.json ? 'json' : 'table');
    if (!(LIST_FORMATS as readonly string[]).includes(format)) {
      throw new CliError(`--format must be table, json, ndjson or csv, not "${format}".`, EXIT.usage);
    }
    if (values.json && format !== 'json') throw usage(`--json and --format ${format} disagree.`);
    command = {
      name: 'list',
      format: format as ListFormat,
      ...(values.fields !== undefined ? { fields: parseFields(values.fields) } : {}),
      ...(status !== undefined ? { status: status as SessionStatus } : {}),
    };
  } else if (name === 'get' || name === 'items') {
    noMore(1);
    command = { name, cartKey: cartKeyArg(operands[0], name) };
  } else if (name === 'delete') {
    const olderThan = values['older-than'];
    if (values.expired) {
      if (operands.length > 0) throw badInput('delete --expired takes no cart keys: give one or the other.');
      let olderThanMs = 0;
      if (olderThan !== undefined) {
        const ms = parseDuration(olderThan);
        if (ms === undefined) {
          throw badInput(`--older-than needs a duration like 30d, 12h, 45m, 2w or 90s, not "${olderThan}".`);
        }
        olderThanMs = ms;
      }
      command = { name, target: { kind: 'expired', olderThanMs }, dryRun: values['dry-run'] };
    } else {
      if (olderThan !== undefined) throw badInput('--older-than goes with delete --expired.');
      if (operands.length === 0) throw badInput('delete needs cart keys, - (keys on stdin) or --expired.');
      if (operands.includes('-')) {
        if (operands.length > 1) throw badInput('delete - reads every key from stdin: give no other key.');
        command = { name, target: { kind: 'stdin' }, dryRun: values['dry-run'] };
      } else {
        const keys = [...new Set(operands.map((k) => cartKeyArg(k, name)))];
        command = { name, target: { kind: 'keys', keys }, dryRun: values['dry-run'] };
      }
    }
  } else if (name === 'profiles') {
    const [action, profileName] = operands;
    if (action === 'list') {
      noMore(1);
      command = { name, action };
    } else if (action === 'add' || action === 'remove' || action === 'default') {
      noMore(2);
      if (profileName === undefined) throw usage(`profiles ${action} needs a profile name.`);
      if (action !== 'add' && (values.default || values['password-stdin'])) {
        throw usage(`--default and --password-stdin go with profiles add.`);
      }
      command =
        action === 'add'
          ? {
              name,
              action,
              profile: profileName,
              makeDefault: values.default,
              passwordStdin: values['password-stdin'],
            }
          : { name, action, profile: profileName };
    } else {
      throw usage(
        action === undefined
          ? 'profiles needs add, list, remove or default.'
          : `Unknown profiles command "${action}".`,
      );
    }
  } else if (name !== undefined) {
    throw usage(`Unknown command "${name}".`);
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
    profile: values.profile,
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

/** Where to connect and as whom: flags, then the environment, then the profile, field by field. */
interface Connection {
  url: string | undefined;
  user?: string;
  password?: string;
  consumerKey?: string;
  consumerSecret?: string;
}

/**
 * Flags win over the environment, which wins over the profile. A login given by flag or environment
 * (a user or an API key) replaces the profile's login and its secret as a whole.
 */
function connectionOf(args: CliArgs, env: TuiEnv, profile: Profile | undefined): Connection {
  const user = args.user ?? env.username;
  const consumerKey = args.consumerKey ?? env.consumerKey;
  const consumerSecret = args.consumerSecret ?? env.consumerSecret;
  const password = args.password ?? env.password;
  const url = args.url ?? env.url ?? profile?.url;
  if (user !== undefined || consumerKey !== undefined || consumerSecret !== undefined || !profile) {
    return { url, user, password, consumerKey, consumerSecret };
  }
  return {
    url,
    user: profile.user,
    password: profile.user !== undefined ? (password ?? profile.password) : undefined,
    consumerKey: profile.consumer_key,
    consumerSecret: profile.consumer_key !== undefined ? profile.consumer_secret : undefined,
  };
}

async function resolveAuth(conn: Connection, io: CliIo): Promise<ClientAuth | undefined> {
  const { consumerKey, consumerSecret, user } = conn;
  if (consumerKey !== undefined || consumerSecret !== undefined) {
    if (consumerKey === undefined || consumerSecret === undefined) {
      throw new CliError('An API key needs both --consumer-key and --consumer-secret.', EXIT.usage);
    }
    return { consumerKey, consumerSecret };
  }
  if (user === undefined) return undefined;
  let password = conn.password;
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
    if (args.command?.name === 'profiles') {
      io.stdout.write(await runProfiles(args.command, args, io, env.configDir));
      return EXIT.ok;
    }
    const command = args.command ?? { name: 'list' as const, format: 'table' as const };
    if (command.name === 'delete') {
      if (args.readOnly) throw new CliError('--read-only: deleting is disabled.', EXIT.usage);
      if (!args.yes && !command.dryRun) {
        const what = command.target.kind === 'keys' ? command.target.keys.join(' ') : 'anything';
        throw new CliError(`Refusing to delete ${what} without --yes (or see --dry-run).`, EXIT.usage);
      }
    }
    // Read and check the keys before connecting: a bad list deletes nothing.
    const target =
      command.name === 'delete' && command.target.kind === 'stdin'
        ? { kind: 'keys' as const, keys: parseKeyList(await readAll(io.stdin)) }
        : command.name === 'delete'
          ? command.target
          : undefined;
    // The profiles file is read only when it can matter: a profile is named, or no URL is given.
    const profileName = args.profile ?? env.profile;
    const profile =
      profileName !== undefined || (args.url ?? env.url) === undefined
        ? selectProfile(env.configDir, profileName)?.profile
        : undefined;
    const conn = connectionOf(args, env, profile);
    const url = conn.url;
    if (url === undefined) {
      throw usage('No store URL: pass --url, set COCART_URL, or save a profile (profiles add).');
    }
    try {
      new URL(url);
    } catch {
      throw new CliError(`"${url}" is not a URL (expected e.g. http://127.0.0.1:8080).`, EXIT.usage);
    }
    const auth = await resolveAuth(conn, io);
    // A full list of 100k sessions takes a few seconds to stream; the default 10 s is too tight.
    const clientOptions: PlainClientOptions = { url, auth, timeout: 60_000 };
    const client = createClient(clientOptions);
    const interactive = args.command === null && io.stdout.isTTY === true && io.stdin.isTTY === true;
    if (interactive) {
      preferProductionReact(io.env);
      // The full list is fetched, parsed and compared in a worker thread with a client of its own,
      // started first so that it is ready by the time the first page is on screen.
      const [{ startListWorker }, { FIRST_PAGE_QUERY }] = await Promise.all([
        import('./list-feed/worker-feed.js'),
        import('./list-feed/list-feed.js'),
      ]);
      const listFeed = startListWorker({ client: clientOptions, url });
      // The first page is asked for now, while React and Ink load; the App reports its failure.
      const firstPage = client.sessions.page(FIRST_PAGE_QUERY);
      firstPage.catch(() => {});
      try {
        // Loaded only now, so scripts never pay for React and Ink, and NODE_ENV is set before React loads.
        const { runInteractive } = await import('./ui/render.js');
        return await runInteractive(
          {
            source: client.sessions,
            listFeed,
            firstPage,
            url,
            readOnly: args.readOnly,
            watch: args.watch,
            color: !(args.noColor || env.noColor),
            exportDir: process.cwd(),
          },
          { stdout: io.stdout, stdin: io.stdin, stderr: io.stderr },
        );
      } finally {
        await listFeed.close();
      }
    }
    if (command.name === 'delete' && target !== undefined && target.kind !== 'stdin') {
      try {
        const { out, exitCode } = await runDelete(target, client.sessions, {
          json: args.json,
          dryRun: command.dryRun,
          now: Date.now(),
          url,
        });
        io.stdout.write(out);
        return exitCode;
      } catch (e) {
        throw describeError(e, { url });
      }
    }
    if (command.name === 'delete') throw new CliError('Nothing to delete.', EXIT.usage);
    const cartKey = command.name === 'list' ? undefined : command.cartKey;
    try {
      io.stdout.write(await runCommand(command, client.sessions, { json: args.json, now: Date.now() }));
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
  // V8 keeps the code it compiles for what loads from here on (Ink, React, the screens) in the OS temp
  // directory, so later launches skip compiling it: the first rows come that much sooner.
  enableCompileCache();
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
