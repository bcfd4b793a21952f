import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Readable } from 'node:stream';

// The command line's `fetch`, handed to the client (its `fetch` option): Node's own HTTP client
// under the fetch interface. Node's global fetch reads a body through undici's parser and its web
// streams, which costs a listing of a million sessions several times the CPU and memory of reading
// the same bytes from node:http; the client stays fetch-only for browsers and edge runtimes.

/** Statuses whose answer has no body, which `Response` refuses to be given one. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Redirects followed, as fetch's 'follow' mode does. */
const MAX_REDIRECTS = 20;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What fetch rejects with for a failure of the network: a TypeError whose cause says why. */
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

interface Outgoing {
  url: URL;
  method: string;
  headers: Headers;
  body: Buffer | undefined;
  signal: AbortSignal;
}

/**
 * `fetch` over node:http and node:https: redirects followed (Authorization dropped when they leave
 * the origin), gzip, deflate and br answers decoded, the body handed over as the caller reads it
 * (the socket pauses while the caller is behind), aborts and network failures reported as fetch
 * reports them (the signal's reason; a TypeError with the cause).
 */
export async function nodeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const headers = new Headers(request.headers);
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate, br');
  let out: Outgoing = {
    url: new URL(request.url),
    method: request.method,
    headers,
    body: request.body ? Buffer.from(await request.arrayBuffer()) : undefined,
    signal: request.signal,
  };
  for (let hops = 0; ; hops++) {
    // node:https (TLS) is loaded for an https:// store only.
    const send = out.url.protocol === 'https:' ? sender((await import('node:https')).request) : sendHttp;
    const res = await send(out);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (!REDIRECTS.has(status) || location === undefined || request.redirect !== 'follow') {
      return responseOf(res, out, await decoded(res));
    }
    res.resume();
    if (hops >= MAX_REDIRECTS) throw fetchFailed(new Error('redirect count exceeded'));
    out = redirected(out, status, new URL(location, out.url));
  }
}

/** The request a redirect asks for, as the fetch standard makes it. */
function redirected(prev: Outgoing, status: number, url: URL): Outgoing {
  const headers = new Headers(prev.headers);
  let { method, body } = prev;
  if (
    (status === 303 && method !== 'GET' && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST')
  ) {
    method = 'GET';
    body = undefined;
    for (const h of [
      'content-type',
      'content-length',
      'content-encoding',
      'content-language',
      'content-location',
    ]) {
      headers.delete(h);
    }
  }
  if (url.origin !== prev.url.origin) headers.delete('authorization');
  return { ...prev, url, method, headers, body };
}

type Send = (out: Outgoing) => Promise<IncomingMessage>;

/** One request through `request`; resolves with the answer's head, or rejects as fetch would. */
const sender =
  (request: typeof httpRequest): Send =>
  ({ url, method, headers, body, signal }) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(fetchFailed(new Error(`unsupported protocol ${url.protocol}`)));
        return;
      }
      const options: RequestOptions = { method, headers: Object.fromEntries(headers) };
      const req = request(url, options);
      const onAbort = () => {
        req.destroy();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.once('response', (res) => {
        signal.removeEventListener('abort', onAbort);
        resolve(res);
      });
      req.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? signal.reason : fetchFailed(error));
      });
      req.end(body);
    });

const sendHttp = sender(httpRequest);

/** The answer as a `Response` whose body reads from the socket only as fast as it is read. */
function responseOf(res: IncomingMessage, { method, signal }: Outgoing, source: Readable): Response {
  const status = res.statusCode ?? 0;
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const init = { status, statusText: res.statusMessage ?? '', headers };
  if (NULL_BODY.has(status) || method === 'HEAD') {
    res.resume();
    return new Response(null, init);
  }
  const onAbort = () => source.destroy(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      source.on('data', (chunk: Buffer) => {
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.once('end', () => {
        signal.removeEventListener('abort', onAbort);
        controller.close();
      });
      source.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        controller.error(signal.aborted ? signal.reason : new TypeError('terminated', { cause: error }));
      });
      source.pause();
    },
    pull() {
      source.resume();
    },
    cancel(reason) {
      signal.removeEventListener('abort', onAbort);
      res.destroy();
      if (source !== res) source.destroy(reason instanceof Error ? reason : undefined);
    },
  });
  return new Response(body, init);
}

/** The body with its content coding undone (fetch's decoding); the message itself when it has none. */
async function decoded(res: IncomingMessage): Promise<Readable> {
  const coding = res.headers['content-encoding']?.trim().toLowerCase();
  if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate' && coding !== 'br') return res;
  const zlib = await import('node:zlib');
  const decoder =
    coding === 'br'
      ? zlib.createBrotliDecompress()
      : coding === 'deflate'
        ? zlib.createInflate()
        : zlib.createGunzip();
  res.once('error', (error) => decoder.destroy(error));
  return res.pipe(decoder);
}
