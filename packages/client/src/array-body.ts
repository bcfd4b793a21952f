import type { z } from 'zod';
import { BodyReader, type BodySource } from './body-reader.js';
import { CoCartValidationError, type ValidationIssue } from './errors.js';
import { malformedJson } from './failures.js';
import { JsonArraySplitter, parseBatch, TimeSlicer } from './json-array.js';
import { ReceivedBody } from './received-body.js';
import { ArrayElements, type ElementTest, type ValidationMode } from './validation.js';

/** What {@link readArrayBody} found: a JSON array's checked elements, or any other body whole. */
export type ArrayBody<T> =
  | {
      isArray: true;
      items: T[];
      /** Issues that `'loose'` mode let through, paths from the start of the array. */
      issues: ValidationIssue[];
    }
  | {
      isArray: false;
      text: string;
      data: unknown;
    };

export interface ArrayBodyOptions<S extends z.ZodType> extends BodySource {
  /** The model of the whole array, applied to each batch of elements. */
  model: z.ZodArray<S>;
  /** A quick test standing for the model's element schema (see {@link ElementTest}). */
  isElement?: ElementTest<z.output<S>> | undefined;
  validation: ValidationMode;
  /** Called after each batch with the number of elements parsed so far. */
  onProgress?: ((parsed: number) => void) | undefined;
}

/**
 * Reads a body as it streams in. A JSON array is parsed and checked a batch of elements at a time,
 * with a turn of the event loop after each slice of work, so a list of 100k sessions never blocks
 * the caller for long; any other body is parsed whole. Malformed JSON (an empty body included), and
 * a bad element in `'strict'` mode, throw CoCartValidationError with the whole body, as for any
 * other answer.
 */
export async function readArrayBody<S extends z.ZodType>(
  body: ReadableStream<Uint8Array>,
  options: ArrayBodyOptions<S>,
): Promise<ArrayBody<z.output<S>>> {
  const { method, url } = options;
  const reader = new BodyReader(body, options);
  const received = new ReceivedBody();
  const decoder = new TextDecoder();
  const splitter = new JsonArraySplitter();
  const elements = new ArrayElements(options.model, options.validation, options.isElement);
  const slicer = new TimeSlicer();
  const parsed = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      throw malformedJson(method, url(), received.text(), error);
    }
  };
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk) received.push(chunk);
      const text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      const batch = text === '' ? undefined : parsed(() => splitter.push(text));
      if (batch !== undefined) {
        const rejected = elements.add(parsed(() => parseBatch(batch)));
        if (rejected) {
          // Only the error report needs the rest, as far as it comes.
          await reader.readRest(received).catch(() => {});
          throw new CoCartValidationError({
            method,
            url: url(),
            issues: rejected,
            body: received.text(),
            data: undefined,
          });
        }
        options.onProgress?.(elements.items.length);
        await slicer.maybeYield();
      }
      if (!chunk) break;
    }
  } catch (error) {
    await reader.cancel();
    throw error;
  }
  if (!splitter.isArray) {
    const text = received.text();
    return { isArray: false, text, data: parsed(() => JSON.parse(text)) };
  }
  parsed(() => splitter.end());
  return { isArray: true, items: elements.items, issues: elements.issues };
}
