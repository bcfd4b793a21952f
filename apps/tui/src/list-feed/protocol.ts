import type { ClientOptions } from '@cocart-sessions/client';
import type { ListCalls, ListStatus } from './list-service.js';

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
  /** How many sessions the first page said the store holds: room is made for them at once. */
  sizeHint?: number | undefined;
}

/** Main thread → worker: one call of the list service. */
export interface ListWorkerRequest {
  id: number;
  method: keyof ListCalls;
  args: unknown[];
}

/** Worker → main thread: a call's answer or failure, or the list's status as it changes. */
export type ListWorkerReply =
  | { type: 'result'; id: number; value: unknown }
  /** What the screen says (`describeError` in the worker) and the exit code. */
  | { type: 'failed'; id: number; message: string; exitCode: number }
  | { type: 'status'; status: ListStatus };
