import cluster, { type Worker } from 'node:cluster';
import { SERVER_SETTINGS } from './config.js';
import type { Logger } from './logger.js';

/** Whether this process is a worker forked by `serve --workers N`. */
export const isServeWorker = (): boolean => cluster.isWorker;

/** A worker that dies this soon after it started is restarted after a pause, not in a tight loop. */
const QUICK_DEATH_MS = 2000;
const RESTART_PAUSE_MS = 1000;

/**
 * Whether a worker is given the environment variable `name`: the server's settings (not the
 * administrator's credentials, which only the primary uses, to create the administrator), what
 * Node, libuv, pg and TLS read, and the system's basics.
 */
export function workerNeeds(name: string): boolean {
  if (name === 'COCART_ADMIN_PASSWORD' || name === 'COCART_ADMIN_USER') return false;
  return (
    SERVER_SETTINGS.has(name) ||
    /^(NODE_|UV_|PG|SSL_|LC_)/.test(name) ||
    ['PATH', 'HOME', 'TZ', 'LANG', 'TMPDIR', 'CI'].includes(name)
  );
}

/** What {@link runWorkers} needs. */
export interface WorkersOptions {
  count: number;
  logger: Logger;
  /** Resolves when the pool should drain and stop (SIGTERM/SIGINT). */
  stopSignal: Promise<string>;
  /** Called once every worker listens, with the URL they share. */
  onListening: (url: string) => void;
}

/**
 * The primary of `serve --workers N`: forks N workers of this same command (they share one port
 * through node:cluster), replaces and logs a worker that dies, and on the stop signal sends
 * SIGTERM to every worker and resolves once all of them have drained and exited.
 */
export async function runWorkers(opts: WorkersOptions): Promise<void> {
  const { logger } = opts;
  let stopping = false;
  let ready = false;
  const startedAt = new Map<number, number>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    return worker;
  };

  const listening = new Promise<string>((resolve, reject) => {
    let count = 0;
    cluster.on('listening', (_worker, address) => {
      if (ready || ++count < opts.count) return;
      ready = true;
      const host = address.address?.includes(':') ? `[${address.address}]` : address.address;
      resolve(`http://${host}:${address.port}`);
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      if (!ready) {
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
        reject(new Error(`A worker exited during start-up (code ${code ?? signal}); see its message above.`));
        return;
      }
      const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
      startedAt.delete(worker.id);
      logger.warn('worker died; starting another', { pid: worker.process.pid, code, signal });
      setTimeout(
        () => {
          if (stopping) return;
          const next = fork();
          next.once('listening', () => logger.info('worker replaced', { pid: next.process.pid }));
        },
        lived < QUICK_DEATH_MS ? RESTART_PAUSE_MS : 0,
      ).unref();
    });
  });
  // cluster.fork gives each worker this process's environment: keep only what workers use, so a
  // secret the primary alone needed (the administrator's password) is not in every worker.
  for (const name of Object.keys(process.env)) if (!workerNeeds(name)) delete process.env[name];
  // Workers accept from the shared socket themselves. With the primary accepting and handing
  // connections out (round-robin), a connection handed to a worker that was just killed hangs.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  for (let i = 0; i < opts.count; i++) fork();
  opts.onListening(await listening);
  logger.info('workers listening', { workers: opts.count });

  const signal = await opts.stopSignal;
  stopping = true;
  logger.info('draining workers', { signal });
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) {
            resolve();
            return;
          }
          w.once('exit', () => resolve());
          w.process.kill('SIGTERM');
        }),
    ),
  );
  logger.info('workers stopped');
}
