import type { Request } from 'express';

// A DNS name (labels of letters, digits, `-`, `_`) or IPv4, or IPv6 in brackets; then an optional port.
const HOST =
  /^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*)(?::(\d{1,5}))?$/;

/**
 * `value` when it is a syntactically valid `host[:port]` (what a `Host` or `X-Forwarded-Host` header
 * may carry into a URL we write), otherwise `undefined`. Anything else could smuggle quotes, spaces,
 * `>` or `,` into a `Link` header or a `link` field.
 * @example validHost('shop.example:8443') // 'shop.example:8443'; validHost('a b') // undefined
 */
export function validHost(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 260) return undefined;
  const m = HOST.exec(value);
  if (m === null) return undefined;
  const port = m[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return value;
}

/** `host:port` of the address the client connected to: the base of links when the request names none usable. */
export function listeningHost(req: Request): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return `${host}:${req.socket.localPort}`;
}
