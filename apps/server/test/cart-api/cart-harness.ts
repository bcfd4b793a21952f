import { request } from 'node:http';

/** The namespace root of the default prefix. */
export const API = '/wp-json/cocart/v2';

/** An answer, read whole; `json` is the parsed body (undefined when empty or not JSON). */
export interface CartAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers by the shape the plugin gives them.
  json: any;
}

/**
 * One HTTP call from the client address `from` (a 127.0.0.0/8 address stands for one client): a
 * `body` that is not a string is sent as JSON.
 */
export function call(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; from?: string; headers?: Record<string, string> } = {},
): Promise<CartAnswer> {
  const text =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...opts.headers };
  if (text !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(text));
  }
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, headers, localAddress: opts.from ?? '127.0.0.1', agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => {
          let json: unknown;
          try {
            json = body === '' ? undefined : JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: body, json });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** `?cart_key=` for a path. */
export const keyed = (path: string, key: string) =>
  `${path}${path.includes('?') ? '&' : '?'}cart_key=${encodeURIComponent(key)}`;
