import { availableParallelism } from 'node:os';
import express from 'express';
import { z } from 'zod';

/** Log levels, most verbose first; `silent` turns logging off. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The default database: an SQLite file under `./data/`, relative to the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/cocart-sessions.sqlite';

/** Typed configuration of the server; built by {@link parseConfig} from the environment, flags or options. */
export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string;
  /** Base URL used for `link` fields and `Link` headers; derived from the request when absent. */
  publicUrl?: string | undefined;
  adminUser?: string | undefined;
  adminPassword?: string | undefined;
  /** Number of demo sessions to seed into an empty store at start (0 = none). */
  seedDemo: number;
  /**
   * Allowed CORS origins: listed origins get credentialed CORS; `*` lets any other origin call
   * without credentials (it must send its own `Authorization`); empty allows none.
   */
  corsOrigins: string[];
  logLevel: LogLevel;
  listFormat: 'v3' | 'v4';
  /** The REST prefix without slashes, like WordPress's `rest_url_prefix` (default `wp-json`). */
  apiPrefix: string;
  /** Seconds between expired-session cleanups while serving (0 = never). */
  cleanupInterval: number;
  /**
   * Which proxies are trusted, as Express's `trust proxy` setting takes it: `false` (none: the
   * socket's address), a hop count, or comma-separated addresses, CIDRs and the names `loopback`,
   * `linklocal`, `uniquelocal`. `true` (every hop) is refused: any client could name its own address.
   */
  trustProxy: TrustProxy;
  /** Worker processes of `serve` on one port (1 = this process serves). */
  workers: number;
  /** Seconds `serve` keeps serving after SIGTERM, `/readyz` answering 503, before it drains. */
  drainDelay: number;
  /** Open connections a process accepts at once; more are closed as they arrive. */
  maxConnections: number;
  /** Open connections one client address (IPv6: one /64) may hold at once in a process. */
  maxConnectionsPerClient: number;
  /** Logins a process lets wait for a password hash; past it they are answered 503 with Retry-After. */
  hashQueue: number;
  /**
   * New carts one client address (IPv6: one /64) may create through the public cart API per minute,
   * per process (a burst of as many at once); past it 429 with Retry-After. 0 = no limit.
   */
  cartCreateLimit: number;
}

/** A value of Express's `trust proxy` setting. */
export type TrustProxy = false | number | string;

/** `TRUST_PROXY` text as Express's setting; the setting itself judges the addresses (its grammar, not ours). */
function trustProxyOf(text: string, ctx: z.RefinementCtx): TrustProxy {
  if (text === 'false') return false;
  if (text === 'true') {
    ctx.addIssue({
      code: 'custom',
      message:
        'true trusts every hop, so any client could choose the address its failed logins are counted against; name your proxies instead: loopback (a proxy on this machine), uniquelocal, a hop count such as 1, or their addresses/CIDRs',
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(text)) return Number(text);
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(',');
  try {
    express().set('trust proxy', list);
  } catch (e) {
    ctx.addIssue({
      code: 'custom',
      message: `expected false, a hop count, or addresses/CIDRs/loopback/linklocal/uniquelocal separated by commas (${(e as Error).message})`,
    });
    return z.NEVER;
  }
  return list;
}

/**
 * PUBLIC_URL as it is sent: parsed and normalised (a path like `/中` percent-encoded, or every `Link`
 * header would fail to be set), without a trailing slash. Credentials, a query or a fragment would
 * end up inside every `link`, so they are refused.
 */
function publicUrlOf(text: string, ctx: z.RefinementCtx): string {
  const url = new URL(text);
  const extra = [
    (url.username !== '' || url.password !== '') && 'credentials (user:password@)',
    url.search !== '' && 'a query',
    url.hash !== '' && 'a fragment',
  ].filter(Boolean);
  if (extra.length > 0) {
    ctx.addIssue({ code: 'custom', message: `must be a base URL without ${extra.join(', ')}` });
    return z.NEVER;
  }
  return url.href.replace(/\/+$/, '');
}

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const intFrom = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return fallback;
      if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
        ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}, got "${s}"` });
        return z.NEVER;
      }
      return Number(s);
    });

/** The environment variables the server reads, parsed into a {@link ServerConfig}. */
export const ServerEnvSchema = z.object({
  HOST: optionalText.transform((s) => s ?? '127.0.0.1'),
  PORT: intFrom(8080, 0, 65535),
  DATABASE_URL: optionalText.transform((s) => s ?? DEFAULT_DATABASE_URL),
  PUBLIC_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .transform(publicUrlOf)
      .optional(),
  ),
  COCART_ADMIN_USER: optionalText,
  COCART_ADMIN_PASSWORD: optionalText,
  COCART_SEED_DEMO: intFrom(0, 0, 10_000_000),
  CORS_ORIGINS: optionalText
    .transform((s) =>
      s === undefined
        ? []
        : s
            .split(',')
            .map((o) => o.trim().replace(/\/+$/, ''))
            .filter((o) => o !== ''),
    )
    .superRefine((origins, ctx) => {
      for (const o of origins) {
        // `null` is what sandboxed frames and file: pages send: allowing it allows any of them.
        if (o === 'null') ctx.addIssue({ code: 'custom', message: '"null" is never an allowed origin' });
        else if (o !== '*' && !/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i.test(o))
          ctx.addIssue({ code: 'custom', message: `"${o}" is not an origin like https://shop.example or *` });
      }
    }),
  LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS).optional()).transform((s) => s ?? 'info'),
  COCART_LIST_FORMAT: optionalText.pipe(z.enum(['v3', 'v4']).optional()).transform((s) => s ?? 'v3'),
  COCART_API_PREFIX: optionalText
    .transform((s) => (s ?? 'wp-json').replace(/^\/+|\/+$/g, ''))
    .pipe(z.string().regex(/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'a URL path like "wp-json"')),
  CLEANUP_INTERVAL: intFrom(3600, 0, 31_536_000),
  TRUST_PROXY: optionalText.transform((s, ctx) => trustProxyOf(s ?? 'false', ctx)),
  WEB_CONCURRENCY: optionalText.transform((s, ctx) => {
    if (s === undefined) return 1;
    if (s === 'auto') return availableParallelism();
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 256) {
      ctx.addIssue({ code: 'custom', message: `expected "auto" or an integer from 1 to 256, got "${s}"` });
      return z.NEVER;
    }
    return Number(s);
  }),
  DRAIN_DELAY: intFrom(0, 0, 3600),
  MAX_CONNECTIONS: intFrom(1024, 1, 1_000_000),
  MAX_CONNECTIONS_PER_CLIENT: intFrom(64, 1, 1_000_000),
  HASH_QUEUE: intFrom(32, 0, 100_000),
  CART_CREATE_LIMIT: intFrom(120, 0, 1_000_000),
});

/** Where each setting is read: its environment variable and, when it has one, its `serve` flag. */
const SOURCES = {
  host: { env: 'HOST', flag: 'host' },
  port: { env: 'PORT', flag: 'port' },
  databaseUrl: { env: 'DATABASE_URL', flag: 'db' },
  publicUrl: { env: 'PUBLIC_URL', flag: 'public-url' },
  adminUser: { env: 'COCART_ADMIN_USER' },
  adminPassword: { env: 'COCART_ADMIN_PASSWORD' },
  seedDemo: { env: 'COCART_SEED_DEMO', flag: 'seed-demo' },
  corsOrigins: { env: 'CORS_ORIGINS' },
  logLevel: { env: 'LOG_LEVEL', flag: 'log-level' },
  listFormat: { env: 'COCART_LIST_FORMAT', flag: 'list-format' },
  apiPrefix: { env: 'COCART_API_PREFIX' },
  cleanupInterval: { env: 'CLEANUP_INTERVAL' },
  trustProxy: { env: 'TRUST_PROXY', flag: 'trust-proxy' },
  workers: { env: 'WEB_CONCURRENCY', flag: 'workers' },
  drainDelay: { env: 'DRAIN_DELAY', flag: 'drain-delay' },
  maxConnections: { env: 'MAX_CONNECTIONS' },
  maxConnectionsPerClient: { env: 'MAX_CONNECTIONS_PER_CLIENT' },
  hashQueue: { env: 'HASH_QUEUE' },
  cartCreateLimit: { env: 'CART_CREATE_LIMIT' },
} as const satisfies Record<keyof ServerConfig, { env: keyof typeof ServerEnvSchema.shape; flag?: string }>;

/** The environment variables the server's settings are read from. */
export const SERVER_SETTINGS: ReadonlySet<string> = new Set(Object.keys(ServerEnvSchema.shape));

/** The command-line flags that set a configuration value (`--db` is every command's). */
export const CONFIG_FLAGS: readonly string[] = Object.values(SOURCES).flatMap((s) =>
  'flag' in s ? [s.flag] : [],
);

/** A configuration that does not parse; each line names the variable, flag or option at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly problems: string[],
    /** Whether a command-line flag is at fault (the CLI then shows its usage). */
    readonly fromFlags: boolean,
  ) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Where {@link parseConfig} reads; a flag wins over the environment, an option over both. */
export interface ConfigSources {
  /** Variables by name, like `process.env`. */
  env?: Record<string, string | undefined>;
  /** `serve`'s flags by name without dashes (`port`, `public-url`...), as given. */
  flags?: Record<string, string | undefined>;
  /** Typed values from the embedding API (`startServer`). */
  options?: Partial<ServerConfig>;
}

/** An option in the text form the environment would give it, so that one schema checks both. */
function textOf(value: string | number | boolean | readonly string[]): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : value.join(',');
}

/**
 * The one parse of the configuration: environment, flags and embedding options go through
 * {@link ServerEnvSchema}, so each value is checked the same way wherever it comes from.
 * @throws ConfigError
 */
export function parseConfig(sources: ConfigSources = {}): ServerConfig {
  const raw: Record<string, string | undefined> = { ...sources.env };
  const origin = new Map<string, { name: string; flag: boolean }>();
  for (const [key, source] of Object.entries(SOURCES) as Array<
    [keyof ServerConfig, { env: string; flag?: string }]
  >) {
    const option = sources.options?.[key];
    const flag = source.flag === undefined ? undefined : sources.flags?.[source.flag];
    if (option !== undefined) {
      raw[source.env] = textOf(option);
      origin.set(source.env, { name: `${key} option`, flag: false });
    } else if (flag !== undefined) {
      raw[source.env] = flag;
      origin.set(source.env, { name: `--${source.flag}`, flag: true });
    }
  }
  const parsed = ServerEnvSchema.safeParse(raw);
  if (!parsed.success) {
    const where = (i: { path: PropertyKey[] }) => origin.get(String(i.path[0]));
    throw new ConfigError(
      parsed.error.issues.map((i) => `${where(i)?.name ?? i.path.join('.')}: ${i.message}`),
      parsed.error.issues.some((i) => where(i)?.flag === true),
    );
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.PUBLIC_URL,
    adminUser: e.COCART_ADMIN_USER,
    adminPassword: e.COCART_ADMIN_PASSWORD,
    seedDemo: e.COCART_SEED_DEMO,
    corsOrigins: e.CORS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    listFormat: e.COCART_LIST_FORMAT,
    apiPrefix: e.COCART_API_PREFIX,
    cleanupInterval: e.CLEANUP_INTERVAL,
    trustProxy: e.TRUST_PROXY,
    workers: e.WEB_CONCURRENCY,
    drainDelay: e.DRAIN_DELAY,
    maxConnections: e.MAX_CONNECTIONS,
    maxConnectionsPerClient: e.MAX_CONNECTIONS_PER_CLIENT,
    hashQueue: e.HASH_QUEUE,
    cartCreateLimit: e.CART_CREATE_LIMIT,
  };
}

/** Parse an environment (by default `process.env`) into a {@link ServerConfig}; throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  return parseConfig({ env });
}

/** Every default, ignoring the environment, with `overrides` checked like the environment. */
export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return parseConfig({ options: overrides });
}
