import { API_NAMESPACE, DEFAULT_API_PREFIX } from '@cocart-sessions/core';
import type { Hooks, RetryOptions } from 'ky';
import { assertAuth, type ClientAuth } from './auth.js';
import { assertSecureTransport } from './insecure-http.js';
import { type CartResource, cartResource } from './resources/cart.js';
import { type SessionsResource, sessionsResource } from './resources/sessions.js';
import { type CallOptions, type QueryParams, Transport } from './transport.js';
import { apiBaseUrl, parseStoreUrl } from './url.js';
import { VALIDATION_MODES, type ValidationMode, type ValidationReport } from './validation.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The store root, e.g. `https://shop.example` (userinfo, if any, is used as Basic credentials). */
  url: string;
  /**
   * Credentials; never logged or put in messages. Over http:// they go only to loopback hosts
   * (`localhost`, 127.0.0.0/8, `::1`) unless `allowInsecureHttp` is set.
   */
  auth?: ClientAuth;
  /**
   * Send credentials over plain http:// to a host other than loopback, where anyone on the network path
   * can read them. Without it `createClient` throws a `CoCartClientError` with code `insecure_http`.
   */
  allowInsecureHttp?: boolean;
  /** WordPress's `rest_url_prefix` (default `wp-json`). */
  wpApiPrefix?: string;
  /** REST namespace (default `cocart/v2`). */
  namespace?: string;
  /** Per-attempt timeout in ms (default 10000); `false` for none. */
  timeout?: number | false;
  /** A retry limit, or ky retry options merged over the client's GET-only policy (see `DEFAULT_RETRY`). */
  retry?: number | RetryOptions;
  /** ky hooks (`beforeRequest`, `afterResponse`, `beforeRetry`, `beforeError`). */
  hooks?: Hooks;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** Checking of answers against the core's models (default `'strict'`). */
  validation?: ValidationMode;
  /** Called with the issues of an answer that failed the model in `'loose'` mode. */
  onValidationIssues?: (report: ValidationReport) => void;
}

/** A client of one store's CoCart v2 Sessions API. */
export interface CoCartClient {
  /** The typed Sessions calls. */
  readonly sessions: SessionsResource;
  /** The shopper side of the cart API (no credentials needed): what a storefront calls. */
  readonly cart: CartResource;
  /** `<url>/<wpApiPrefix>/<namespace>/`, without credentials. */
  readonly apiUrl: string;
  /** GET any route under the namespace; resolves with the parsed JSON (not validated). */
  get<T = unknown>(endpoint: string, params?: QueryParams, options?: CallOptions): Promise<T>;
  /** POST JSON to any route under the namespace (never retried). */
  post<T = unknown>(
    endpoint: string,
    data?: unknown,
    params?: QueryParams,
    options?: CallOptions,
  ): Promise<T>;
  /** PUT JSON to any route under the namespace (never retried). */
  put<T = unknown>(endpoint: string, data?: unknown, params?: QueryParams, options?: CallOptions): Promise<T>;
  /** DELETE any route under the namespace (never retried). */
  delete<T = unknown>(endpoint: string, params?: QueryParams, options?: CallOptions): Promise<T>;
}

/**
 * Creates a client of the Sessions API.
 *
 * @example
 * const client = createClient({
 *   url: 'https://shop.example',
 *   auth: { consumerKey: 'ck_...', consumerSecret: 'cs_...' },
 * });
 * for await (const session of client.sessions.iterate()) console.log(session.cart_key);
 */
export function createClient(options: ClientOptions): CoCartClient {
  if (!options || typeof options.url !== 'string') throw new TypeError('createClient needs { url }');
  const { root, userinfo } = parseStoreUrl(options.url);
  const auth = options.auth ?? userinfo;
  assertAuth(auth);
  assertSecureTransport(root, auth, options.allowInsecureHttp === true);
  const validation = options.validation ?? 'strict';
  if (!VALIDATION_MODES.includes(validation)) {
    throw new TypeError("validation must be 'strict', 'loose' or 'off'");
  }
  const transport = new Transport({
    apiBase: apiBaseUrl(root, options.wpApiPrefix ?? DEFAULT_API_PREFIX, options.namespace ?? API_NAMESPACE),
    auth,
    timeout: options.timeout ?? 10_000,
    retry: options.retry,
    hooks: options.hooks,
    fetch: options.fetch,
    validation,
    onValidationIssues: options.onValidationIssues,
  });
  const send = async <T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    endpoint: string,
    params: QueryParams | undefined,
    json: unknown,
    call: CallOptions | undefined,
  ): Promise<T> => {
    const answer = await transport.request({
      method,
      path: endpoint,
      searchParams: params,
      json,
      signal: call?.signal,
    });
    return answer.data as T;
  };
  return {
    sessions: sessionsResource(transport),
    cart: cartResource(transport),
    apiUrl: transport.apiBase,
    get: (endpoint, params, call) => send('GET', endpoint, params, undefined, call),
    post: (endpoint, data, params, call) => send('POST', endpoint, params, data, call),
    put: (endpoint, data, params, call) => send('PUT', endpoint, params, data, call),
    delete: (endpoint, params, call) => send('DELETE', endpoint, params, undefined, call),
  };
}
