import type { ErrorCode } from '@cocart-sessions/core';
import {
  type ClientErrorCode,
  CoCartApiError,
  CoCartClientError,
  CoCartNetworkError,
  CoCartTimeoutError,
  CoCartValidationError,
  hasClientBrand,
} from './errors.js';

// `instanceof` first; the brand plus `name` covers errors from another realm or a second copy of the package.
function is(e: unknown, cls: abstract new (...args: never[]) => Error, names: readonly string[]): boolean {
  if (e instanceof cls) return true;
  return hasClientBrand(e) && names.includes((e as Error).name);
}

/** True for any error thrown by the client. */
export function isCoCartClientError(e: unknown): e is CoCartClientError {
  return e instanceof CoCartClientError || hasClientBrand(e);
}

/**
 * True for a client error with this code; the compiler checks `code` against the core's API codes
 * and the client's own, so a misspelt code does not compile.
 * @example if (hasErrorCode(e, 'cocart_session_not_valid')) ...
 */
export function hasErrorCode(e: unknown, code: ErrorCode | ClientErrorCode): boolean {
  return isCoCartClientError(e) && e.code === code;
}

/** True when the server answered with an error status. */
export function isCoCartApiError(e: unknown): e is CoCartApiError {
  return is(e, CoCartApiError, ['CoCartApiError']);
}

/** True when no usable answer arrived (including timeouts). */
export function isCoCartNetworkError(e: unknown): e is CoCartNetworkError {
  return is(e, CoCartNetworkError, ['CoCartNetworkError', 'CoCartTimeoutError']);
}

/** True when the call timed out. */
export function isCoCartTimeoutError(e: unknown): e is CoCartTimeoutError {
  return is(e, CoCartTimeoutError, ['CoCartTimeoutError']);
}

/** True when the answer was malformed JSON or did not match the model. */
export function isCoCartValidationError(e: unknown): e is CoCartValidationError {
  return is(e, CoCartValidationError, ['CoCartValidationError']);
}
