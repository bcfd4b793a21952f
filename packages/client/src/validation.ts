import type { z } from 'zod';
import type { ValidationIssue } from './errors.js';

/** The values of {@link ValidationMode}. */
export const VALIDATION_MODES = ['strict', 'loose', 'off'] as const;

/** How answers are checked against the core's models. */
export type ValidationMode = (typeof VALIDATION_MODES)[number];

/** What `onValidationIssues` receives in `'loose'` mode. */
export interface ValidationReport {
  method: string;
  /** URL without credentials. */
  url: string;
  issues: ValidationIssue[];
  /** The parsed JSON that failed the model (returned to the caller as is). */
  data: unknown;
}

/**
 * A quick test of one element that gives the same answer as the array's element schema and stands for
 * it when that schema's output is its input unchanged (the core's `isSessionSummary` for
 * `SessionSummarySchema`): a batch whose every element passes is taken as it is, without zod's copy of
 * each; the schema runs only on a batch that fails, to say what is wrong.
 */
export type ElementTest<T> = (x: unknown) => x is T;

/**
 * A batch of parsed elements checked against the array's model (through `isElement` first when
 * given): the elements as the model gives them, or the model's issues with paths counted from
 * `offset`, the batch's position in the whole array.
 */
export function checkBatch<S extends z.ZodType>(
  model: z.ZodArray<S>,
  isElement: ElementTest<z.output<S>> | undefined,
  batch: unknown[],
  offset: number,
): { ok: true; data: z.output<S>[] } | { ok: false; issues: ValidationIssue[] } {
  if (isElement && batch.every(isElement)) return { ok: true, data: batch as z.output<S>[] };
  const result = model.safeParse(batch);
  if (result.success) return { ok: true, data: result.data };
  const issues = (result.error.issues as ValidationIssue[]).map((issue) => ({
    ...issue,
    path: typeof issue.path[0] === 'number' ? [issue.path[0] + offset, ...issue.path.slice(1)] : issue.path,
  }));
  return { ok: false, issues };
}

/**
 * The elements of one JSON array, checked against the array's model a batch at a time as they are
 * parsed. Issue paths count from the start of the whole array, not of the batch.
 */
export class ArrayElements<S extends z.ZodType> {
  /** The elements so far: as the model parsed them, or as received (`'off'`, or `'loose'` with issues). */
  readonly items: z.output<S>[] = [];
  /** The issues `'loose'` mode let through so far, for one report at the end. */
  readonly issues: ValidationIssue[] = [];
  readonly #model: z.ZodArray<S>;
  readonly #mode: ValidationMode;
  readonly #isElement: ElementTest<z.output<S>> | undefined;

  constructor(model: z.ZodArray<S>, mode: ValidationMode, isElement?: ElementTest<z.output<S>>) {
    this.#model = model;
    this.#mode = mode;
    this.#isElement = isElement;
  }

  /**
   * Adds the next batch of parsed elements. In `'strict'` mode a batch with issues adds nothing and
   * they are returned: the whole answer fails. Otherwise returns `undefined`.
   */
  add(batch: unknown[]): ValidationIssue[] | undefined {
    if (this.#mode === 'off') {
      this.#keepRaw(batch);
      return undefined;
    }
    const result = checkBatch(this.#model, this.#isElement, batch, this.items.length);
    if (result.ok) {
      for (const v of result.data) this.items.push(v);
      return undefined;
    }
    if (this.#mode === 'strict') return result.issues;
    this.issues.push(...result.issues);
    this.#keepRaw(batch);
    return undefined;
  }

  #keepRaw(batch: unknown[]): void {
    for (const v of batch) this.items.push(v as z.output<S>);
  }
}
