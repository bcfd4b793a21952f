import type { LogLevel } from './config.js';

/** Structured fields of one log line. */
export type LogFields = Record<string, unknown>;

/** A JSON-lines logger; `child` adds fields (like a request id) to every line. */
export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Keys that may carry secrets are replaced whatever the caller passes in.
const SECRET_KEY = /pass(word)?|authorization|secret|cookie|token/i;

function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

/**
 * Create a logger writing one JSON object per line.
 * @example createLogger({ level: 'info' }).info('listening', { url })
 */
export function createLogger(
  opts: { level?: LogLevel; write?: (line: string) => void; base?: LogFields; clock?: () => number } = {},
): Logger {
  const level = opts.level ?? 'info';
  const write = opts.write ?? ((line: string) => process.stdout.write(line));
  const clock = opts.clock ?? Date.now;
  const base = opts.base ?? {};
  const min = RANK[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < min) return;
    const line = {
      time: new Date(clock()).toISOString(),
      level: lvl,
      msg,
      ...base,
      ...(redact(fields) as object),
    };
    write(`${JSON.stringify(line)}\n`);
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...opts, level, base: { ...base, ...(redact(fields) as object) } }),
    isEnabled: (lvl) => RANK[lvl] >= min,
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
