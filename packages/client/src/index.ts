// ky's option types, so callers can type `hooks` and `retry` without importing ky themselves.
export type { Hooks, RetryOptions } from 'ky';
export type { BasicAuth, ClientAuth, ConsumerKeyAuth, TokenAuth } from './auth.js';
export type { ClientOptions, CoCartClient } from './create-client.js';
export { createClient } from './create-client.js';
export type { ClientErrorCode, CoCartErrorCode, ValidationIssue } from './errors.js';
export {
  CoCartApiError,
  CoCartClientError,
  CoCartNetworkError,
  CoCartTimeoutError,
  CoCartValidationError,
} from './errors.js';
export {
  hasErrorCode,
  isCoCartApiError,
  isCoCartClientError,
  isCoCartNetworkError,
  isCoCartTimeoutError,
  isCoCartValidationError,
} from './guards.js';
export { isInsecureHttp } from './insecure-http.js';
export type {
  AddItemOptions,
  CartResource,
  CartWithKey,
  CustomerDetails,
} from './resources/cart.js';
export { CART_KEY_HEADER } from './resources/cart.js';
export type { SessionPage } from './resources/session-page.js';
export type {
  Conditional,
  ConditionalOptions,
  GetCartOptions,
  SessionIterateOptions,
  SessionListOptions,
  SessionPageOptions,
  SessionStreamOptions,
  SessionsResource,
} from './resources/sessions.js';
export { DEFAULT_PAGE_CONCURRENCY } from './resources/sessions.js';
export { DEFAULT_RETRY } from './retry.js';
export type { CallOptions, QueryParams } from './transport.js';
export { redactUrl } from './url.js';
export type { ValidationMode, ValidationReport } from './validation.js';
