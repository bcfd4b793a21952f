import { isCartKey } from '@cocart-sessions/core';
import { CliError, EXIT } from '../cli-error.js';
import { LIST_FORMATS, type ListFormat, parseFields, type SessionField } from '../format/fields.js';
import { parseDuration, SESSION_STATUSES, type SessionStatus } from '../format/time.js';
import { parseFlags } from './flags.js';
import { usageError } from './usage.js';

/** What `delete` deletes: keys given as arguments or on stdin, or every expired cart. */
export type DeleteTarget =
  | { kind: 'keys'; keys: string[] }
  | { kind: 'stdin' }
  /** Expired at least `olderThanMs` ago (0: expired at all). */
  | { kind: 'expired'; olderThanMs: number };

/** A profiles subcommand. */
export type ProfilesCommand =
  | { action: 'add'; profile: string; makeDefault: boolean; passwordStdin: boolean }
  | { action: 'list' }
  | { action: 'remove'; profile: string }
  | { action: 'default'; profile: string };

/** A non-interactive command of the CLI and its arguments (a key press is a `KeyAction`). */
export type CliCommand =
  | { name: 'list'; format: ListFormat; fields?: SessionField[]; status?: SessionStatus }
  | { name: 'get'; cartKey: string }
  | { name: 'items'; cartKey: string }
  | { name: 'delete'; target: DeleteTarget; dryRun: boolean }
  | ({ name: 'profiles' } & ProfilesCommand);

/** Parsed command line. */
export interface CliArgs {
  command: CliCommand | null;
  profile?: string;
  url?: string;
  user?: string;
  password?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** Lets a login go over plain http:// to a host other than loopback. */
  allowInsecureHttp: boolean;
  json: boolean;
  yes: boolean;
  readOnly: boolean;
  watch?: number;
  noColor: boolean;
  help: boolean;
  version: boolean;
}

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
  if (key === undefined) throw usageError(`${name} needs a cart key.`);
  if (!isCartKey(key)) {
    throw badInput(`"${key}" is not a cart key (1 to 42 letters, digits or underscores).`);
  }
  return key;
}

/** Parses argv (without node and the script); throws CliError with exit code 2 on bad usage. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values, positionals } = parseFlags(argv);
  const [name, ...operands] = positionals;
  for (const [option, commands] of Object.entries(COMMAND_OPTIONS)) {
    const value = values[option as keyof typeof values];
    if (value !== undefined && value !== false && !commands.includes(name ?? '')) {
      throw usageError(`--${option} goes with ${commands.map((c) => `"${c}"`).join(' or ')} only.`);
    }
  }
  const noMore = (from: number) => {
    if (operands.length > from) throw usageError(`Unexpected argument "${operands[from]}".`);
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
    if (values.json && format !== 'json') throw usageError(`--json and --format ${format} disagree.`);
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
      if (profileName === undefined) throw usageError(`profiles ${action} needs a profile name.`);
      if (action !== 'add' && (values.default || values['password-stdin'])) {
        throw usageError(`--default and --password-stdin go with profiles add.`);
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
      throw usageError(
        action === undefined
          ? 'profiles needs add, list, remove or default.'
          : `Unknown profiles command "${action}".`,
      );
    }
  } else if (name !== undefined) {
    throw usageError(`Unknown command "${name}".`);
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
    allowInsecureHttp: values['allow-insecure-http'],
    json: values.json,
    yes: values.yes,
    readOnly: values['read-only'],
    watch,
    noColor: values['no-color'],
    help: values.help,
    version: values.version,
  };
}
