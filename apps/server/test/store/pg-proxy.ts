import { connect, createServer, type Socket } from 'node:net';
import { PG_URL } from './pg-harness.js';

/** One connection through the proxy: the client's socket and the one to PostgreSQL. */
interface Relay {
  client: Socket;
  upstream: Socket | undefined;
  /** Nothing passes any more, and neither end is told (a NAT that forgot the connection). */
  silent: boolean;
}

/** A TCP proxy in front of the test PostgreSQL that the test can slow down, silence or cut. */
export interface PgProxy {
  /** The test database through the proxy, with `?schema=` and any other parameters. */
  url(schema: string, params?: Record<string, string>): string;
  /** How long a new connection waits before it reaches PostgreSQL (ms): a connection slow to open. */
  connectDelayMs: number;
  /**
   * New connections go silent once PostgreSQL has accepted them (after its first ReadyForQuery): they
   * open, and their queries are never answered, as a server that hangs.
   */
  silenceAfterStartup: boolean;
  /**
   * Silences the connection whose PostgreSQL side comes from `port` (pg_stat_activity.client_port);
   * false when there is none.
   */
  silence(port: number): boolean;
  /** Cuts every connection: both ends see it close. */
  cutAll(): void;
  /** Stops listening and cuts every connection. */
  close(): Promise<void>;
}

const READY_FOR_QUERY = 0x5a; // 'Z'

export async function startPgProxy(): Promise<PgProxy> {
  const target = new URL(PG_URL);
  const relays = new Set<Relay>();
  const cut = (relay: Relay) => {
    relays.delete(relay);
    relay.client.destroy();
    relay.upstream?.destroy();
  };

  const server = createServer((client) => {
    const relay: Relay = { client, upstream: undefined, silent: false };
    relays.add(relay);
    const silenceAfterStartup = proxy.silenceAfterStartup;
    client.pause();
    client.on('error', () => cut(relay));
    client.on('close', () => cut(relay));
    setTimeout(() => {
      if (client.destroyed) return;
      const upstream = connect(Number(target.port || 5432), target.hostname);
      relay.upstream = upstream;
      upstream.on('error', () => cut(relay));
      // A silent relay's client is never told that PostgreSQL went away.
      upstream.on('close', () => (relay.silent ? upstream.destroy() : cut(relay)));
      client.on('data', (chunk) => {
        if (!relay.silent) upstream.write(chunk);
      });
      let pending = Buffer.alloc(0);
      upstream.on('data', (chunk: Buffer) => {
        if (relay.silent) return;
        if (!silenceAfterStartup) {
          client.write(chunk);
          return;
        }
        // Backend messages: a type byte, then their length (itself included) as int32.
        pending = Buffer.concat([pending, chunk]);
        let end = 0;
        while (pending.length - end >= 5) {
          const size = 1 + pending.readUInt32BE(end + 1);
          if (pending.length - end < size) break;
          const type = pending[end];
          end += size;
          if (type === READY_FOR_QUERY) {
            client.write(pending.subarray(0, end));
            relay.silent = true;
            return;
          }
        }
        client.write(pending.subarray(0, end));
        pending = pending.subarray(end);
      });
      client.resume();
    }, proxy.connectDelayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const proxy: PgProxy = {
    connectDelayMs: 0,
    silenceAfterStartup: false,
    url(schema, params = {}) {
      const url = new URL(PG_URL);
      url.host = `127.0.0.1:${port}`;
      url.searchParams.set('schema', schema);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      return url.href;
    },
    silence(clientPort) {
      for (const relay of relays) {
        if (relay.upstream?.localPort !== clientPort) continue;
        relay.silent = true;
        return true;
      }
      return false;
    },
    cutAll() {
      for (const relay of [...relays]) cut(relay);
    },
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      proxy.cutAll();
      return closed;
    },
  };
  return proxy;
}
