import type { MessagePort } from 'node:worker_threads';
import type { ClientOptions } from '@cocart-sessions/client';

/** The options of `createClient` that are plain data, so a worker thread can be given them. */
export type PlainClientOptions = Pick<
  ClientOptions,
  'url' | 'auth' | 'allowInsecureHttp' | 'wpApiPrefix' | 'namespace' | 'timeout' | 'validation'
> & { retry?: number };

/** What the list worker is started with: plain data (credentials included, never logged). */
export interface ListWorkerData {
  /** The options the CLI created its own client with. */
  client: PlainClientOptions;
  /** The store URL as shown to the user (redacted), for error messages. */
  url: string;
}

/** Main thread → worker: load the list; the sessions of the answer come back on `port`. */
export interface ListWorkerRequest {
  id: number;
  base: number;
  port: MessagePort;
}

/** Worker → main thread, about the request `id`. */
export type ListWorkerReply =
  | { type: 'progress'; id: number; loaded: number; total: number | undefined }
  | { type: 'unchanged'; id: number }
  /** One more part of the delta (a `ListDelta`) waits on the request's port. */
  | { type: 'chunk'; id: number }
  /** The delta is complete: `chunks` parts in all. */
  | { type: 'changed'; id: number; version: number; full: boolean; chunks: number }
  /** What the screen says (`describeError` in the worker) and the exit code. */
  | { type: 'failed'; id: number; message: string; exitCode: number };

/** Rows (or removed keys) per message: a message is deserialized in one go on the main thread. */
export const CHUNK_SIZE = 2000;
