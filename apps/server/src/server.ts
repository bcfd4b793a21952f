import { chmod, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { API_NAMESPACE } from '@cocart-sessions/core';
import { createApp } from './app.js';
import { ensureAdministrator, generateAdministrator } from './auth/accounts.js';
import { parseConfig, type ServerConfig } from './config.js';
import { seedDemoSessions } from './demo/seed.js';
import { closeServer, listenAt } from './http-server.js';
import { createLogger, type Logger } from './logger.js';
import { isPostgresUrl, openStore, sqlitePathOf, storeFilesReadableByOthers } from './store/open-store.js';
import type { Store } from './store/store.js';

/** What {@link runServer} needs besides the configuration. */
export interface RunServerOptions {
  /** Human-readable lines (URL, how to log in); the CLI prints them, the embedding API has none. */
  print?: (line: string) => void;
  /**
   * Create an `administrator` with a random password when the store has no user at all, and tell
   * it through `print` (the CLI does: nobody could log in otherwise).
   */
  generateAdmin?: boolean;
  /** Create (or reset) this administrator before listening. */
  admin?: { login: string; password: string };
  logger?: Logger;
  /** Milliseconds, like `Date.now`. */
  clock?: () => number;
  /**
   * A worker of `serve --workers N`: the primary already made the administrator and seeded, and
   * prints the banner; the worker only serves.
   */
  worker?: boolean;
}

/** A running server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:43121` */
  url: string;
  store: Store;
  server: Server;
  /** From now on `/readyz` answers 503 (a load balancer stops sending); requests are still served. */
  drain(): void;
  /**
   * Stops the cleanup timer, lets in-flight requests finish, closes the store; idempotent. With
   * `settleMs`, connections that may still carry a request are given that long (see closeServer).
   */
  close(settleMs?: number): Promise<void>;
}

/** Make sure someone can log in: the configured admin, or a generated one on an empty store. */
async function ensureAdmin(
  store: Store,
  config: ServerConfig,
  options: RunServerOptions,
  print: (line: string) => void,
): Promise<{ login: string; passwordFile?: string } | undefined> {
  if (options.admin) await ensureAdministrator(store.accounts, options.admin);
  if (config.adminPassword !== undefined) {
    // A password alone names the default administrator, rather than being silently ignored.
    const login = config.adminUser ?? 'admin';
    const { created } = await ensureAdministrator(store.accounts, { login, password: config.adminPassword });
    print(`Administrator "${login}" ${created ? 'created' : 'updated'} from COCART_ADMIN_PASSWORD.`);
    return { login };
  }
  if (!options.generateAdmin) return options.admin && { login: options.admin.login };
  // Beside the SQLite file, so the README's curl example can read it.
  const passwordFile = isPostgresUrl(config.databaseUrl)
    ? undefined
    : join(dirname(resolve(sqlitePathOf(config.databaseUrl))), 'admin-password.txt');
  // Processes starting together on an empty store: one of them generates (and writes the file).
  if ((await store.accounts.countUsers()) > 0) return undefined;
  if (!(await store.leases.claim('generate-administrator', Date.now(), 60_000))) return undefined;
  let generated: Awaited<ReturnType<typeof generateAdministrator>>;
  try {
    generated = await generateAdministrator(store.accounts, async (password) => {
      if (passwordFile === undefined) return;
      try {
        await writeFile(passwordFile, password, { mode: 0o600 });
        await chmod(passwordFile, 0o600);
      } catch (e) {
        throw new Error(
          `Cannot write the administrator's password to ${passwordFile} (${(e as Error).message}); no administrator was created. Make that path writable, or set COCART_ADMIN_USER and COCART_ADMIN_PASSWORD.`,
          { cause: e },
        );
      }
    });
  } finally {
    await store.leases.release('generate-administrator');
  }
  if (generated === undefined) return undefined;
  print(`Created administrator "${generated.login}" with password: ${generated.password}`);
  print('(shown once; set COCART_ADMIN_USER / COCART_ADMIN_PASSWORD to choose your own)');
  return passwordFile === undefined ? { login: generated.login } : { login: generated.login, passwordFile };
}

/** The store with its administrator and demo data, as `serve` starts it; `admin` says how to log in. */
export interface PreparedStore {
  store: Store;
  admin: { login: string; passwordFile?: string } | undefined;
}

/** Open the store, ensure an administrator and seed demo data into an empty store. */
export async function prepareStore(
  config: ServerConfig,
  options: RunServerOptions,
  logger: Logger,
): Promise<PreparedStore> {
  const print = options.print ?? (() => {});
  const store = await openStore(config.databaseUrl);
  try {
    if (options.worker) return { store, admin: undefined };
    for (const file of storeFilesReadableByOthers(config.databaseUrl)) {
      const mode = file.mode.toString(8);
      print(`Warning: ${file.path} is readable by other users (mode ${mode}): chmod 600 it.`);
      logger.warn('store file readable by other users', { path: file.path, mode });
    }
    const admin = await ensureAdmin(store, config, options, print);
    if (config.seedDemo > 0 && (await store.sessions.countSessions()) === 0) {
      // Demo data is a convenience: a failure to seed is reported, not fatal.
      try {
        const seeded = await seedDemoSessions(store.sessions, { count: config.seedDemo, seed: 1 });
        print(`Seeded ${seeded} demo sessions.`);
      } catch (err) {
        print(`Could not seed demo sessions: ${(err as Error).message}`);
        logger.warn('demo seed failed', { err });
      }
    }
    return { store, admin };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The lines `serve` prints once it listens. */
export function printBanner(
  print: (line: string) => void,
  url: string,
  config: ServerConfig,
  kind: Store['kind'],
  admin: PreparedStore['admin'],
): void {
  const base = `${url}/${config.apiPrefix}/${API_NAMESPACE}`;
  print(`cocart-sessions server listening on ${url}`);
  print(`  Sessions API: ${base}/sessions   (store: ${kind}, list format: ${config.listFormat})`);
  if (admin?.passwordFile) {
    print(`  Try: curl -u ${admin.login}:$(cat ${admin.passwordFile}) ${base}/sessions`);
  } else {
    print(`  Log in with HTTP Basic as an administrator: curl -u <user>:<password> ${base}/sessions`);
  }
}

/** Sessions one cleanup statement deletes at most. */
const CLEANUP_BATCH = 500;

/**
 * Expired-session cleanup on an interval. Every process runs the timer, but a round runs on the
 * one process that takes the store's lease for it, so processes sharing a database never clean at once.
 */
function startCleanup(store: Store, intervalSeconds: number, logger: Logger): NodeJS.Timeout {
  // A little shorter than the interval, so the next round's lease is free when its timers fire.
  const leaseMs = Math.max(1000, intervalSeconds * 1000 - 1000);
  const cleanup = async () => {
    try {
      if (!(await store.leases.claim('cleanup', Date.now(), leaseMs))) return;
      const now = Math.floor(Date.now() / 1000);
      let removed = 0;
      for (;;) {
        const batch = await store.sessions.deleteExpired(now, CLEANUP_BATCH);
        removed += batch;
        if (batch < CLEANUP_BATCH) break;
        // Requests get their turn between batches.
        await new Promise((r) => setImmediate(r));
      }
      logger.info('expired sessions removed', { removed });
    } catch (err) {
      logger.warn('cleanup failed', { err });
    }
  };
  void cleanup();
  const timer = setInterval(cleanup, intervalSeconds * 1000);
  timer.unref();
  return timer;
}

/**
 * The one composition root: open the store, ensure an administrator, seed demo data into an empty
 * store, clean up expired sessions on an interval, build the app and listen. The CLI's `serve` (each
 * worker of `serve --workers N`) and the embedding {@link startServer} call it.
 */
export async function runServer(
  config: ServerConfig,
  options: RunServerOptions = {},
): Promise<RunningServer> {
  const print = options.print ?? (() => {});
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const { store, admin } = await prepareStore(config, options, logger);
  let timer: NodeJS.Timeout | undefined;
  try {
    if (config.cleanupInterval > 0) timer = startCleanup(store, config.cleanupInterval, logger);
    const lifecycle = { draining: false };
    const app = createApp({
      store,
      config,
      logger,
      lifecycle,
      ...(options.clock && { clock: options.clock }),
    });
    const trusted = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
    const { server, url } = await listenAt(app, config, {
      maxConnections: config.maxConnections,
      maxConnectionsPerClient: config.maxConnectionsPerClient,
      isTrustedProxy: (address) => trusted(address, 0),
    });
    if (!options.worker) printBanner(print, url, config, store.kind, admin);
    logger.info('listening', { url, store: store.kind });
    let closing: Promise<void> | undefined;
    return {
      url,
      store,
      server,
      drain: () => {
        lifecycle.draining = true;
      },
      close: (settleMs = 0) => {
        lifecycle.draining = true;
        if (timer) clearInterval(timer);
        closing ??= closeServer(server, 10_000, settleMs).then(() => store.close());
        return closing;
      },
    };
  } catch (e) {
    if (timer) clearInterval(timer);
    await store.close();
    throw e;
  }
}

/** Options of {@link startServer}: any configuration value (checked like its environment variable) and the hooks. */
export type StartServerOptions = Partial<ServerConfig> &
  Pick<ServerConfig, 'databaseUrl'> &
  Pick<RunServerOptions, 'admin' | 'logger' | 'clock'>;

/** What an embedded server differs in from `serve`: any free port, quiet, no timer (tests own time). */
const EMBEDDED_DEFAULTS: Partial<ServerConfig> = { port: 0, logLevel: 'silent', cleanupInterval: 0 };

/**
 * {@link runServer} for embedding and tests: the environment is not read; options are checked by
 * the same schema as the environment (an invalid one throws ConfigError).
 * @example const { url, close } = await startServer({ databaseUrl: 'sqlite:/tmp/x.sqlite', port: 0 });
 */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { admin, logger, clock, ...values } = opts;
  const config = parseConfig({ options: { ...EMBEDDED_DEFAULTS, ...values } });
  return runServer(config, {
    ...(admin && { admin }),
    ...(logger && { logger }),
    ...(clock && { clock }),
  });
}
