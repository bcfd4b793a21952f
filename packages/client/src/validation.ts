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

  constructor(model: z.ZodArray<S>, mode: ValidationMode) {
    this.#model = model;
    this.#mode = mode;
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
    const result = this.#model.safeParse(batch);
    if (result.success) {
      for (const v of result.data) this.items.push(v);
      return undefined;
    }
    const offset = this.items.length;
    const found = (result.error.issues as ValidationIssue[]).map((issue) => ({
      ...issue,
      path: typeof issue.path[0] === 'number' ? [issue.path[0] + offset, ...issue.path.slice(1)] : issue.path,
    }));
    if (this.#mode === 'strict') return found;
    this.issues.push(...found);
    this.#keepRaw(batch);
    return undefined;
  }

  #keepRaw(batch: unknown[]): void {
    for (const v of batch) this.items.push(v as z.output<S>);
  }
}
