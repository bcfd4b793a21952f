import { z } from 'zod';

/** Log levels, most verbose first; `silent` turns logging off. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The default database: an SQLite file under `./data/`, relative to the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/cocart-sessions.sqlite';

/** Typed configuration of the server; built from the environment by {@link loadConfig}. */
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
  /** Allowed CORS origins; `['*']` allows any origin; empty allows none. */
  corsOrigins: string[];
  logLevel: LogLevel;
  listFormat: 'v3' | 'v4';
  /** The REST prefix without slashes, like WordPress's `rest_url_prefix` (default `wp-json`). */
  apiPrefix: string;
  /** Seconds between expired-session cleanups while serving (0 = never). */
  cleanupInterval: number;
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
  PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  COCART_ADMIN_USER: optionalText,
  COCART_ADMIN_PASSWORD: optionalText,
  COCART_SEED_DEMO: intFrom(0, 0, 10_000_000),
  CORS_ORIGINS: optionalText.transform((s) =>
    s === undefined
      ? []
      : s
          .split(',')
          .map((o) => o.trim().replace(/\/+$/, ''))
          .filter((o) => o !== ''),
  ),
  LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS).optional()).transform((s) => s ?? 'info'),
  COCART_LIST_FORMAT: optionalText.pipe(z.enum(['v3', 'v4']).optional()).transform((s) => s ?? 'v3'),
  COCART_API_PREFIX: optionalText
    .transform((s) => (s ?? 'wp-json').replace(/^\/+|\/+$/g, ''))
    .pipe(z.string().regex(/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'a URL path like "wp-json"')),
  CLEANUP_INTERVAL: intFrom(3600, 0, 31_536_000),
});

/** Parse an environment (by default `process.env`) into a {@link ServerConfig}; throws a readable Error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = ServerEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    adminUser: e.COCART_ADMIN_USER,
    adminPassword: e.COCART_ADMIN_PASSWORD,
    seedDemo: e.COCART_SEED_DEMO,
    corsOrigins: e.CORS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    listFormat: e.COCART_LIST_FORMAT,
    apiPrefix: e.COCART_API_PREFIX,
    cleanupInterval: e.CLEANUP_INTERVAL,
  };
}

/** A configuration with every default, for tests and embedding; `overrides` win. */
export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...loadConfig({}), ...overrides };
}
