import type { ClientAuth } from './auth.js';
import { CoCartClientError } from './errors.js';

/**
 * Hosts whose traffic never leaves the machine. The WHATWG URL parser has already normalised the
 * spellings (`127.1`, `0x7f.0.0.1`, `[0:0::1]`, `LOCALHOST`) to these forms.
 */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * True when credentials sent to `url` would cross a network readable by anyone on the path: `http://`
 * to a host other than loopback (`localhost`, 127.0.0.0/8, `[::1]`). False for https://, loopback and
 * anything that is not a URL (whoever parses it reports that).
 */
export function isInsecureHttp(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
}

/**
 * Throws a `CoCartClientError` (`insecure_http`) before anything is sent when `auth` would travel in
 * clear to a remote host without the caller's opt-in. `root` carries no userinfo: it is safe to name.
 */
export function assertSecureTransport(
  root: string,
  auth: ClientAuth | undefined,
  allowInsecureHttp: boolean,
): void {
  if (auth === undefined || allowInsecureHttp || !isInsecureHttp(root)) return;
  throw new CoCartClientError(
    `Refusing to send credentials over plain HTTP to ${new URL(root).host}: anyone on the network path could read them. Use https://, or pass allowInsecureHttp: true to createClient if that network is trusted (localhost, 127.0.0.0/8 and ::1 need no opt-in).`,
    { code: 'insecure_http' },
  );
}
