import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@cocart-sessions/core';
import { addUser, createApiKey, revokeApiKey, setPassword } from './auth/accounts.js';
import { CONFIG_FLAGS, ConfigError, parseConfig, type ServerConfig } from './config.js';
import { seedDemoSessions } from './demo/seed.js';
import { createLogger, type Logger } from './logger.js';
import { prepareStore, printBanner, runServer } from './server.js';
import { SIMULATE_USAGE } from './simulate/simulate-options.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { exportSessions, importSessions } from './transfer/index.js';
import { isServeWorker, runWorkers } from './workers.js';

const USAGE = `Usage: cocart-sessions-server <command> [options]

Commands:
  serve [--host H] [--port N] [--list-format v3|v4] [--seed-demo N] [--public-url URL] [--log-level L]
        [--trust-proxy T] [--workers N|auto] [--drain-delay S]
  users add <login> --role administrator|shop_manager|customer [--email E] [--password P]
                                       (password read from stdin when not given: prefer it,
                                       --password is visible to other local users in ps)
  users list
  users remove <login>
  users set-password <login> [--password P]  (password read from stdin when not given)
  users set-role <login> administrator|shop_manager|customer
  keys create <login> [--description D]  prints a new ck_/cs_ pair once
  keys list
  keys revoke <ck_... | key ending>
  seed --count N [--seed S]
  import <file | ->                      JSON Lines, one session a line
  export [file | -]
  cleanup                                deletes expired sessions
${SIMULATE_USAGE}

Every command but simulate takes --db <url>: sqlite:<path> (a bare path works too) or postgres://...
(default: DATABASE_URL, else sqlite:./data/cocart-sessions.sqlite).`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Out = { out: (s: string) => void; err: (s: string) => void };

const STRING = { type: 'string' } as const;

function parse<O extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(
  args: string[],
  options: O,
  positionals: { min: number; max: number; names: string },
) {
  let parsed: ReturnType<
    typeof parseArgs<{
      args: string[];
      options: O & { db: typeof STRING };
      allowPositionals: true;
      strict: true;
    }>
  >;
  try {
    parsed = parseArgs({ args, options: { ...options, db: STRING }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max) {
    throw new UsageError(
      n < positionals.min
        ? `Missing ${positionals.names}.`
        : `Unexpected argument: ${parsed.positionals[positionals.max]}`,
    );
  }
  return parsed;
}

function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}".`);
  }
  return Number(value);
}

/** Opens the database that `--db` or the environment names (the one configuration parse), for one command. */
async function withStore<T>(db: string | undefined, fn: (s: Store) => Promise<T>): Promise<T> {
  const config = parseConfig({ env: process.env, flags: { db } });
  const store = await openStore(config.databaseUrl);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    // readline edits the line in raw mode (the terminal echoes nothing) and writes its echo to a sink.
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const rl = createInterface({ input: process.stdin, output: sink, terminal: true });
    process.stderr.write('Password: ');
    const answer = await new Promise<string>((resolve) => {
      rl.question('', resolve);
      rl.once('close', () => resolve(''));
    });
    rl.close();
    process.stderr.write('\n');
    return answer;
  }
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

/** A password on the command line is visible to other local users: say so, recommend stdin. */
function warnPasswordFlag(password: string | undefined, sub: string, io: Out): void {
  if (password === undefined) return;
  io.err(
    `Warning: a password given with --password is visible to every local user (ps, /proc) and may stay in your shell history; give it on stdin instead (printf %s "$PASSWORD" | cocart-sessions-server users ${sub} ...).`,
  );
}

async function usersCommand(args: string[], io: Out): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values, positionals } = parse(
      rest,
      { role: STRING, email: STRING, password: STRING },
      { min: 1, max: 1, names: '<login>' },
    );
    const role = values.role as Role | undefined;
    if (role === undefined || !ROLES.includes(role))
      throw new UsageError(`--role must be one of ${ROLES.join(', ')}.`);
    warnPasswordFlag(values.password, 'add', io);
    const password = values.password ?? (await readPasswordFromStdin());
    if (password === '') throw new UsageError('A password is required (--password or stdin).');
    const login = positionals[0]!;
    await withStore(values.db, (s) =>
      addUser(s.accounts, {
        login,
        role,
        password,
        ...(values.email !== undefined && { email: values.email }),
      }),
    );
    io.out(`Added ${role} "${login}".`);
    return 0;
  }
  if (sub === 'list') {
    const { values } = parse(rest, {}, { min: 0, max: 0, names: '' });
    const users = await withStore(values.db, (s) => s.accounts.listUsers());
    for (const u of users) io.out(`${u.login}\t${u.role}\t${u.email}`);
    if (users.length === 0) io.err('No users.');
    return 0;
  }
  if (sub === 'remove') {
    const { values, positionals } = parse(rest, {}, { min: 1, max: 1, names: '<login>' });
    const removed = await withStore(values.db, (s) => s.accounts.removeUser(positionals[0]!));
    if (!removed) {
      io.err(`No user "${positionals[0]}".`);
      return 1;
    }
    io.out(`Removed "${positionals[0]}".`);
    return 0;
  }
  if (sub === 'set-password') {
    const { values, positionals } = parse(rest, { password: STRING }, { min: 1, max: 1, names: '<login>' });
    warnPasswordFlag(values.password, 'set-password', io);
    const password = values.password ?? (await readPasswordFromStdin());
    if (password === '') throw new UsageError('A password is required (--password or stdin).');
    const login = positionals[0]!;
    const user = await withStore(values.db, (s) => setPassword(s.accounts, login, password));
    if (user === undefined) {
      io.err(`No user "${login}".`);
      return 1;
    }
    io.out(`Changed the password of "${login}".`);
    return 0;
  }
  if (sub === 'set-role') {
    const { values, positionals } = parse(rest, {}, { min: 2, max: 2, names: '<login> <role>' });
    const [login, role] = positionals as [string, Role];
    if (!ROLES.includes(role)) throw new UsageError(`<role> must be one of ${ROLES.join(', ')}.`);
    const user = await withStore(values.db, (s) => s.accounts.updateUser(login, { role }));
    if (user === undefined) {
      io.err(`No user "${login}".`);
      return 1;
    }
    io.out(`"${login}" is now ${role}.`);
    return 0;
  }
  throw new UsageError(
    sub === undefined
      ? 'Missing users subcommand (add, list, remove, set-password, set-role).'
      : `Unknown users subcommand: ${sub}`,
  );
}

async function keysCommand(args: string[], io: Out): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { values, positionals } = parse(
      rest,
      { description: STRING },
      { min: 1, max: 1, names: '<login>' },
    );
    const login = positionals[0]!;
    const pair = await withStore(values.db, async (s) => {
      if ((await s.accounts.findUser(login)) === undefined) return undefined;
      return createApiKey(s.accounts, login, values.description ?? '');
    });
    if (pair === undefined) {
      io.err(`No user "${login}".`);
      return 1;
    }
    io.out(`consumer_key=${pair.consumerKey}`);
    io.out(`consumer_secret=${pair.consumerSecret}`);
    io.err('Keep the secret now: it is stored only as a hash and cannot be shown again.');
    return 0;
  }
  if (sub === 'list') {
    const { values } = parse(rest, {}, { min: 0, max: 0, names: '' });
    const rows = await withStore(values.db, async (s) => {
      const users = new Map((await s.accounts.listUsers()).map((u) => [u.id, u.login]));
      return (await s.accounts.listApiKeys()).map(
        (k) =>
          `...${k.consumerKeyEnding}\t${users.get(k.userId) ?? k.userId}\t${new Date(k.createdAt * 1000).toISOString()}\t${k.description}`,
      );
    });
    for (const r of rows) io.out(r);
    if (rows.length === 0) io.err('No API keys.');
    return 0;
  }
  if (sub === 'revoke') {
    const { values, positionals } = parse(rest, {}, { min: 1, max: 1, names: '<ck_... or key ending>' });
    const given = positionals[0]!;
    const revoked = await withStore(values.db, (s) => revokeApiKey(s.accounts, given));
    if (!revoked) {
      io.err(`No API key matches "${given}".`);
      return 1;
    }
    io.out('Revoked.');
    return 0;
  }
  throw new UsageError(
    sub === undefined ? 'Missing keys subcommand (create, list, revoke).' : `Unknown keys subcommand: ${sub}`,
  );
}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

/** `serve`: flags and environment in one parse, then the composition root until SIGTERM/SIGINT. */
async function serveCommand(args: string[], io: Out): Promise<number> {
  // Every configuration flag, as config.ts names them; parseConfig checks their values.
  const flags = Object.fromEntries(CONFIG_FLAGS.map((f) => [f, STRING]));
  const { values } = parse(args, flags, { min: 0, max: 0, names: '' });
  const config = parseConfig({ env: process.env, flags: values as Record<string, string | undefined> });
  const worker = isServeWorker();
  const logger = createLogger({
    level: config.logLevel,
    ...(worker && { base: { pid: process.pid } }),
  });
  if (config.workers > 1 && !worker) return servePrimary(config, io, logger);
  const running = await runServer(config, { print: io.out, generateAdmin: true, logger, worker });
  const signal = await stopSignal();
  // Not ready any more (a load balancer stops sending), still serving for the drain delay.
  running.drain();
  logger.info('draining', { signal, delaySeconds: config.drainDelay });
  if (config.drainDelay > 0) await new Promise((r) => setTimeout(r, config.drainDelay * 1000));
  // Connections just accepted may still be carrying their request: give them a moment.
  await running.close(250);
  logger.info('stopped');
  // A worker's channel to the primary would keep it alive.
  if (worker) process.disconnect?.();
  return 0;
}

/** `serve --workers N`: the administrator and demo data once, then N workers on one port until SIGTERM. */
async function servePrimary(config: ServerConfig, io: Out, logger: Logger): Promise<number> {
  const { store, admin } = await prepareStore(config, { print: io.out, generateAdmin: true }, logger);
  const kind = store.kind;
  await store.close();
  await runWorkers({
    count: config.workers,
    logger,
    stopSignal: stopSignal(),
    onListening: (url) => {
      printBanner(io.out, url, config, kind, admin);
      io.out(`  ${config.workers} worker processes`);
    },
  });
  return 0;
}

/**
 * `simulate`: shopper traffic through a running server's cart API until the duration passes or a
 * signal comes; a second SIGINT ends the process at once.
 */
async function simulateCommand(args: string[], io: Out): Promise<number> {
  // Loaded here: the client and the simulation are for this command only.
  const { parseSimulateArgs, runSimulation, SimulateUsageError, SimulationError } = await import(
    './simulate/index.js'
  );
  let options: ReturnType<typeof parseSimulateArgs>;
  try {
    options = parseSimulateArgs(args);
  } catch (e) {
    if (e instanceof SimulateUsageError) throw new UsageError(e.message);
    throw e;
  }
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    io.err('Stopping: waiting for the requests in flight (Ctrl-C again to quit now)...');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runSimulation(options, io, stop.signal);
    return 0;
  } catch (e) {
    if (e instanceof SimulationError) {
      io.err(`Error: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(
  argv: string[],
  io: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) },
): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    switch (command) {
      case 'serve':
        return await serveCommand(args, io);
      case 'users':
        return await usersCommand(args, io);
      case 'keys':
        return await keysCommand(args, io);
      case 'simulate':
        return await simulateCommand(args, io);
      case 'seed': {
        const { values } = parse(args, { count: STRING, seed: STRING }, { min: 0, max: 0, names: '' });
        const count = intOption('count', values.count, 1, 10_000_000);
        if (count === undefined) throw new UsageError('--count N is required.');
        const seed = intOption('seed', values.seed, 0, 2 ** 31 - 1) ?? 1;
        const n = await withStore(values.db, (s) => seedDemoSessions(s.sessions, { count, seed }));
        io.out(`Seeded ${n} sessions.`);
        return 0;
      }
      case 'import': {
        const { values, positionals } = parse(args, {}, { min: 1, max: 1, names: '<file> (or - for stdin)' });
        const file = positionals[0]!;
        // The stream itself, not readline: a paused stream keeps its data until the store is open
        // (readline would emit lines into the void while PostgreSQL connects).
        const input = file === '-' ? process.stdin : createReadStream(file);
        const result = await withStore(values.db, (s) => importSessions(s.sessions, input));
        for (const e of result.errors) io.err(`line ${e.line}: ${e.message}`);
        io.out(
          `Imported ${result.imported} sessions${result.errors.length > 0 ? `, ${result.errors.length} lines rejected` : ''}.`,
        );
        return result.errors.length > 0 ? 1 : 0;
      }
      case 'export': {
        const { values, positionals } = parse(args, {}, { min: 0, max: 1, names: '' });
        const file = positionals[0];
        const output =
          file === undefined || file === '-'
            ? new Writable({
                write: (chunk, _enc, cb) =>
                  process.stdout.write(chunk) ? cb() : process.stdout.once('drain', () => cb()),
              })
            : createWriteStream(file);
        await withStore(values.db, async (s) => {
          await pipeline(async function* () {
            for await (const line of exportSessions(s.sessions))
              yield line.endsWith('\n') ? line : `${line}\n`;
          }, output);
        });
        return 0;
      }
      case 'cleanup': {
        const { values } = parse(args, {}, { min: 0, max: 0, names: '' });
        const removed = await withStore(values.db, (s) =>
          s.sessions.deleteExpired(Math.floor(Date.now() / 1000)),
        );
        io.out(`Removed ${removed} expired sessions.`);
        return 0;
      }
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e instanceof ConfigError && e.fromFlags)) {
      io.err(`Error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`Error: ${(e as Error).message}`);
    return 1;
  }
}
