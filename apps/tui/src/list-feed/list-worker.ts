// The list worker: fetches, parses, validates and compares the full list off the TUI's main thread,
// which then only applies what changed (see worker-feed.ts).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from '@cocart-sessions/client';
import { describeError } from '../errors.js';
import { createListTracker } from './list-feed.js';
import { CHUNK_SIZE, type ListWorkerData, type ListWorkerReply, type ListWorkerRequest } from './protocol.js';

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
const { client, url } = workerData as ListWorkerData;
const tracker = createListTracker(createClient(client).sessions, Number.POSITIVE_INFINITY);
const reply = (message: ListWorkerReply) => parent.postMessage(message);

async function serve({ id, base, port }: ListWorkerRequest): Promise<void> {
  try {
    // Each part goes out as soon as it is found: the main thread takes in the first rows while the
    // rest are still being built here.
    let chunks = 0;
    const update = await tracker.refresh({
      base,
      onProgress: ({ loaded, total }) => reply({ type: 'progress', id, loaded, total }),
      chunkSize: CHUNK_SIZE,
      onChunk: (part) => {
        port.postMessage(part);
        chunks++;
        reply({ type: 'chunk', id });
      },
      onDelta: ({ version, full }) => reply({ type: 'changed', id, version, full, chunks }),
    });
    if (update.unchanged) reply({ type: 'unchanged', id });
  } catch (e) {
    const { message, exitCode } = describeError(e, { url });
    reply({ type: 'failed', id, message, exitCode });
  }
}

parent.on('message', (request: ListWorkerRequest) => void serve(request));
