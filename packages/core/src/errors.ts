import type { WpError } from './schemas/error.js';

/**
 * The closed table of CoCart/WordPress REST error codes with their HTTP status and default message.
 * The server throws these, the client maps responses back onto them.
 */
export const ERROR_CODES = {
  rest_no_route: { status: 404, message: 'No route was found matching the URL and request method.' },
  // The caller appends the parameter names: "Invalid parameter(s): per_page".
  rest_invalid_param: { status: 400, message: 'Invalid parameter(s):' },
  rest_invalid_json: { status: 400, message: 'Invalid JSON body passed.' },
  // 403 when the user is authenticated but lacks the role; pass `{ status: 403 }` to errorBody.
  cocart_rest_cannot_view: { status: 401, message: 'Sorry, you cannot list resources.' },
  cocart_authentication_error: { status: 401, message: 'Authentication failed: invalid credentials.' },
  cocart_too_many_requests: { status: 429, message: 'Too many failed attempts. Please try again later.' },
  cocart_no_carts_in_session: { status: 404, message: 'No carts in session!' },
  cocart_cart_in_session_not_valid: { status: 404, message: 'Cart in session is not valid!' },
  cocart_session_not_valid: { status: 404, message: 'Session is not valid!' },
  cocart_session_not_deleted: { status: 500, message: 'Session could not be deleted!' },
  cocart_unknown_server_error: { status: 500, message: 'An unexpected error occurred on the server.' },
  cocart_store_unavailable: {
    status: 503,
    message: 'The session store is unavailable. Please try again later.',
  },
  // /readyz while the server drains after SIGTERM: a load balancer should stop sending.
  cocart_shutting_down: { status: 503, message: 'The server is shutting down.' },
  // Our server's: more logins were waiting for a password check than it lets wait (a flood).
  cocart_logins_busy: {
    status: 503,
    message: 'Too many logins are waiting to be checked. Try again shortly.',
  },
  cocart_payload_too_large: { status: 413, message: 'The request body is too large.' },
  // Our server's: one client (an IPv4 address, an IPv6 /64) holds too many open connections.
  cocart_too_many_connections: { status: 429, message: 'Too many open connections from this client.' },
  cocart_headers_too_large: { status: 431, message: 'The request headers are too large.' },
  // The shopper side of the cart API (the plugin's v2 cart controllers), then our own limits.
  // The caller appends the parameter names: "Missing parameter(s): id".
  rest_missing_callback_param: { status: 400, message: 'Missing parameter(s):' },
  cocart_product_id_required: { status: 404, message: 'Product ID number is required!' },
  cocart_product_does_not_exist: { status: 404, message: 'This product does not exist!' },
  cocart_unknown_product_id: {
    status: 404,
    message:
      'Product does not exist! Check that you have submitted a product ID or SKU ID correctly for a product that exists.',
  },
  // The caller says which bound: "Quantity must be a minimum of 1." / "Quantity must be 99 or lower."
  cocart_quantity_invalid_amount: { status: 405, message: 'Quantity must be a minimum of 1.' },
  cocart_item_not_in_cart: { status: 404, message: 'Item specified does not exist in cart.' },
  cocart_no_items_in_cart: { status: 404, message: 'No items in the cart.' },
  cocart_cannot_add_to_cart: { status: 403, message: 'You cannot add this product to your cart.' },
  cocart_cart_empty: { status: 404, message: 'Cart is empty. Please add items to cart first.' },
  cocart_cart_totals_empty: {
    status: 404,
    message: 'This cart either has no items or was not calculated.',
  },
  cocart_update_cart_namespace_error: {
    status: 404,
    message:
      'You must provide a namespace when extending the cart endpoint. Available namespaces: (update-customer)',
  },
  cocart_update_cart_no_namespace_error: { status: 404, message: 'There is no such namespace registered.' },
  cocart_email_field_invalid: {
    status: 400,
    message: 'The provided email address is not valid — please provide a valid email address.',
  },
  // Our server's: one client (an IPv4 address, an IPv6 /64) created too many carts too quickly.
  cocart_too_many_carts: {
    status: 429,
    message: 'Too many new carts from this client. Please try again later.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

/** A known CoCart/WordPress REST error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Builds the WordPress REST error envelope for a known code.
 *
 * @example
 * errorBody('cocart_no_carts_in_session');
 * // { code: 'cocart_no_carts_in_session', message: 'No carts in session!', data: { status: 404 } }
 * errorBody('rest_invalid_param', { message: 'Invalid parameter(s): page', data: { params: { page: '...' } } });
 */
export function errorBody(
  code: ErrorCode,
  opts: { status?: number; message?: string; data?: Record<string, unknown> } = {},
): WpError {
  const entry = ERROR_CODES[code];
  const status = opts.status ?? entry.status;
  return { code, message: opts.message ?? entry.message, data: { status, ...opts.data } };
}

/** Options of an {@link ApiError}; status and message default to {@link ERROR_CODES}. */
export interface ApiErrorOptions {
  status?: number;
  message?: string;
  data?: Record<string, unknown>;
  /** Extra response headers, e.g. `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
}

/**
 * An error a server throws to answer with one of {@link ERROR_CODES} in the WordPress envelope
 * (the reference server's error middleware writes it). Clients see these as their own API errors.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly data: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, opts: ApiErrorOptions = {}) {
    const entry = ERROR_CODES[code];
    super(opts.message ?? entry.message);
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

/** Type guard for {@link ApiError}. */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** `400 rest_invalid_param` naming the offending parameters, as WordPress does. */
export function invalidParams(params: Record<string, string>): ApiError {
  return new ApiError('rest_invalid_param', {
    message: `Invalid parameter(s): ${Object.keys(params).join(', ')}`,
    data: { params },
  });
}

/** `404 rest_no_route`. */
export function noRoute(): ApiError {
  return new ApiError('rest_no_route');
}

/** Codes of {@link CoreError}: failures of the core's money, date and key helpers. */
export type CoreErrorCode =
  | 'invalid_amount'
  | 'too_many_decimals'
  | 'unsafe_amount'
  | 'invalid_decimals'
  | 'invalid_date'
  | 'invalid_cart_key'
  | 'invalid_formatted_money';

/** An input the core's helpers refuse; `code` says why, `input` holds the offending value. */
export class CoreError extends Error {
  override readonly name = 'CoreError';
  readonly code: CoreErrorCode;
  readonly input?: unknown;

  constructor(code: CoreErrorCode, message: string, input?: unknown) {
    super(message);
    this.code = code;
    if (input !== undefined) this.input = input;
  }
}

/** True when `e` is a {@link CoreError} (optionally of the given code). */
export function isCoreError(e: unknown, code?: CoreErrorCode): e is CoreError {
  return e instanceof CoreError && (code === undefined || e.code === code);
}
