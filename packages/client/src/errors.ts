import type { ErrorCode } from '@cocart-sessions/core';
import type { z } from 'zod';

/** One zod issue, as the core's schemas report it. */
export type ValidationIssue = z.core.$ZodIssue;

/** Codes the client gives when no API error names the failure. */
export type ClientErrorCode =
  | 'network_error'
  | 'timeout'
  | 'invalid_response'
  | 'http_error'
  | 'invalid_cart_key'
  /** `createClient` refused to send credentials over plain HTTP to a remote host (see `allowInsecureHttp`). */
  | 'insecure_http';

/**
 * What `code` of a client error holds: one of the core's API error codes, one of the client's own,
 * or a code this version does not know (another server, a newer plugin), kept as sent.
 * Compare with {@link hasErrorCode}, whose argument the compiler checks.
 */
export type CoCartErrorCode = ErrorCode | ClientErrorCode | (string & {});

/** Marks errors of this package, so guards also work across realms and duplicated installs. */
const BRAND = Symbol.for('@cocart-sessions/client/error');

/** Defines a property that `util.inspect` and `JSON.stringify` skip: responses carry URLs with credentials. */
function hide(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
}

/**
 * Base class of every error the client throws. `code` is a string a program can switch on.
 * Messages name the method and the URL (credentials removed) and never contain a secret.
 */
export class CoCartClientError extends Error {
  override name = 'CoCartClientError';
  /** A machine-readable reason: the API's error code, or one of the client's own. */
  code: CoCartErrorCode;
  /** HTTP method of the failed call, when there was one. */
  method: string | undefined;
  /** URL of the failed call with userinfo and API keys removed. */
  url: string | undefined;

  constructor(
    message: string,
    opts: { code: CoCartErrorCode; method?: string; url?: string; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code;
    this.method = opts.method;
    this.url = opts.url;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }
}

/** The server answered with an error status; the WordPress error envelope is parsed when present. */
export class CoCartApiError extends CoCartClientError {
  override name = 'CoCartApiError';
  /** HTTP status of the answer. */
  status: number;
  /** `data` of the WordPress error envelope (`{ status, ... }`), or `{ status }` when the body was not one. */
  data: Record<string, unknown>;
  /** The response (body already read). Not enumerable: its URL may carry API keys. */
  declare response: Response;

  constructor(opts: {
    status: number;
    code: CoCartErrorCode;
    message: string;
    data: Record<string, unknown>;
    response: Response;
    method: string;
    url: string;
  }) {
    super(`${opts.method} ${opts.url} failed with ${opts.status} ${opts.code}: ${opts.message}`, opts);
    this.status = opts.status;
    this.data = opts.data;
    hide(this, 'response', opts.response);
    // The API's own words, without the method/URL prefix, for UIs that show them as they are.
    hide(this, 'apiMessage', opts.message);
  }

  /** The message the server sent (without the method and URL). */
  get serverMessage(): string {
    return (this as unknown as { apiMessage: string }).apiMessage;
  }
}

/** No usable answer reached the client: connection refused or reset, DNS failure, offline. */
export class CoCartNetworkError extends CoCartClientError {
  override name = 'CoCartNetworkError';

  constructor(
    message: string,
    opts: { method: string; url: string; cause?: unknown; code?: CoCartErrorCode },
  ) {
    super(message, { code: 'network_error', ...opts });
  }
}

/** No answer within the `timeout`. */
export class CoCartTimeoutError extends CoCartNetworkError {
  override name = 'CoCartTimeoutError';
  /** The per-attempt timeout in milliseconds. */
  timeout: number | undefined;

  constructor(opts: { method: string; url: string; timeout: number | undefined }) {
    const after = opts.timeout === undefined ? '' : ` after ${opts.timeout} ms`;
    super(`${opts.method} ${opts.url} timed out${after}`, { ...opts, code: 'timeout' });
    this.timeout = opts.timeout;
  }
}

/** The answer was not valid JSON, or did not match the core's model (validation `'strict'`). */
export class CoCartValidationError extends CoCartClientError {
  override name = 'CoCartValidationError';
  /** The zod issues (a single custom issue for malformed JSON). */
  issues: ValidationIssue[];
  /** The raw body as received. */
  declare body: string;
  /** The parsed JSON, `undefined` when the body was not JSON. */
  data: unknown;

  constructor(opts: { method: string; url: string; issues: ValidationIssue[]; body: string; data: unknown }) {
    super(`${opts.method} ${opts.url} returned an unexpected payload: ${summarizeIssues(opts.issues)}`, {
      code: 'invalid_response',
      method: opts.method,
      url: opts.url,
    });
    this.issues = opts.issues;
    this.data = opts.data;
    hide(this, 'body', opts.body);
  }
}

/** "items.0.price: Invalid input: expected string, received number (+2 more)". */
function summarizeIssues(issues: readonly ValidationIssue[]): string {
  const first = issues[0];
  if (!first) return 'no details';
  const path = first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return `${path}${first.message}${more}`;
}

/** True when `e` carries this package's brand (survives realms and duplicate copies of the package). */
export function hasClientBrand(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}
