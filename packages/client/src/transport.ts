import { WpErrorSchema } from '@cocart-sessions/core';
import type { Hooks, KyInstance, Options, RetryOptions } from 'ky';
import ky, { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import type { z } from 'zod';
import { authorizationHeader, authSearchParams, type ClientAuth } from './auth.js';
import {
  CoCartApiError,
  CoCartNetworkError,
  CoCartTimeoutError,
  CoCartValidationError,
  type ValidationIssue,
} from './errors.js';
import { JsonArraySplitter, parseBatch, TimeSlicer } from './json-array.js';
import { retryPolicy } from './retry.js';
import { redactUrl } from './url.js';

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

/** Query parameters; `undefined` values are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** One HTTP exchange as the transport hands it back. */
export interface Answer {
  method: string;
  /** The request URL without credentials. */
  url: string;
  response: Response;
  text: string;
  /** Parsed JSON body (`undefined` for an empty body). */
  data: unknown;
  /** True for a `304 Not Modified` to an `If-None-Match` (no body). */
  notModified: boolean;
  /** The answer's `ETag` header, if the server sent one. */
  etag: string | undefined;
}

/** An answer read by {@link Transport.requestArray}. */
export interface ArrayAnswer<T> extends Answer {
  /** The validated elements when the body was a JSON array; `undefined` for any other body (in `data`). */
  items: T[] | undefined;
}

/** Progress of a streamed array: elements parsed so far. */
export type ArrayProgress = (parsed: number, response: Response) => void;

export interface TransportOptions {
  apiBase: string;
  auth: ClientAuth | undefined;
  timeout: number | false;
  retry: number | RetryOptions | undefined;
  hooks: Hooks | undefined;
  fetch: typeof fetch | undefined;
  validation: ValidationMode;
  onValidationIssues: ((report: ValidationReport) => void) | undefined;
}

export interface RequestSpec extends CallOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  searchParams?: QueryParams | undefined;
  json?: unknown;
  /** Overrides the retry policy for this call (DELETE handles its own single retry). */
  retry?: number | RetryOptions;
  /** Sent as `If-None-Match`; a 304 answer then resolves with `notModified: true`. */
  ifNoneMatch?: string | undefined;
}

/** The HTTP layer: ky configured once, errors translated into the client's classes. */
export class Transport {
  readonly #validation: ValidationMode;
  readonly #ky: KyInstance;
  readonly #apiBase: string;
  readonly #authParams: Record<string, string> | undefined;
  readonly #timeout: number | false;
  readonly #onValidationIssues: TransportOptions['onValidationIssues'];

  constructor(opts: TransportOptions) {
    this.#validation = opts.validation;
    this.#apiBase = opts.apiBase;
    this.#authParams = authSearchParams(opts.auth);
    this.#timeout = opts.timeout;
    this.#onValidationIssues = opts.onValidationIssues;
    const headers: Record<string, string> = { accept: 'application/json' };
    const authorization = authorizationHeader(opts.auth);
    // Sent whatever the scheme: the official library's silent drop on http:// is what users trip on.
    if (authorization) headers.authorization = authorization;
    const kyOptions: Options = {
      prefix: opts.apiBase,
      headers,
      timeout: opts.timeout,
      retry: retryPolicy(opts.retry),
      // A 304 is the answer to our own If-None-Match, not a failure.
      throwHttpErrors: (status) => status !== 304,
    };
    if (opts.hooks) kyOptions.hooks = opts.hooks;
    if (opts.fetch) kyOptions.fetch = opts.fetch;
    this.#ky = ky.create(kyOptions);
  }

  /** The API base URL without credentials. */
  get apiBase(): string {
    return redactUrl(this.#apiBase);
  }

  /** Sends one request and reads its body; every failure becomes a CoCartClientError. */
  async request(spec: RequestSpec): Promise<Answer> {
    const { path, searchParams, options } = this.#prepare(spec);
    let response: Response;
    let text: string;
    try {
      const pending = this.#ky(path, options);
      // `.text()` bounds the body read by the timeout too; the awaited promise is the same response.
      text = await pending.text();
      response = await pending;
    } catch (error) {
      throw await this.#translate(error, spec.method, this.#describe(path, searchParams));
    }
    // Redacting costs a URL parse; only failures and reports need it.
    const url = () => redactUrl(response.url || this.#describe(path, searchParams));
    const notModified = response.status === 304;
    let data: unknown;
    if (text !== '' && !notModified) {
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw malformed(spec.method, url(), text, error);
      }
    }
    return {
      method: spec.method,
      get url() {
        return url();
      },
      response,
      text: notModified ? '' : text,
      data,
      notModified,
      etag: response.headers.get('etag') ?? undefined,
    };
  }

  /**
   * Like {@link request}, but a JSON array body is read as it streams in and parsed and validated
   * against `element` a slice at a time, yielding to the event loop between slices, so a list of
   * 100k sessions never blocks the caller for long. Any other body is parsed whole into `data`.
   */
  async requestArray<S extends z.ZodType>(
    spec: RequestSpec,
    element: z.ZodArray<S>,
    onProgress?: ArrayProgress,
  ): Promise<ArrayAnswer<z.output<S>>> {
    const { path, searchParams, options } = this.#prepare(spec);
    let response: Response;
    try {
      response = await this.#ky(path, options);
    } catch (error) {
      throw await this.#translate(error, spec.method, this.#describe(path, searchParams));
    }
    const url = () => redactUrl(response.url || this.#describe(path, searchParams));
    const base = {
      method: spec.method,
      get url() {
        return url();
      },
      response,
      notModified: response.status === 304,
      etag: response.headers.get('etag') ?? undefined,
    };
    if (base.notModified || !response.body) {
      if (response.body) await response.body.cancel().catch(() => {});
      return { ...base, text: '', data: undefined, items: undefined };
    }
    // The body as it came, for error reports only: bytes live outside the JS heap, so holding a big
    // list's text costs no garbage-collector copying while it streams in (decoded strings did).
    const received: Uint8Array[] = [];
    const body = (): string => {
      const whole = new TextDecoder();
      return received.map((b) => whole.decode(b, { stream: true })).join('') + whole.decode();
    };
    const splitter = new JsonArraySplitter();
    const slicer = new TimeSlicer();
    const items: z.output<S>[] = [];
    const issues: ValidationIssue[] = [];
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const fail = async (error: unknown): Promise<never> => {
      await reader.cancel().catch(() => {});
      throw error;
    };
    const take = async (batch: string | undefined) => {
      if (batch === undefined) return;
      let raw: unknown[];
      try {
        raw = parseBatch(batch);
      } catch (error) {
        return fail(malformed(spec.method, url(), body(), error));
      }
      const offset = items.length;
      if (this.#validation === 'off') {
        for (const v of raw) items.push(v as z.output<S>);
      } else {
        const result = element.safeParse(raw);
        if (result.success) {
          for (const v of result.data) items.push(v);
        } else {
          const found = (result.error.issues as ValidationIssue[]).map((issue) => ({
            ...issue,
            path:
              typeof issue.path[0] === 'number'
                ? [issue.path[0] + offset, ...issue.path.slice(1)]
                : issue.path,
          }));
          if (this.#validation === 'strict') {
            // The error carries the whole raw body, as for any other answer.
            try {
              for (
                let r = await this.#read(reader, spec.method, url);
                !r.done;
                r = await this.#read(reader, spec.method, url)
              )
                received.push(r.value);
            } catch {}
            return fail(
              new CoCartValidationError({
                method: spec.method,
                url: url(),
                issues: found,
                body: body(),
                data: undefined,
              }),
            );
          }
          issues.push(...found);
          for (const v of raw) items.push(v as z.output<S>);
        }
      }
      onProgress?.(items.length, response);
      await slicer.maybeYield();
    };
    for (;;) {
      const r = await this.#read(reader, spec.method, url).catch(fail);
      if (!r.done) received.push(r.value);
      const text = r.done ? decoder.decode() : decoder.decode(r.value, { stream: true });
      let batch: string | undefined;
      try {
        batch = text === '' ? undefined : splitter.push(text);
      } catch (error) {
        return fail(malformed(spec.method, url(), body(), error));
      }
      await take(batch);
      if (r.done) break;
    }
    if (!splitter.isArray) {
      const text = body();
      let data: unknown;
      try {
        data = text === '' ? undefined : JSON.parse(text);
      } catch (error) {
        throw malformed(spec.method, url(), text, error);
      }
      return { ...base, text, data, items: undefined };
    }
    try {
      splitter.end();
    } catch (error) {
      throw malformed(spec.method, url(), body(), error);
    }
    if (issues.length > 0) {
      this.#onValidationIssues?.({ method: spec.method, url: url(), issues, data: items });
    }
    // The raw text is not kept: callers of the array form get the elements.
    return { ...base, text: '', data: items, items };
  }

  /** One body chunk, bounded by the per-attempt timeout (a stalled body fails like a stalled answer). */
  async #read(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    method: string,
    url: () => string,
  ): Promise<ReadableStreamReadResult<Uint8Array>> {
    const read = reader.read();
    if (this.#timeout === false) return read.catch((e) => this.#bodyFailure(e, method, url()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = this.#timeout;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CoCartTimeoutError({ method, url: url(), timeout })), timeout);
    });
    try {
      return await Promise.race([read.catch((e) => this.#bodyFailure(e, method, url())), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  #bodyFailure(error: unknown, method: string, url: string): never {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new CoCartNetworkError(`${method} ${url} failed: ${describeCause(error)}`, {
      method,
      url,
      cause: error,
    });
  }

  #prepare(spec: RequestSpec): { path: string; searchParams: QueryParams | undefined; options: Options } {
    const searchParams = this.#authParams ? { ...spec.searchParams, ...this.#authParams } : spec.searchParams;
    const options: Options = { method: spec.method };
    if (searchParams) options.searchParams = searchParams;
    if (spec.json !== undefined) options.json = spec.json;
    if (spec.retry !== undefined) options.retry = spec.retry;
    if (spec.signal) options.signal = spec.signal;
    if (spec.ifNoneMatch !== undefined) options.headers = { 'if-none-match': spec.ifNoneMatch };
    return { path: spec.path.replace(/^\/+/, ''), searchParams, options };
  }

  /**
   * Checks `answer.data` against `schema` by the validation mode: 'strict' throws CoCartValidationError,
   * 'loose' reports the issues to `onValidationIssues` and returns the data as received, 'off' skips the check.
   */
  validate<S extends z.ZodType>(schema: S, answer: Answer): z.output<S> {
    if (this.#validation === 'off') return answer.data as z.output<S>;
    const result = schema.safeParse(answer.data);
    if (result.success) return result.data;
    const issues = result.error.issues as ValidationIssue[];
    if (this.#validation === 'strict') {
      throw new CoCartValidationError({
        method: answer.method,
        url: answer.url,
        issues,
        body: answer.text,
        data: answer.data,
      });
    }
    this.#onValidationIssues?.({ method: answer.method, url: answer.url, issues, data: answer.data });
    return answer.data as z.output<S>;
  }

  #describe(path: string, searchParams: QueryParams | undefined): string {
    const url = new URL(path, this.#apiBase);
    for (const [k, v] of Object.entries(searchParams ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    return redactUrl(url.href);
  }

  async #translate(error: unknown, method: string, fallbackUrl: string): Promise<unknown> {
    if (isTimeoutError(error)) {
      const url = redactUrl(error.request.url);
      return new CoCartTimeoutError({
        method,
        url,
        timeout: this.#timeout === false ? undefined : this.#timeout,
      });
    }
    if (isNetworkError(error)) {
      const url = redactUrl(error.request.url);
      return new CoCartNetworkError(`${method} ${url} failed: ${describeCause(error.cause)}`, {
        method,
        url,
        cause: error.cause,
      });
    }
    if (isHTTPError(error)) {
      const url = redactUrl(error.request.url);
      const { response } = error;
      const envelope = WpErrorSchema.safeParse(error.data);
      if (envelope.success) {
        const { code, message, data } = envelope.data;
        return new CoCartApiError({ status: response.status, code, message, data, response, method, url });
      }
      const reason = response.statusText ? `${response.status} ${response.statusText}` : `${response.status}`;
      return new CoCartApiError({
        status: response.status,
        code: 'http_error',
        message: `HTTP ${reason} without a WordPress error body`,
        data: { status: response.status },
        response,
        method,
        url,
      });
    }
    // A body cut off mid-read, or a custom fetch that reports network failures as TypeError (the fetch spec's way).
    if (error instanceof TypeError) {
      return new CoCartNetworkError(`${method} ${fallbackUrl} failed: ${describeCause(error)}`, {
        method,
        url: fallbackUrl,
        cause: error,
      });
    }
    return error;
  }
}

function malformed(method: string, url: string, text: string, error: unknown): CoCartValidationError {
  const issue: ValidationIssue = {
    code: 'custom',
    message: `Malformed JSON (${(error as Error).message})`,
    path: [],
    input: text,
  };
  return new CoCartValidationError({ method, url, issues: [issue], body: text, data: undefined });
}

/** "fetch failed: other side closed (UND_ERR_SOCKET)": the chain of causes, without URLs. */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current = cause;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(
      typeof code === 'string' ? `${redactText(current.message)} (${code})` : redactText(current.message),
    );
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : 'network error';
}

/** Masks anything URL-like with credentials that a runtime may have put in an error message. */
function redactText(text: string): string {
  return text.replace(/https?:\/\/[^\s'"]+/g, (u) => redactUrl(u));
}
