import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { CliError, describeError, EXIT } from '../errors.js';
import { adoptSessionRow, type SessionRow } from '../sessions/session-row.js';
import { type ListDelta, nextTurn, SLICE_MS } from './list-delta.js';
import type { ListFeed, ListLoadOptions, ListUpdate } from './list-feed.js';
import type { ListWorkerData, ListWorkerReply, ListWorkerRequest } from './protocol.js';

type Final = Extract<ListWorkerReply, { type: 'unchanged' | 'changed' }>;

/** A load waiting on the worker: what it has heard so far. */
interface Pending {
  onProgress: ListLoadOptions['onProgress'];
  /** Parts of the delta announced (they wait on the load's port). */
  announced: number;
  final?: Final;
  failure?: CliError;
  /** Wakes the load up when something above changed. */
  wake?: () => void;
}

/**
 * The worker's script, `list-worker.js`, beside this file once built. Run from its TypeScript source
 * (the tests, through the `source` condition), this file starts the built script in `dist/`: a worker
 * thread runs JavaScript only, and so the tests exercise the worker the CLI runs.
 */
const WORKER_SCRIPT = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/list-feed/list-worker.js', import.meta.url)
  : new URL('./list-worker.js', import.meta.url);

/**
 * Starts the list worker (`list-worker.js`, beside this file) with the CLI's client options: loads
 * of the full list are fetched, parsed, validated and compared there, and only what changed comes
 * back, a chunk at a time, taken in between key presses. The worker never keeps the process alive;
 * `close()` ends it.
 */
export function startListWorker(data: ListWorkerData): ListFeed {
  const worker = new Worker(WORKER_SCRIPT, {
    workerData: data,
    name: 'cocart-sessions list',
    // It runs our built files only: the parent's node flags (a test runner's `--conditions source`,
    // an `--import` preload) are not meant for it.
    execArgv: [],
  });
  worker.unref();
  const pending = new Map<number, Pending>();
  let lastId = 0;
  let stopped: CliError | undefined;
  const stop = (error: CliError) => {
    stopped ??= error;
    for (const p of pending.values()) {
      p.failure = stopped;
      p.wake?.();
    }
    pending.clear();
  };
  worker.on('message', (reply: ListWorkerReply) => {
    const p = pending.get(reply.id);
    if (p === undefined) return;
    if (reply.type === 'progress') {
      p.onProgress?.({ loaded: reply.loaded, total: reply.total });
      return;
    }
    if (reply.type === 'chunk') p.announced++;
    else if (reply.type === 'failed') p.failure = new CliError(reply.message, reply.exitCode);
    else p.final = reply;
    if (reply.type !== 'chunk') pending.delete(reply.id);
    p.wake?.();
  });
  worker.on('error', (e) => stop(describeError(e)));
  worker.on('exit', (code) =>
    stop(new CliError(`The list worker stopped (exit code ${code}).`, EXIT.failure)),
  );

  return {
    async load({ base, onProgress, cancelled }) {
      if (stopped) throw stopped;
      const id = ++lastId;
      const { port1, port2 } = new MessageChannel();
      const p: Pending = { onProgress, announced: 0 };
      pending.set(id, p);
      try {
        const request: ListWorkerRequest = { id, base, port: port2 };
        worker.postMessage(request, [port2]);
        const delta = await receiveDelta(p, port1, cancelled);
        const final = p.final;
        if (final === undefined || final.type === 'unchanged') return { unchanged: true };
        const update: ListUpdate = { unchanged: false, version: final.version, full: final.full, ...delta };
        return update;
      } finally {
        pending.delete(id);
        port1.close();
      }
    },
    async close() {
      stop(new CliError('The list worker was closed.', EXIT.failure));
      await worker.terminate();
    },
  };
}

/**
 * Takes the parts of a delta off `port` as the worker announces them, as many per turn of the event
 * loop as fit in a slice: each part is deserialized when taken, so no turn deserializes the whole
 * list, and the first parts are taken while the worker still builds the next.
 */
async function receiveDelta(p: Pending, port: MessagePort, cancelled?: () => boolean): Promise<ListDelta> {
  const removed: string[] = [];
  const upserted: SessionRow[] = [];
  let taken = 0;
  let since = performance.now();
  for (;;) {
    if (p.failure) throw p.failure;
    if (taken < p.announced) {
      if (performance.now() - since > SLICE_MS) {
        await nextTurn();
        since = performance.now();
        // The caller no longer wants the answer: it ignores what is returned.
        if (cancelled?.()) break;
        continue;
      }
      const part = receiveMessageOnPort(port)?.message as ListDelta | undefined;
      if (part === undefined) throw new CliError('The list worker sent an incomplete list.', EXIT.failure);
      taken++;
      for (const key of part.removed) removed.push(key);
      for (const row of part.upserted) upserted.push(adoptSessionRow(row));
      continue;
    }
    if (p.final) break;
    await new Promise<void>((resolve) => {
      p.wake = resolve;
    });
    p.wake = undefined;
    since = performance.now();
  }
  return { removed, upserted };
}
