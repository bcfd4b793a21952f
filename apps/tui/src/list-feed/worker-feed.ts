import { Worker } from 'node:worker_threads';
import { CliError, describeError, EXIT } from '../errors.js';
import type { ListFeed } from './list-feed.js';
import type { ListCalls, ListStatus } from './list-service.js';
import type { ListWorkerData, ListWorkerReply, ListWorkerRequest } from './protocol.js';

/**
 * The worker's script, `list-worker.js`, beside this file once built. Run from its TypeScript source
 * (the tests, through the `source` condition), this file starts the built script in `dist/`: a worker
 * thread runs JavaScript only, and so the tests exercise the worker the CLI runs.
 */
const WORKER_SCRIPT = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/list-feed/list-worker.js', import.meta.url)
  : new URL('./list-worker.js', import.meta.url);

const METHODS = [
  'load',
  'adopt',
  'window',
  'toggleMark',
  'markView',
  'setMarks',
  'markedKeys',
  'remove',
  'exportCsv',
] as const satisfies ReadonlyArray<keyof ListCalls>;

/**
 * Starts the list worker (`list-worker.js`, beside this file) with the CLI's client options: the
 * full list is fetched, parsed and held there, and this thread asks it only for the rows on screen
 * (and counts, marks, exports). The worker never keeps the process alive; `close()` ends it.
 */
export function startListWorker(data: ListWorkerData): ListFeed {
  const worker = new Worker(WORKER_SCRIPT, {
    workerData: data,
    name: 'cocart-sessions list',
    // It runs our built files only: the parent's node flags (a test runner's `--conditions source`,
    // an `--import` preload) are not meant for it.
    execArgv: [],
    // Parsing the list makes many short-lived objects: a small young generation is collected often
    // and cheaply, where V8's default on a machine with much memory grows it to 64 MB semi-spaces.
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  worker.unref();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Set<(status: ListStatus) => void>();
  let lastId = 0;
  let stopped: CliError | undefined;
  const stop = (error: CliError) => {
    stopped ??= error;
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
  };
  worker.on('message', (reply: ListWorkerReply) => {
    if (reply.type === 'status') {
      for (const l of listeners) l(reply.status);
      return;
    }
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (reply.type === 'failed') p.reject(new CliError(reply.message, reply.exitCode));
    else p.resolve(reply.value);
  });
  worker.on('error', (e) => stop(describeError(e)));
  worker.on('exit', (code) =>
    stop(new CliError(`The list worker stopped (exit code ${code}).`, EXIT.failure)),
  );

  const call = (method: keyof ListCalls, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      if (stopped) {
        reject(stopped);
        return;
      }
      const id = ++lastId;
      pending.set(id, { resolve, reject });
      const request: ListWorkerRequest = { id, method, args };
      worker.postMessage(request);
    });
  const calls = Object.fromEntries(
    METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)]),
  ) as unknown as ListCalls;
  return {
    ...calls,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      stop(new CliError('The list worker was closed.', EXIT.failure));
      await worker.terminate();
    },
  };
}
