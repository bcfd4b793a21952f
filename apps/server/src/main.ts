import { chmod, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { API_NAMESPACE } from '@cocart-sessions/core';
import { createApp } from './app.js';
import { addUser, ensureAdministrator, randomPassword } from './auth/accounts.js';
import type { ServerConfig } from './env.js';
import { createLogger } from './logger.js';
import { closeServer, listenAt } from './server.js';
import { isPostgresUrl, openStore, sqlitePathOf } from './store/open-store.js';
import type { SessionStore } from './store/session-store.js';

/** Hooks `serve` needs from the rest of the package (kept injectable for tests). */
export interface ServeDeps {
  seedDemo: (store: SessionStore, count: number) => Promise<number>;
  /** Human-readable lines (URL, how to log in); default stdout. */
  print?: (line: string) => void;
  /** Resolves when the process should stop; default SIGTERM/SIGINT. */
  stopSignal?: Promise<string>;
}

/** Make sure someone can log in: the configured admin, or a generated `admin` on an empty store. */
async function ensureAdmin(
  store: SessionStore,
  config: ServerConfig,
  print: (line: string) => void,
): Promise<{ login: string; passwordFile?: string } | undefined> {
  if (config.adminPassword !== undefined) {
    // A password alone names the default administrator, rather than being silently ignored.
    const login = config.adminUser ?? 'admin';
    const { created } = await ensureAdministrator(store, { login, password: config.adminPassword });
    print(`Administrator "${login}" ${created ? 'created' : 'updated'} from COCART_ADMIN_PASSWORD.`);
    return { login };
  }
  if ((await store.countUsers()) > 0) return undefined;
  const password = randomPassword();
  await addUser(store, { login: 'admin', role: 'administrator', password });
  print(`Created administrator "admin" with password: ${password}`);
  print('(shown once; set COCART_ADMIN_USER / COCART_ADMIN_PASSWORD to choose your own)');
  if (isPostgresUrl(config.databaseUrl)) return { login: 'admin' };
  // Beside the SQLite file, so the README's curl example can read it.
  const passwordFile = join(dirname(resolve(sqlitePathOf(config.databaseUrl))), 'admin-password.txt');
  await writeFile(passwordFile, password, { mode: 0o600 });
  await chmod(passwordFile, 0o600);
  return { login: 'admin', passwordFile };
}

function signals(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

/**
 * `cocart-sessions-server serve`: open the store, ensure an administrator, seed demo data into an
 * empty store, clean up expired sessions on an interval, listen, and shut down gracefully.
 */
export async function serve(config: ServerConfig, deps: ServeDeps): Promise<void> {
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createLogger({ level: config.logLevel });
  const store = await openStore(config.databaseUrl);
  const admin = await ensureAdmin(store, config, print);
  if (config.seedDemo > 0 && (await store.countSessions()) === 0) {
    // Demo data is a convenience: a failure to seed is reported, not fatal.
    try {
      const seeded = await deps.seedDemo(store, config.seedDemo);
      print(`Seeded ${seeded} demo sessions.`);
    } catch (err) {
      print(`Could not seed demo sessions: ${(err as Error).message}`);
      logger.warn('demo seed failed', { err });
    }
  }
  const cleanup = async () => {
    try {
      const removed = await store.deleteExpired(Math.floor(Date.now() / 1000));
      if (removed > 0) logger.info('expired sessions removed', { removed });
    } catch (err) {
      logger.warn('cleanup failed', { err });
    }
  };
  await cleanup();
  const timer = config.cleanupInterval > 0 ? setInterval(cleanup, config.cleanupInterval * 1000) : undefined;
  timer?.unref();

  const { server, url } = await listenAt(createApp({ store, config, logger }), config);
  const base = `${url}/${config.apiPrefix}/${API_NAMESPACE}`;
  print(`cocart-sessions server listening on ${url}`);
  print(`  Sessions API: ${base}/sessions   (store: ${store.kind}, list format: ${config.listFormat})`);
  if (admin?.passwordFile) {
    print(`  Try: curl -u ${admin.login}:$(cat ${admin.passwordFile}) ${base}/sessions`);
  } else {
    print(`  Log in with HTTP Basic as an administrator: curl -u <user>:<password> ${base}/sessions`);
  }
  logger.info('listening', { url, store: store.kind });

  const signal = await (deps.stopSignal ?? signals());
  logger.info('shutting down', { signal });
  if (timer) clearInterval(timer);
  await closeServer(server);
  await store.close();
  logger.info('stopped');
}
