import { WpErrorSchema } from '@cocart-sessions/core';
import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import {
  CoCartApiError,
  CoCartNetworkError,
  CoCartTimeoutError,
  CoCartValidationError,
  type ValidationIssue,
} from './errors.js';
import { redactUrl } from './url.js';

/**
 * The client's error for a failed ky call (`fallbackUrl`: the redacted URL, for failures that carry
 * no request); anything it does not recognise is returned as is.
 */
export async function translateKyError(
  error: unknown,
  method: string,
  fallbackUrl: string,
  timeout: number | false,
): Promise<unknown> {
  if (isTimeoutError(error)) {
    const url = redactUrl(error.request.url);
    return new CoCartTimeoutError({ method, url, timeout: timeout === false ? undefined : timeout });
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

/** The client's error for a body read that failed after the answer began; an abort stays an abort. */
export function bodyReadFailure(error: unknown, method: string, url: string): unknown {
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new CoCartNetworkError(`${method} ${url} failed: ${describeCause(error)}`, {
    method,
    url,
    cause: error,
  });
}

/** A body that is not JSON, as a validation error carrying the whole body. */
export function malformedJson(
  method: string,
  url: string,
  text: string,
  error: unknown,
): CoCartValidationError {
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
