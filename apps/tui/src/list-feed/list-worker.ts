// The list worker: fetches, parses and holds the full list off the TUI's main thread, which asks it
// only for the rows on screen (see worker-feed.ts).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from '@cocart-sessions/client';
import { describeError } from '../errors.js';
import { createListService } from './list-service.js';
import { streamSessions } from './list-stream.js';
import type { ListWorkerData, ListWorkerReply, ListWorkerRequest } from './protocol.js';

/** Niceness of this thread: on a busy machine the list waits, not the key presses. */
const WORKER_NICENESS = 10;

/**
 * Lowers the priority of this thread alone, where the system can tell threads apart (Linux: the
 * thread's id from /proc/thread-self); elsewhere the call would lower the whole process, so nothing.
 */
function lowerThreadPriority(): void {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return;
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return;
  try {
    setPriority(threadId, WORKER_NICENESS);
  } catch {
    // Not allowed here: the list simply competes at the same priority.
  }
}

lowerThreadPriority();
const parent = parentPort;
if (parent === null) throw new Error('list-worker.js runs as a worker thread only');
const { client: options, url, sizeHint } = workerData as ListWorkerData;
const client = createClient(options);
const reply = (message: ListWorkerReply) => parent.postMessage(message);
const service = createListService(
  (opts) => streamSessions(client, options, opts),
  (status) => reply({ type: 'status', status }),
  sizeHint,
);

async function serve({ id, method, args }: ListWorkerRequest): Promise<void> {
  try {
    const call = service[method] as (...a: unknown[]) => Promise<unknown>;
    reply({ type: 'result', id, value: await call(...args) });
  } catch (e) {
    const { message, exitCode } = describeError(e, { url });
    reply({ type: 'failed', id, message, exitCode });
  }
}

parent.on('message', (request: ListWorkerRequest) => void serve(request));
