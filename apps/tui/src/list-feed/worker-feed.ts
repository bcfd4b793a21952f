import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { SessionSummary } from '@cocart-sessions/core';
import { CliError, describeError, EXIT } from '../errors.js';
import { type ListDelta, nextTurn, SLICE_MS } from '../state/list-delta.js';
import type { ListFeed, ListLoadOptions, ListUpdate } from './list-feed.js';
import type { ListWorkerData, ListWorkerReply, ListWorkerRequest } from './protocol.js';

interface Pending {
  settle(reply: Extract<ListWorkerReply, { type: 'unchanged' | 'changed' }>): void;
  fail(error: CliError): void;
  onProgress: ListLoadOptions['onProgress'];
}

/**
 * Starts the list worker (`list-worker.js`, beside this file) with the CLI's client options: loads
 * of the full list are fetched, parsed, validated and compared there, and only what changed comes
 * back, a chunk at a time, taken in between key presses. The worker never keeps the process alive;
 * `close()` ends it.
 */
export function startListWorker(data: ListWorkerData): ListFeed {
  const worker = new Worker(new URL('./list-worker.js', import.meta.url), {
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
    for (const p of pending.values()) p.fail(stopped);
    pending.clear();
  };
  worker.on('message', (reply: ListWorkerReply) => {
    const p = pending.get(reply.id);
    if (p === undefined) return;
    if (reply.type === 'progress') {
      p.onProgress?.({ loaded: reply.loaded, total: reply.total });
      return;
    }
    pending.delete(reply.id);
    if (reply.type === 'failed') p.fail(new CliError(reply.message, reply.exitCode));
    else p.settle(reply);
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
      try {
        const answer = new Promise<Extract<ListWorkerReply, { type: 'unchanged' | 'changed' }>>(
          (settle, fail) => pending.set(id, { settle, fail, onProgress }),
        );
        const request: ListWorkerRequest = { id, base, port: port2 };
        worker.postMessage(request, [port2]);
        const reply = await answer;
        if (reply.type === 'unchanged') return { unchanged: true };
        const delta = await receiveDelta(port1, reply.chunks, cancelled);
        const update: ListUpdate = { unchanged: false, version: reply.version, full: reply.full, ...delta };
        return update;
      } finally {
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
 * Takes the `chunks` messages of a delta off `port`, as many per turn of the event loop as fit in a
 * slice: each message is deserialized when taken, so no turn deserializes the whole list.
 */
async function receiveDelta(
  port: MessagePort,
  chunks: number,
  cancelled?: () => boolean,
): Promise<ListDelta> {
  const removed: string[] = [];
  const upserted: SessionSummary[] = [];
  let since = performance.now();
  for (let i = 0; i < chunks; i++) {
    if (performance.now() - since > SLICE_MS) {
      await nextTurn();
      // The caller no longer wants the answer: it ignores what is returned.
      if (cancelled?.()) break;
      since = performance.now();
    }
    const part = receiveMessageOnPort(port)?.message as ListDelta | undefined;
    if (part === undefined) throw new CliError('The list worker sent an incomplete list.', EXIT.failure);
    for (const key of part.removed) removed.push(key);
    for (const session of part.upserted) upserted.push(session);
  }
  return { removed, upserted };
}
