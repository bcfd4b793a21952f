import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resident and peak resident memory of a process, in bytes, from /proc (Linux). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Runs a command to completion; rejects with its stderr when it fails. */
export function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')}: ${err}`)),
    );
  });
}

/** Polls a URL until it answers (any status) or the deadline passes. */
export async function waitForHttp(url, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts the bare Express ceiling in its own process. */
export function startBareExpress(script) {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { stdio: 'ignore' });
    child.once('message', ({ port }) => resolve({ child, url: `http://127.0.0.1:${port}/` }));
    child.once('error', reject);
  });
}

export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * `serve` of the built server CLI (`serverCli`) in its own process, with `admin` created at start and
 * the young generation sized as the README's Deploying section advises; resolves with its URL.
 */
export function serveProcess(serverCli, db, admin, extra = []) {
  const child = spawn(
    process.execPath,
    [serverCli, 'serve', '--db', db, '--port', '0', '--log-level', 'error', ...extra],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        COCART_ADMIN_USER: admin.login,
        COCART_ADMIN_PASSWORD: admin.password,
        CLEANUP_INTERVAL: '0',
        NODE_OPTIONS: '--max-semi-space-size=16',
      },
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** SIGTERM to `child`, resolved once it has exited. */
export async function stopProcess(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
