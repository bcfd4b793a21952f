import { CliError, EXIT, isCliError } from '../cli-error.js';
import type { CliArgs, CliCommand } from './args.js';
import type { Connected } from './connection.js';
import { readEnv, type TuiEnv } from './env.js';
import { parseFlags } from './flags.js';
import { type CliIo, readAll } from './io.js';
import { USAGE } from './usage.js';

// Each handler imports what its command needs when it runs, and `--help` and `--version` are
// answered from the flags alone: they load no core, client or zod, and `list` no Ink or React.

/** What a run does: a command of the command line, the usage text, or the interactive browser. */
export type Run = CliCommand | { name: 'help' } | { name: 'version' } | { name: 'interactive' };

/** What every command is given. */
export interface RunContext {
  args: CliArgs;
  env: TuiEnv;
  io: CliIo;
  /**
   * The store of this run (flags, environment, profile; may ask for the password). Called by the
   * commands that talk to the store, after the checks that need no store.
   */
  connect: (plain?: boolean) => Promise<Connected>;
}

type Handler<R extends Run> = (run: R, ctx: RunContext) => Promise<number>;

type ReadCommand = Extract<CliCommand, { name: 'list' | 'get' | 'items' }>;

async function read(command: ReadCommand, { args, io, connect }: RunContext): Promise<number> {
  const { url, sessions } = await connect(true);
  const { describeError } = await import('../errors.js');
  const [{ runReadCommand }, { streamSink }] = await Promise.all([
    import('./read-commands.js'),
    import('./text-sink.js'),
  ]);
  try {
    await runReadCommand(command, sessions, streamSink(io.stdout), { json: args.json, now: Date.now() });
    return EXIT.ok;
  } catch (e) {
    throw describeError(e, { url, cartKey: command.name === 'list' ? undefined : command.cartKey });
  }
}

async function deleteCommand(
  command: Extract<CliCommand, { name: 'delete' }>,
  { args, io, connect }: RunContext,
): Promise<number> {
  if (args.readOnly) throw new CliError('--read-only: deleting is disabled.', EXIT.usage);
  if (!args.yes && !command.dryRun) {
    const what = command.target.kind === 'keys' ? command.target.keys.join(' ') : 'anything';
    throw new CliError(`Refusing to delete ${what} without --yes (or see --dry-run).`, EXIT.usage);
  }
  const { parseKeyList, runDelete } = await import('./delete-command.js');
  // Read and check the keys before connecting: a bad list deletes nothing.
  const target =
    command.target.kind === 'stdin'
      ? { kind: 'keys' as const, keys: parseKeyList(await readAll(io.stdin)) }
      : command.target;
  const { url, sessions } = await connect(true);
  const { describeError } = await import('../errors.js');
  try {
    const { out, exitCode } = await runDelete(target, sessions, {
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

function printHelp(io: CliIo): number {
  io.stdout.write(`${USAGE}\n`);
  return EXIT.ok;
}

async function printVersion(io: CliIo): Promise<number> {
  const { tuiVersion } = await import('./version.js');
  io.stdout.write(`${tuiVersion()}\n`);
  return EXIT.ok;
}

/** The one place a run meets the code that does it. */
const HANDLERS: { [N in Run['name']]: Handler<Extract<Run, { name: N }>> } = {
  help: async (_, { io }) => printHelp(io),
  version: async (_, { io }) => printVersion(io),
  interactive: async (_, { args, env, io, connect }) => {
    const { runInteractiveCli } = await import('./interactive.js');
    return runInteractiveCli(
      await connect(),
      { readOnly: args.readOnly, watch: args.watch, color: !(args.noColor || env.noColor) },
      io,
    );
  },
  list: read,
  get: read,
  items: read,
  delete: deleteCommand,
  profiles: async (command, { args, io, env }) => {
    const { runProfiles } = await import('./profile-commands.js');
    io.stdout.write(await runProfiles(command, args, io, env.configDir));
    return EXIT.ok;
  },
};

/**
 * What the command line asks for: --help, then --version, win over any command; without a command,
 * the browser on a terminal and the table of `list` for a script.
 */
export function runOf(args: CliArgs, io: Pick<CliIo, 'stdout' | 'stdin'>): Run {
  if (args.help) return { name: 'help' };
  if (args.version) return { name: 'version' };
  if (args.command !== null) return args.command;
  if (io.stdout.isTTY === true && io.stdin.isTTY === true) return { name: 'interactive' };
  return { name: 'list', format: 'table' };
}

function dispatch<R extends Run>(run: R, ctx: RunContext): Promise<number> {
  const handler = HANDLERS[run.name as R['name']] as unknown as Handler<R>;
  return handler(run, ctx);
}

/**
 * `-p/--password` stays for scripts that need it, but its value is readable by every local user (ps,
 * /proc) and kept in shell history: say so, and what to use instead, in one stderr line.
 */
function warnIfPasswordFlag(args: CliArgs, io: CliIo): void {
  if (args.password === undefined) return;
  const instead =
    args.command?.name === 'profiles'
      ? 'pipe it in with --password-stdin, or leave it out to be asked for it without echo'
      : 'leave it out to be asked for it without echo, or use COCART_PASSWORD or a saved profile (profiles add)';
  io.stderr.write(
    `cocart-sessions: warning: --password shows the password to every local user (ps, /proc) and keeps it in shell history; ${instead}.\n`,
  );
}

/** Runs the CLI and resolves with the process exit code; a failure is one line on stderr. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    // --help and --version win over anything else on the command line, without reading the rest.
    const { values } = parseFlags(argv);
    if (values.help) return printHelp(io);
    if (values.version) return await printVersion(io);
    const { parseCliArgs } = await import('./args.js');
    const args = parseCliArgs(argv);
    warnIfPasswordFlag(args, io);
    const env = readEnv(io.env);
    const connect = async (plain?: boolean): Promise<Connected> =>
      (await import('./connection.js')).connect(args, env, io, plain);
    return await dispatch(runOf(args, io), { args, env, io, connect });
  } catch (e) {
    const err = isCliError(e) ? e : (await import('../errors.js')).describeError(e);
    io.stderr.write(`cocart-sessions: ${err.message}\n`);
    return err.exitCode;
  }
}
