import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the fault server saw it. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  at: number;
}

/** A handler: answer with `res`, or misbehave (destroy the socket, never answer). */
export type FaultHandler = (req: IncomingMessage, res: ServerResponse, n: number, url: URL) => void;

/** A real HTTP server on 127.0.0.1 and an ephemeral port that answers as the test says. */
export interface FaultServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startFaultServer(handler: FaultHandler): Promise<FaultServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', url, headers: req.headers, at: Date.now() });
    handler(req, res, requests.length, url);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends a JSON answer the way WordPress does. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = typeof body === 'string' && headers['x-raw'] ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(text);
}

/** Sends raw text or bytes as JSON content (for malformed bodies). */
export function sendRaw(
  res: ServerResponse,
  status: number,
  text: string | Uint8Array,
  contentType = 'application/json',
) {
  res.writeHead(status, { 'content-type': contentType });
  res.end(text);
}
