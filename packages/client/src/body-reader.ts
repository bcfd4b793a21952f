import { CoCartTimeoutError } from './errors.js';
import { bodyReadFailure } from './failures.js';

/** Where a body comes from, for the errors of its reads. */
export interface BodySource {
  method: string;
  /** The redacted URL (computed only for an error). */
  url: () => string;
  /** Per-read limit in ms, the client's per-attempt timeout; `false` for none. */
  timeout: number | false;
}

/**
 * Reads a response body a chunk at a time. Each read is bounded by the timeout, so a body that
 * stalls fails like an answer that stalls (ky's own timeout ends once the headers are in).
 */
export class BodyReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #source: BodySource;

  constructor(body: ReadableStream<Uint8Array>, source: BodySource) {
    this.#reader = body.getReader();
    this.#source = source;
  }

  /**
   * The next chunk, or `undefined` at the end. Rejects with CoCartTimeoutError when none comes in
   * time, CoCartNetworkError when the connection fails, and the AbortError of an aborted call.
   */
  async read(): Promise<Uint8Array | undefined> {
    const { method, url, timeout } = this.#source;
    const read = this.#reader.read().then(
      (r) => (r.done ? undefined : r.value),
      (error: unknown) => {
        throw bodyReadFailure(error, method, url());
      },
    );
    if (timeout === false) return read;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CoCartTimeoutError({ method, url: url(), timeout })), timeout);
    });
    try {
      return await Promise.race([read, stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads the rest of the body into `received`, a chunk at a time. */
  async readRest(received: { push(chunk: Uint8Array): void }): Promise<void> {
    for (let chunk = await this.read(); chunk; chunk = await this.read()) received.push(chunk);
  }

  /** Stops the download, after a failure or once the rest of the body is not wanted; never rejects. */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
