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
}

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
    const searchParams = this.#authParams ? { ...spec.searchParams, ...this.#authParams } : spec.searchParams;
    const options: Options = { method: spec.method };
    if (searchParams) options.searchParams = searchParams;
    if (spec.json !== undefined) options.json = spec.json;
    if (spec.retry !== undefined) options.retry = spec.retry;
    if (spec.signal) options.signal = spec.signal;
    const path = spec.path.replace(/^\/+/, '');
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
    let data: unknown;
    if (text !== '') {
      try {
        data = JSON.parse(text);
      } catch (error) {
        const issue: ValidationIssue = {
          code: 'custom',
          message: `Malformed JSON (${(error as Error).message})`,
          path: [],
          input: text,
        };
        throw new CoCartValidationError({
          method: spec.method,
          url: url(),
          issues: [issue],
          body: text,
          data: undefined,
        });
      }
    }
    return {
      method: spec.method,
      get url() {
        return url();
      },
      response,
      text,
      data,
    };
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
