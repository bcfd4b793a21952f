/** The REST namespace of the Sessions API. */
export const API_NAMESPACE = 'cocart/v2';

/** WordPress's default `rest_url_prefix`. */
export const DEFAULT_API_PREFIX = 'wp-json';

/** Largest `per_page` accepted (WordPress's limit). */
export const MAX_PER_PAGE = 100;

/** Values of the `orderby` query parameter of `GET /sessions`. */
export const SESSION_ORDER_BY = ['cart_id', 'cart_created', 'cart_expiry', 'customers_name'] as const;

/** A value of {@link SESSION_ORDER_BY}. */
export type SessionOrderBy = (typeof SESSION_ORDER_BY)[number];

/** Values of the `order` query parameter of `GET /sessions`. */
export const SORT_ORDERS = ['asc', 'desc'] as const;

/** A value of {@link SORT_ORDERS}. */
export type SortOrder = (typeof SORT_ORDERS)[number];
