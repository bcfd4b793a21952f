import type { z } from 'zod';
import { BodyReader, type BodySource } from './body-reader.js';
import { CoCartValidationError, type ValidationIssue } from './errors.js';
import { malformedJson } from './failures.js';
import { JsonArraySplitter, parseBatch, TimeSlicer } from './json-array.js';
import { ReceivedBody } from './received-body.js';
import { checkBatch, type ElementTest, type ValidationMode } from './validation.js';

/** Bytes of the body decoded, split and parsed at a time (a chunk may be 64 KiB or more). */
const SLICE_BYTES = 16 * 1024;

/** What {@link openArrayStream} found: a JSON array to iterate, or any other body whole. */
export type ArrayStream<T> =
  | { isArray: true; batches: AsyncGenerator<T[], void, undefined> }
  | { isArray: false; text: string; data: unknown };

export interface ArrayStreamOptions<S extends z.ZodType> extends BodySource {
  /** The model of the whole array, applied to each batch of elements as it is parsed. */
  model: z.ZodArray<S>;
  /** A quick test standing for the model's element schema (see {@link ElementTest}). */
  isElement?: ElementTest<z.output<S>> | undefined;
  validation: ValidationMode;
  /** `'loose'` mode's report of a batch's issues (paths from the start of the array). */
  onIssues?: ((issues: ValidationIssue[], batch: unknown[]) => void) | undefined;
}

/**
 * Opens a body that may be a JSON array. An array is handed over as a generator that reads the body
 * only as the caller pulls: each chunk's complete elements are parsed, checked against the model and
 * yielded as one batch, then forgotten, so memory holds one chunk whatever the length of the array. Any other
 * body is read and parsed whole. A malformed batch, or a bad element in `'strict'` mode, throws
 * CoCartValidationError carrying that batch's text (never the whole body, which is not kept).
 * Leaving the loop early cancels the download.
 */
export async function openArrayStream<S extends z.ZodType>(
  body: ReadableStream<Uint8Array>,
  options: ArrayStreamOptions<S>,
): Promise<ArrayStream<z.output<S>>> {
  const reader = new BodyReader(body, options);
  const decoder = new TextDecoder();
  const splitter = new JsonArraySplitter();
  // Chunks before the first non-blank character: what a non-array body starts with.
  const head = new ReceivedBody();
  let first: string | undefined;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk) head.push(chunk);
      const text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      try {
        first = text === '' ? undefined : splitter.push(text);
      } catch (error) {
        throw malformedJson(options.method, options.url(), text, error);
      }
      if (!splitter.isArray || /\S/.test(text) || !chunk) break;
    }
  } catch (error) {
    await reader.cancel();
    throw error;
  }
  if (!splitter.isArray) {
    await reader.readRest(head);
    const text = head.text();
    return { isArray: false, text, data: parseWhole(options, text) };
  }
  return { isArray: true, batches: batchesOf(reader, decoder, splitter, first, options) };
}

function parseWhole(options: BodySource, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw malformedJson(options.method, options.url(), text, error);
  }
}

async function* batchesOf<S extends z.ZodType>(
  reader: BodyReader,
  decoder: TextDecoder,
  splitter: JsonArraySplitter,
  firstBatch: string | undefined,
  options: ArrayStreamOptions<S>,
): AsyncGenerator<z.output<S>[], void, undefined> {
  const { method, url } = options;
  const slicer = new TimeSlicer();
  let offset = 0;
  const check = (batch: string): z.output<S>[] => {
    let parsed: unknown[];
    try {
      parsed = parseBatch(batch);
    } catch (error) {
      throw malformedJson(method, url(), batch, error);
    }
    const start = offset;
    offset += parsed.length;
    if (options.validation === 'off') return parsed as z.output<S>[];
    const result = checkBatch(options.model, options.isElement, parsed, start);
    if (result.ok) return result.data;
    const { issues } = result;
    if (options.validation === 'strict') {
      throw new CoCartValidationError({ method, url: url(), issues, body: batch, data: parsed });
    }
    options.onIssues?.(issues, parsed);
    return parsed as z.output<S>[];
  };
  let done = false;
  try {
    if (firstBatch !== undefined) yield check(firstBatch);
    const split = (text: string): string | undefined => {
      try {
        return text === '' ? undefined : splitter.push(text);
      } catch (error) {
        throw malformedJson(method, url(), text, error);
      }
    };
    for (;;) {
      const chunk = await reader.read();
      if (!chunk) {
        const batch = split(decoder.decode());
        if (batch !== undefined) yield check(batch);
        break;
      }
      // A slice of the chunk at a time: the text and the elements alive at once stay small, and what
      // is alive whenever V8 collects its young generation is what makes that generation grow.
      for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
        const batch = split(decoder.decode(chunk.subarray(at, at + SLICE_BYTES), { stream: true }));
        if (batch !== undefined) yield check(batch);
      }
      await slicer.maybeYield();
    }
    try {
      splitter.end();
    } catch (error) {
      throw malformedJson(method, url(), '', error);
    }
    done = true;
  } finally {
    // An early `break`, or a failure: the rest of the body is not wanted.
    if (!done) await reader.cancel();
  }
}
