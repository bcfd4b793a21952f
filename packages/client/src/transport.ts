import type { Hooks, KyInstance, Options, ResponsePromise, RetryOptions } from 'ky';
import ky from 'ky';
import type { z } from 'zod';
import { readArrayBody } from './array-body.js';
import { openArrayStream } from './array-stream.js';
import { authorizationHeader, authSearchParams, type ClientAuth } from './auth.js';
import { CoCartValidationError, type ValidationIssue } from './errors.js';
import { malformedJson, translateKyError } from './failures.js';
import { retryPolicy } from './retry.js';
import { redactUrl } from './url.js';
import type { ElementTest, ValidationMode, ValidationReport } from './validation.js';

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

/** An answer opened by {@link Transport.streamArray}. */
export interface ArrayStreamAnswer<T> extends Answer {
  /**
   * The elements of a JSON array body, a batch (the elements a chunk of the body completed) at a
   * time, read, parsed and checked as the caller pulls them; `undefined` for any other body (in
   * `data`) and for a 304.
   */
  batches: AsyncGenerator<T[], void, undefined> | undefined;
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
    // Sent on http:// too (createClient has refused remote hosts without the opt-in): the official
    // library's silent drop there is what users trip on.
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
    const { response, body: text, url } = await this.#send(spec, (pending) => pending.text());
    const head: Head = { method: spec.method, response, url };
    if (response.status === 304 || text === '') return answer(head, '', undefined);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw malformedJson(spec.method, url(), text, error);
    }
    return answer(head, text, data);
  }

  /** Sends `spec`: the answer's head, and its body unless it has none (a 304: its body is dropped). */
  async #sendForBody(
    spec: RequestSpec,
  ): Promise<{ head: Head; body: ReadableStream<Uint8Array> | undefined }> {
    const { response, url } = await this.#send(spec, (pending) => pending);
    const head: Head = { method: spec.method, response, url };
    if (response.status === 304 || !response.body) {
      if (response.body) await response.body.cancel().catch(() => {});
      return { head, body: undefined };
    }
    return { head, body: response.body };
  }

  /**
   * Like {@link request}, but a JSON array body is read as it streams in and parsed and validated
   * against `model` a slice at a time (see {@link readArrayBody}), so a list of 100k sessions never
   * blocks the caller for long. Any other body is parsed whole into `data`.
   */
  async requestArray<S extends z.ZodType>(
    spec: RequestSpec,
    model: z.ZodArray<S>,
    onProgress?: ArrayProgress,
    isElement?: ElementTest<z.output<S>>,
  ): Promise<ArrayAnswer<z.output<S>>> {
    const { head, body: stream } = await this.#sendForBody(spec);
    const { response, url } = head;
    if (stream === undefined) return arrayAnswer(head, '', undefined, undefined);
    const body = await readArrayBody(stream, {
      method: spec.method,
      url,
      timeout: this.#timeout,
      model,
      isElement,
      validation: this.#validation,
      onProgress: onProgress && ((parsed) => onProgress(parsed, response)),
    });
    if (!body.isArray) return arrayAnswer(head, body.text, body.data, undefined);
    if (body.issues.length > 0) {
      this.#onValidationIssues?.({ method: spec.method, url: url(), issues: body.issues, data: body.items });
    }
    // The raw text is not kept: callers of the array form get the elements.
    return arrayAnswer(head, '', body.items, body.items);
  }

  /**
   * Like {@link requestArray}, but a JSON array body is not collected: its elements are yielded as
   * they are parsed and checked, a chunk at a time, and nothing of the body is kept (see
   * {@link openArrayStream}). Any other body is parsed whole into `data`.
   */
  async streamArray<S extends z.ZodType>(
    spec: RequestSpec,
    model: z.ZodArray<S>,
    isElement?: ElementTest<z.output<S>>,
  ): Promise<ArrayStreamAnswer<z.output<S>>> {
    const { head, body } = await this.#sendForBody(spec);
    const { url } = head;
    const none = (text: string, data: unknown) =>
      Object.assign(answer(head, text, data), { batches: undefined });
    if (body === undefined) return none('', undefined);
    const opened = await openArrayStream(body, {
      method: spec.method,
      url,
      timeout: this.#timeout,
      model,
      isElement,
      validation: this.#validation,
      onIssues: (issues, data) =>
        this.#onValidationIssues?.({ method: spec.method, url: url(), issues, data }),
    });
    if (!opened.isArray) return none(opened.text, opened.data);
    return Object.assign(answer(head, '', undefined), { batches: opened.batches });
  }

  /**
   * The HTTP call: one ky request, its failures translated into the client's errors. `read` awaits
   * what the caller needs of the answer, so a body read there is bounded by ky's timeout too.
   */
  async #send<T>(
    spec: RequestSpec,
    read: (pending: ResponsePromise) => Promise<T>,
  ): Promise<{ response: Response; body: T; url: () => string }> {
    const { path, searchParams, options } = this.#prepare(spec);
    let response: Response;
    let body: T;
    try {
      const pending = this.#ky(path, options);
      body = await read(pending);
      // The same response `read` saw, already settled.
      response = await pending;
    } catch (error) {
      throw await translateKyError(error, spec.method, this.#describe(path, searchParams), this.#timeout);
    }
    // Redacting costs a URL parse; only failures and reports need it.
    return { response, body, url: () => redactUrl(response.url || this.#describe(path, searchParams)) };
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
}

/** What the HTTP call learnt of an exchange before its body. */
interface Head {
  method: string;
  response: Response;
  url: () => string;
}

/** An {@link Answer}, its URL redacted only if asked for. */
function answer(head: Head, text: string, data: unknown): Answer {
  const { method, response, url } = head;
  return {
    method,
    get url() {
      return url();
    },
    response,
    text,
    data,
    notModified: response.status === 304,
    etag: response.headers.get('etag') ?? undefined,
  };
}

function arrayAnswer<T>(head: Head, text: string, data: unknown, items: T[] | undefined): ArrayAnswer<T> {
  // Assigned, not spread: a spread would read (and redact) the URL now.
  return Object.assign(answer(head, text, data), { items });
}
