import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { ApiError, noRoute } from '@cocart-sessions/core';
import { clientKeyOf } from './auth/client-key.js';
import type { ServerConfig } from './config.js';
import { errorAnswer, sendError, toApiError } from './middleware/error-handler.js';
import { requestIdOf, responseHead } from './middleware/response-head.js';

/** Largest request head accepted; bigger heads get 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
};

/** Node answers malformed requests itself, before Express; give those answers our envelope too. */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  // A refused body that keeps arriving (a bad chunk after our 413): that request has its answer,
  // and a second one would be unrequested. Let the answer flush and the connection close.
  if ((socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent) {
    socket.resume();
    socket.end();
    setTimeout(() => socket.destroy(), 2000).unref();
    return;
  }
  const apiError =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('cocart_headers_too_large', { data: { max_bytes: MAX_HEADER_BYTES } })
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError('rest_invalid_param', { status: 408, message: 'The request took too long to arrive.' })
        : new ApiError('rest_invalid_param', { status: 400, message: 'The request is not valid HTTP.' });
  answerOnSocket(socket, apiError);
}

/**
 * Writes an error answer on a socket no request was parsed from (so no request id to honour), closes
 * it, and keeps reading what the client still sends, so the kernel does not reset the connection and
 * drop our answer before the client reads it; gives up after a short while.
 */
function answerOnSocket(socket: Socket, apiError: ApiError): void {
  const { status, headers, body } = errorAnswer(apiError);
  const pairs = [...responseHead(Date.now(), requestIdOf(undefined)), ...headers, 'Connection', 'close'];
  let head = `HTTP/1.1 ${status} ${REASONS[status]}\r\n`;
  for (let i = 0; i < pairs.length; i += 2) head += `${pairs[i]}: ${pairs[i + 1]}\r\n`;
  socket.end(`${head}\r\n${body}`);
  socket.resume();
  setTimeout(() => socket.destroy(), 2000).unref();
}

/**
 * What answers when Express gives up before any of our middleware runs (a request target it cannot
 * parse, like `//a#b`): its default is an HTML page; ours is the envelope like every other answer.
 */
function answerUnrouted(req: IncomingMessage, res: ServerResponse) {
  return (err?: unknown): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(req, res, err === undefined ? noRoute() : toApiError(err));
  };
}

/** Bounds on open connections (per process). */
export interface ConnectionLimits {
  /** In total; connections past it are closed as they arrive. */
  maxConnections: number;
  /** Per client (an IPv4 address, an IPv6 /64); past it a connection is answered 429 and closed. */
  maxConnectionsPerClient: number;
  /** A trusted proxy carries many clients on its connections: its own are not counted per client. */
  isTrustedProxy?: (address: string) => boolean;
}

/** Connections answered 429 as they arrived: a request that still comes on one is not served. */
const refusedSockets = new WeakSet<Socket>();

/** Applies {@link ConnectionLimits}: one client cannot hold every socket of the process. */
function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxConnections;
  const open = new Map<string, number>();
  // Before http's own listener, so the socket is marked before its first request can be parsed.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (limits.isTrustedProxy?.(address)) return;
    const client = clientKeyOf(address);
    const count = (open.get(client) ?? 0) + 1;
    if (count > limits.maxConnectionsPerClient) {
      refusedSockets.add(socket);
      answerOnSocket(
        socket,
        new ApiError('cocart_too_many_connections', {
          data: { max_connections: limits.maxConnectionsPerClient },
          headers: { 'Retry-After': '1' },
        }),
      );
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left === 0) open.delete(client);
      else open.set(client, left);
    });
  });
}

/** An Express-like handler: `(req, res, done)`. */
type AppHandler = (req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void) => void;

/** An HTTP server for `app` with bounded heads, timeouts and, when given, connections. */
export function createHttpServer(app: AppHandler, limits?: ConnectionLimits): Server {
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: 20_000,
      requestTimeout: 60_000,
      // Both timeouts are checked on this interval (Node's default, 30 s, let a silent socket live 30 s or more).
      connectionsCheckingInterval: 1_000,
      keepAliveTimeout: 5_000,
    },
    (req, res) => {
      if (refusedSockets.has(req.socket)) return;
      // A body no route reads does not hold the answer, and closing the connection after the
      // answer keeps a slowly dripped one from holding the socket until requestTimeout. The cart
      // API reads its (small) bodies whole, then lifts this (cart-api/json-body.ts).
      const length = req.headers['content-length'];
      if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
        res.setHeader('Connection', 'close');
      }
      app(req, res, answerUnrouted(req, res));
    },
  );
  server.on('clientError', answerClientError);
  if (limits) limitConnections(server, limits);
  return server;
}

/** Listen and resolve once bound. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(
          new Error(`${host}:${port} is already in use: stop what listens there, or choose --port / PORT.`),
        );
      } else if (e.code === 'EACCES') {
        reject(
          new Error(`Not allowed to listen on ${host}:${port}: choose a port above 1023 with --port / PORT.`),
        );
      } else reject(e);
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** Serve `app` on the configured host and port; resolves with the server and its base URL. */
export async function listenAt(
  app: AppHandler,
  config: Pick<ServerConfig, 'host' | 'port'>,
  limits?: ConnectionLimits,
): Promise<{ server: Server; url: string }> {
  const server = createHttpServer(app, limits);
  await listen(server, config.port, config.host);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { server, url: `http://${host}:${port}` };
}

/**
 * Resolves once a turn of the event loop accepted no new connection (or after `maxMs`). A connection
 * the kernel completed waits in the listen backlog until a process accepts it, and closing the
 * listening socket then resets it, although its client sent the request before we stopped.
 */
async function acceptBacklog(server: Server, maxMs = 2_000): Promise<void> {
  let accepted = 0;
  const count = () => {
    accepted++;
  };
  server.on('connection', count);
  const until = performance.now() + maxMs;
  try {
    for (;;) {
      const before = accepted;
      await new Promise((r) => setTimeout(r, 10));
      // An immediate set after a timer runs only once the loop has polled, and so accepted, again.
      await new Promise((r) => setImmediate(r));
      if (accepted === before || performance.now() > until) return;
    }
  } finally {
    server.off('connection', count);
  }
}

/**
 * Stop accepting, let in-flight requests finish (at most `graceMs`), then drop what is left.
 * With `settleMs` (serve's shutdown), nothing the kernel has accepted is cut: the listen backlog is
 * accepted first, answers carry `Connection: close`, and idle connections (one just accepted may be
 * carrying a request that has not arrived yet) are closed only after `settleMs`, then every `settleMs`.
 */
export async function closeServer(server: Server, graceMs = 10_000, settleMs = 0): Promise<void> {
  if (settleMs > 0) {
    server.prependListener('request', (_req, res: ServerResponse) => {
      res.shouldKeepAlive = false;
    });
    await acceptBacklog(server);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve();
    };
    let sweep: NodeJS.Timeout | undefined;
    if (settleMs <= 0) {
      server.close(done);
      server.closeIdleConnections();
      return;
    }
    // net.Server's close: stop listening without http.Server's immediate cut of idle connections.
    NetServer.prototype.close.call(server, done);
    sweep = setInterval(() => server.closeIdleConnections(), settleMs);
    sweep.unref();
  });
}
