import { describe, expect, it } from 'vitest';
import { BodyReader } from './body-reader.js';
import { CoCartNetworkError, CoCartTimeoutError } from './errors.js';

const URL_ = 'http://127.0.0.1:8080/wp-json/cocart/v2/sessions';
const bytes = (text: string) => new TextEncoder().encode(text);

/** A source that tells how its URL was asked for: only an error should need it. */
function source(timeout: number | false) {
  const asked = { url: 0 };
  return {
    asked,
    source: {
      method: 'GET',
      url: () => {
        asked.url++;
        return URL_;
      },
      timeout,
    },
  };
}

/** A body that sends `chunks`, then stalls (never closes) unless `end`. */
function body(chunks: Uint8Array[], end: boolean, onCancel?: (reason: unknown) => void) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      if (end) controller.close();
    },
    cancel: onCancel,
  });
}

describe('BodyReader', () => {
  it('gives the chunks in order, then undefined, without computing the URL', async () => {
    const { asked, source: s } = source(1000);
    const reader = new BodyReader(body([bytes('[{"cart_id":'), bytes('"4038"}]')], true), s);
    expect(new TextDecoder().decode(await reader.read())).toBe('[{"cart_id":');
    expect(new TextDecoder().decode(await reader.read())).toBe('"4038"}]');
    expect(await reader.read()).toBeUndefined();
    expect(asked.url).toBe(0);
  });

  it('fails a read that gets no chunk within the timeout with CoCartTimeoutError', async () => {
    const { source: s } = source(50);
    const reader = new BodyReader(body([bytes('[')], false), s);
    await reader.read();
    const started = Date.now();
    const e = await reader.read().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CoCartTimeoutError);
    expect((e as CoCartTimeoutError).message).toBe(`GET ${URL_} timed out after 50 ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    await reader.cancel();
  });

  it('with timeout false, waits for a slow chunk', async () => {
    const { source: s } = source(false);
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            controller.enqueue(bytes('[]'));
            controller.close();
            resolve();
          }, 60),
        ),
    });
    const reader = new BodyReader(stream, s);
    expect(new TextDecoder().decode(await reader.read())).toBe('[]');
  });

  it('turns a connection that breaks mid-body into CoCartNetworkError naming the causes, not the URL in them', async () => {
    const { source: s } = source(1000);
    const socket = Object.assign(new Error('other side closed to http://admin:hunter2@127.0.0.1:8080/'), {
      code: 'UND_ERR_SOCKET',
    });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.error(new TypeError('terminated', { cause: socket }));
      },
    });
    const e = (await new BodyReader(stream, s).read().catch((x: unknown) => x)) as CoCartNetworkError;
    expect(e).toBeInstanceOf(CoCartNetworkError);
    expect(e).not.toBeInstanceOf(CoCartTimeoutError);
    expect(e.message).toBe(
      `GET ${URL_} failed: terminated: other side closed to http://127.0.0.1:8080/ (UND_ERR_SOCKET)`,
    );
    expect((e.cause as Error).cause).toBe(socket);
  });

  it('lets the AbortError of an aborted call through as it is', async () => {
    const { source: s } = source(1000);
    const abort = new DOMException('This operation was aborted', 'AbortError');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.error(abort);
      },
    });
    expect(await new BodyReader(stream, s).read().catch((x: unknown) => x)).toBe(abort);
  });

  it('cancel() stops the download at its source and never rejects, even on a failed body', async () => {
    const { source: s } = source(1000);
    let cancelled = 0;
    const reader = new BodyReader(
      body([bytes('[1,')], false, () => {
        cancelled++;
      }),
      s,
    );
    await reader.read();
    await reader.cancel();
    expect(cancelled).toBe(1);
    const failed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.error(new TypeError('terminated'));
      },
    });
    await expect(new BodyReader(failed, s).cancel()).resolves.toBeUndefined();
  });
});
