import { SECRET_QUERY_PARAMS } from './auth.js';

/** The store root split from any userinfo it carried (fetch refuses URLs with credentials). */
export interface ParsedStoreUrl {
  root: string;
  userinfo: { username: string; password: string } | undefined;
}

/** Validates the store root and removes userinfo, query and hash from it. */
export function parseStoreUrl(url: string): ParsedStoreUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The input may hold credentials: never echo it.
    throw new TypeError('url must be an absolute http(s) URL of the store root');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`url must use http or https, not ${parsed.protocol}`);
  }
  const userinfo =
    parsed.username || parsed.password
      ? { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }
      : undefined;
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return { root: parsed.href.replace(/\/+$/, ''), userinfo };
}

/** `<root>/<prefix>/<namespace>/`: the base every endpoint is joined to. */
export function apiBaseUrl(root: string, wpApiPrefix: string, namespace: string): string {
  const parts = [root, wpApiPrefix, namespace].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  // `root` keeps its scheme's `//` because only leading/trailing slashes were trimmed.
  return `${parts.join('/')}/`;
}

/** `url` without userinfo and with API key parameters masked, for messages and logs. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid url>';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of SECRET_QUERY_PARAMS) {
    if (parsed.searchParams.has(name)) parsed.searchParams.set(name, 'REDACTED');
  }
  return parsed.href;
}
