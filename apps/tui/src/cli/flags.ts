import { parseArgs } from 'node:util';
import { usageError } from './usage.js';

/** Every option of the command line, as node:util's parseArgs takes them. */
const OPTIONS = {
  profile: { type: 'string' },
  url: { type: 'string' },
  user: { type: 'string', short: 'u' },
  password: { type: 'string', short: 'p' },
  'consumer-key': { type: 'string' },
  'consumer-secret': { type: 'string' },
  'allow-insecure-http': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
  'read-only': { type: 'boolean', default: false },
  watch: { type: 'string' },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
  status: { type: 'string' },
  format: { type: 'string' },
  fields: { type: 'string' },
  expired: { type: 'boolean', default: false },
  'older-than': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  default: { type: 'boolean', default: false },
  'password-stdin': { type: 'boolean', default: false },
} as const;

/**
 * The options and operands of argv (without node and the script), before any is interpreted: the
 * first step of `parseCliArgs`, and all that `--help` and `--version` need. Throws a usage error
 * (exit 2) for an unknown option or a missing value.
 */
export function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    throw usageError(e instanceof Error ? e.message : String(e));
  }
}
