import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP proxy that holds every request `delayMs` before passing it on: a slow network. */
export interface SlowProxy {
  url: string;
  /** Requests received so far. */
  requests: number;
  close(): Promise<void>;
}

/** Starts a proxy on a free port that forwards to `target` (`http://127.0.0.1:port`) after `delayMs`. */
export async function startSlowProxy(target: string, delayMs: number): Promise<SlowProxy> {
  const to = new URL(target);
  const proxy: SlowProxy = { url: '', requests: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    proxy.requests++;
    setTimeout(() => {
      const upstream = request(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
