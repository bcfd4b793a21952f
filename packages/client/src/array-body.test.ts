import { readFileSync } from 'node:fs';
import { SessionListV3Schema, type SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import { type ArrayBodyOptions, readArrayBody } from './array-body.js';
import { CoCartNetworkError, CoCartValidationError } from './errors.js';

const URL_ = 'http://127.0.0.1:8080/wp-json/cocart/v2/sessions';
const list: SessionSummary[] = JSON.parse(
  readFileSync(new URL('../../../fixtures/sessions-list.json', import.meta.url), 'utf8'),
);
/** 300 sessions of the contract's shape, keys `guest_000`..., as a 3.x server lists them. */
const sessions = Array.from({ length: 300 }, (_, i) => ({
  ...list[i % 2],
  cart_id: String(5000 + i),
  cart_key: `guest_${String(i).padStart(3, '0')}`,
}));

/** A body sending `text` in chunks of `size` bytes, one per pull, counting pulls and cancels. */
function body(text: string, size: number, after?: Error) {
  const bytes = new TextEncoder().encode(text);
  const seen = { pulls: 0, cancelled: 0 };
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulls++;
      if (at < bytes.length) {
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      } else if (after) controller.error(after);
      else controller.close();
    },
    cancel() {
      seen.cancelled++;
    },
  });
  return { stream, seen };
}

function options(
  validation: ArrayBodyOptions<never>['validation'] = 'strict',
  onProgress?: (n: number) => void,
) {
  return {
    method: 'GET',
    url: () => URL_,
    timeout: 1000,
    model: SessionListV3Schema,
    validation,
    onProgress,
  };
}

describe('readArrayBody', () => {
  it('reads a JSON array cut anywhere into its checked elements, reporting progress', async () => {
    for (const [count, size] of [
      [40, 1],
      [40, 7],
      [300, 4096],
      [300, 1e6],
    ] as const) {
      const text = JSON.stringify(sessions.slice(0, count), null, 1);
      const progress: number[] = [];
      const got = await readArrayBody(
        body(text, size).stream,
        options('strict', (n) => progress.push(n)),
      );
      expect(got).toEqual({ isArray: true, items: sessions.slice(0, count), issues: [] });
      expect(progress.at(-1)).toBe(count);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    }
  });

  it('gives any other body whole (a 4.x page); an empty body is malformed, as a cut-off one', async () => {
    const page = JSON.stringify({ sessions: list, page: 1, total_pages: 1, total_sessions: 2 });
    expect(await readArrayBody(body(page, 16).stream, options())).toEqual({
      isArray: false,
      text: page,
      data: JSON.parse(page),
    });
    const e = await readArrayBody(body('', 16).stream, options()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CoCartValidationError);
    expect((e as CoCartValidationError).issues[0]?.message).toBe(
      'Malformed JSON (Unexpected end of JSON input)',
    );
  });

  it('returns the elements of an empty array', async () => {
    expect(await readArrayBody(body(' [ ] ', 2).stream, options())).toEqual({
      isArray: true,
      items: [],
      issues: [],
    });
  });

  it("'strict': a bad element fails with its index and the whole body, read to its end", async () => {
    const broken = sessions.map((s, i) => (i === 5 ? { ...s, cart_id: 5005 } : s));
    const text = JSON.stringify(broken);
    const { stream, seen } = body(text, 512);
    const e = (await readArrayBody(stream, options()).catch((x: unknown) => x)) as CoCartValidationError;
    expect(e).toBeInstanceOf(CoCartValidationError);
    expect(e.issues.map((i) => i.path)).toEqual([[5, 'cart_id']]);
    expect(e.body).toBe(text);
    expect(e.url).toBe(URL_);
    expect(seen.pulls).toBeGreaterThan(Math.ceil(text.length / 512));
  });

  it("'loose': the same element is let through and its issue returned for one report", async () => {
    const broken = sessions.map((s, i) => (i === 250 ? { ...s, cart_id: 5250 } : s));
    const got = await readArrayBody(body(JSON.stringify(broken), 999).stream, options('loose'));
    if (!got.isArray) throw new Error('an array');
    expect(got.items).toEqual(broken);
    expect(got.issues.map((i) => i.path)).toEqual([[250, 'cart_id']]);
  });

  it('malformed JSON fails with the body received so far and stops the download', async () => {
    const text = `[${JSON.stringify(list[0])}}, ${JSON.stringify(sessions)}]`;
    const { stream, seen } = body(text, 64);
    const e = (await readArrayBody(stream, options()).catch((x: unknown) => x)) as CoCartValidationError;
    expect(e).toBeInstanceOf(CoCartValidationError);
    expect(e.issues[0]?.message).toMatch(/^Malformed JSON \(Unexpected token '}'/);
    expect(text.startsWith(e.body)).toBe(true);
    expect(e.body.length).toBeLessThan(text.length);
    expect(seen.cancelled).toBe(1);
  });

  it('a body cut off inside the array is malformed JSON, not a short list', async () => {
    const text = JSON.stringify(sessions).slice(0, 5000);
    const e = (await readArrayBody(body(text, 700).stream, options()).catch(
      (x: unknown) => x,
    )) as CoCartValidationError;
    expect(e).toBeInstanceOf(CoCartValidationError);
    expect(e.issues[0]?.message).toBe('Malformed JSON (Unexpected end of JSON input)');
    expect(e.body).toBe(text);
  });

  it('a connection that breaks mid-body is a CoCartNetworkError', async () => {
    const { stream } = body(JSON.stringify(sessions).slice(0, 5000), 700, new TypeError('terminated'));
    const e = await readArrayBody(stream, options()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CoCartNetworkError);
    expect((e as Error).message).toBe(`GET ${URL_} failed: terminated`);
  });
});
