/** HTTP Basic with a WordPress username (or email) and password (or application password). */
export interface BasicAuth {
  username: string;
  password: string;
}

/** WooCommerce REST API keys (`ck_...` / `cs_...`), sent as Basic credentials or, with `queryString`, as query parameters. */
export interface ConsumerKeyAuth {
  consumerKey: string;
  consumerSecret: string;
  /** Send `consumer_key` / `consumer_secret` as query parameters instead of an `Authorization` header. */
  queryString?: boolean;
}

/** A bearer token (JWT or similar), sent as `Authorization: Bearer <token>`. */
export interface TokenAuth {
  token: string;
}

/** The credentials of a client: one of the three forms. */
export type ClientAuth = BasicAuth | ConsumerKeyAuth | TokenAuth;

/** Query parameter names that carry secrets; removed from every URL the client shows. */
export const SECRET_QUERY_PARAMS = ['consumer_key', 'consumer_secret'] as const;

/** Base64 of UTF-8 text with `btoa` only (works in browsers, edge runtimes and Node). */
function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The `Authorization` header value for `auth`, or `undefined` when it travels in the query string. */
export function authorizationHeader(auth: ClientAuth | undefined): string | undefined {
  if (!auth) return undefined;
  if ('token' in auth) return `Bearer ${auth.token}`;
  if ('consumerKey' in auth) {
    if (auth.queryString) return undefined;
    return `Basic ${base64Utf8(`${auth.consumerKey}:${auth.consumerSecret}`)}`;
  }
  return `Basic ${base64Utf8(`${auth.username}:${auth.password}`)}`;
}

/** The query parameters that carry `auth`, when it travels in the query string. */
export function authSearchParams(auth: ClientAuth | undefined): Record<string, string> | undefined {
  if (auth && 'consumerKey' in auth && auth.queryString) {
    return { consumer_key: auth.consumerKey, consumer_secret: auth.consumerSecret };
  }
  return undefined;
}

/** Throws a TypeError naming the missing field (never its value) when `auth` is incomplete. */
export function assertAuth(auth: unknown): asserts auth is ClientAuth | undefined {
  if (auth === undefined) return;
  const a = auth as Record<string, unknown>;
  const need = (fields: string[]) => {
    for (const f of fields) {
      if (typeof a[f] !== 'string' || a[f] === '')
        throw new TypeError(`auth.${f} must be a non-empty string`);
    }
  };
  if (typeof auth !== 'object' || auth === null) throw new TypeError('auth must be an object');
  if ('token' in a) need(['token']);
  else if ('consumerKey' in a || 'consumerSecret' in a) need(['consumerKey', 'consumerSecret']);
  else if ('username' in a || 'password' in a) need(['username', 'password']);
  else throw new TypeError('auth needs { username, password }, { consumerKey, consumerSecret } or { token }');
}
