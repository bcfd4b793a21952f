import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverCli } from '../http/harness.js';

/** A server process started from the built CLI, with everything it printed so far. */
export interface ServedProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Start `cocart-sessions-server serve` with extra arguments; resolves once it prints its URL. */
export function serveProcess(
  dbUrl: string,
  opts: { args?: string[]; env?: Record<string, string> } = {},
): Promise<ServedProcess> {
  const child = spawn(
    process.execPath,
    [serverCli, 'serve', '--db', dbUrl, '--port', '0', '--log-level', 'error', ...(opts.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', CLEANUP_INTERVAL: '0', ...opts.env },
    },
  );
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, output: () => out, exited });
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** Run the built CLI to completion. */
export function runCliProcess(
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [serverCli, ...args], {
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...opts.env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Resolves once `predicate` returns true (polled), or rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Where Debian installs nginx; `undefined` when it is missing. */
export function nginxBinary(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

/** nginx, configured as the README says, in front of `upstreams`; listens on 127.0.0.1. */
export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

/** The `location` block the README's Deploying section shows (kept identical by a test). */
export const NGINX_LOCATION = `    location / {
        proxy_pass http://cocart_sessions;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $http_host;
    }`;

/** Start nginx as a child process with its own config, logs and temp paths in a temp dir. */
export async function startNginx(upstreams: string[]): Promise<Nginx> {
  const binary = nginxBinary();
  if (binary === undefined) throw new Error('nginx is not installed (apt-get install nginx)');
  const dir = mkdtempSync(join(tmpdir(), 'cocart-nginx-'));
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const servers = upstreams.map((u) => `        server ${new URL(u).host};`).join('\n');
  const conf = `daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${join(dir, 'client_body')};
    proxy_temp_path ${join(dir, 'proxy')};
    fastcgi_temp_path ${join(dir, 'fastcgi')};
    uwsgi_temp_path ${join(dir, 'uwsgi')};
    scgi_temp_path ${join(dir, 'scgi')};
    upstream cocart_sessions {
${servers}
        keepalive 16;
    }
    server {
        listen 127.0.0.1:${port};
${NGINX_LOCATION}
    }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${err}`);
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      if (Date.now() > until) throw new Error(`nginx did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An HTTP answer, read whole. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  ms: number;
}

const agents = new Map<string, Agent>();
/** An agent whose sockets leave from `localAddress` (a 127.0.0.0/8 address stands for one client). */
export function agentFrom(localAddress: string): Agent {
  let agent = agents.get(localAddress);
  if (agent === undefined) {
    agent = new Agent({ keepAlive: false, localAddress, maxSockets: 512 });
    agents.set(localAddress, agent);
  }
  return agent;
}

/** A request that failed; `answered` when part of an answer had arrived (a cut answer). */
export class RequestError extends Error {
  constructor(
    readonly code: string | undefined,
    readonly answered: boolean,
  ) {
    super(`${code ?? 'error'}${answered ? ' after the answer started' : ' before any answer'}`);
  }
}

/** GET (or another method) `url` from the client address `from`. */
export function requestFrom(
  from: string,
  url: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, agent: agentFrom(from) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            ms: performance.now() - started,
          }),
        );
        res.on('error', (e: NodeJS.ErrnoException) => reject(new RequestError(e.code, true)));
        res.on('aborted', () => reject(new RequestError('ECONNRESET', true)));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => reject(new RequestError(e.code, false)));
    // A hung request fails the test with a reason instead of its timeout.
    req.setTimeout(15_000, () =>
      req.destroy(Object.assign(new Error('no answer in 15 s'), { code: 'ETIMEDOUT' })),
    );
    req.end();
  });
}
