import { ERROR_CODES, type ErrorCode, errorBody, type WpError } from '@cocart-sessions/core';

/** Options of an {@link ApiError}; status and message default to the core's table. */
export interface ApiErrorOptions {
  status?: number;
  message?: string;
  data?: Record<string, unknown>;
  /** Extra response headers, e.g. `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
}

/** An error a handler throws to answer with a WordPress REST error envelope. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly data: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, opts: ApiErrorOptions = {}) {
    const entry = ERROR_CODES[code];
    super(opts.message ?? entry.message);
    this.name = 'ApiError';
    this.code = code;
    this.status = opts.status ?? entry.status;
    this.data = opts.data;
    this.headers = opts.headers;
  }

  /** The JSON envelope `{ code, message, data: { status, ... } }`. */
  toBody(): WpError {
    return errorBody(this.code, { status: this.status, message: this.message, data: this.data ?? {} });
  }
}

/** `400 rest_invalid_param` naming the offending parameters, as WordPress does. */
export function invalidParams(params: Record<string, string>): ApiError {
  const names = Object.keys(params);
  return new ApiError('rest_invalid_param', {
    message: `Invalid parameter(s): ${names.join(', ')}`,
    data: { params },
  });
}

/** `404 rest_no_route`. */
export function noRoute(): ApiError {
  return new ApiError('rest_no_route');
}

/** Type guard for {@link ApiError}. */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
