// CLI benchmark (issue 21): start-up of `cocart-sessions` against bare `node -e 0` (`--help`,
// `--version`, and `list --json` of a 20-session store), and `list --format ndjson` of 100k and 1M
// sessions against `curl` of the same list (time, and peak resident memory of the CLI, and its CPU
// time against curl's wall time), each figure the median of the runs with min and max, marked against
// the targets.
// The stores are seeded once with the server's own `seed` and kept between runs in
// $TMPDIR/cocart-bench-stores/ (a 1M store takes minutes to seed; delete the folder to start over).
// COCART_CLI_BIN=<path to another checkout's apps/tui/dist/cli.js> measures that build instead
// (the "before" figures); the server is always this checkout's.
// Usage (after `pnpm build`): node bench/cli.js [--sessions 100000,1000000] [--runs 3] [--startup-runs 10]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { memoryOf, serveProcess as serveBuilt, stopProcess } from './lib/processes.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100000,1000000' },
    runs: { type: 'string', default: '3' },
    'startup-runs': { type: 'string', default: '10' },
  },
});
const sizes = values.sessions.split(',').map(Number);
const runs = Number(values.runs);
const startupRuns = Number(values['startup-runs']);
const serverCli = fileURLToPath(new URL('../apps/server/dist/cli.js', import.meta.url));
const cli = process.env.COCART_CLI_BIN ?? fileURLToPath(new URL('../apps/tui/dist/cli.js', import.meta.url));
const storesDir = join(tmpdir(), 'cocart-bench-stores');
const admin = { login: 'bench', password: 'bench-password-0123' };

/** `serve` of this checkout's built server in its own process (its work never delays the harness's clock). */
const serveProcess = (db, extra = []) => serveBuilt(serverCli, db, admin, extra);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const spread = (xs, digits = 0) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
const mark = (value, target) => (value < target ? 'ok' : 'MISSED');

/** The store of `count` demo sessions, seeded the first time only. */
function keptStore(count) {
  mkdirSync(storesDir, { recursive: true });
  const file = join(storesDir, `sessions-${count}.sqlite`);
  const seeded = `${file}.seeded`;
  if (!existsSync(seeded)) {
    console.log(`seeding ${count.toLocaleString('en-US')} sessions into ${file} (once)...`);
    execFileSync(process.execPath, [serverCli, 'seed', '--count', String(count), '--db', `sqlite:${file}`], {
      stdio: 'inherit',
    });
    writeFileSync(seeded, '');
  }
  return `sqlite:${file}`;
}

/**
 * Runs a command to its end with stdout to /dev/null (or counted, with `count`: occurrences of that
 * byte string): wall time in ms and peak resident memory in bytes (VmHWM, read from /proc while it runs).
 */
function timed(command, args, { env = {}, count } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', count ? 'pipe' : 'ignore', 'pipe'],
    });
    let peak = 0;
    let cpu = 0;
    const poll = setInterval(() => {
      try {
        // A process that has exited has no memory lines left (NaN): the last reading stands.
        const { peak: now } = memoryOf(child.pid);
        if (now > peak) peak = now;
        cpu = cpuOf(child.pid);
      } catch {}
    }, 10);
    // A match may straddle two chunks: the needle's length less one byte is carried over.
    const needle = count ? Buffer.from(count) : undefined;
    let carry = Buffer.alloc(0);
    let lines = 0;
    child.stdout?.on('data', (chunk) => {
      const text = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) lines++;
      carry = text.subarray(Math.max(0, text.length - needle.length + 1));
    });
    let err = '';
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      clearInterval(poll);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${err}`));
      else resolve({ ms, peak, lines, cpu });
    });
  });
}

/** CPU time (user + system) a running process has used so far, in ms, from /proc (Linux). */
function cpuOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command's name (in parentheses, which may hold spaces): utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function login(url) {
  return { COCART_URL: url, COCART_USERNAME: admin.login, COCART_PASSWORD: admin.password };
}

async function startup() {
  console.log(`\nstart-up: ${cli}; ${startupRuns} runs each, wall time`);
  const bare = [];
  const help = [];
  const version = [];
  // A first run fills the compile cache, as any earlier launch on the machine would have.
  await timed(process.execPath, [cli, '--help']);
  for (let i = 0; i < startupRuns; i++) {
    bare.push((await timed(process.execPath, ['-e', '0'])).ms);
    help.push((await timed(process.execPath, [cli, '--help'])).ms);
    version.push((await timed(process.execPath, [cli, '--version'])).ms);
  }
  const db = join(tmpdir(), `cocart-bench-cli-20-${process.pid}.sqlite`);
  execFileSync(process.execPath, [serverCli, 'seed', '--count', '20', '--db', `sqlite:${db}`], {
    stdio: 'pipe',
  });
  const server = await serveProcess(`sqlite:${db}`);
  const list = [];
  try {
    await timed(process.execPath, [cli, 'list', '--json'], { env: login(server.url) });
    for (let i = 0; i < startupRuns; i++) {
      list.push((await timed(process.execPath, [cli, 'list', '--json'], { env: login(server.url) })).ms);
    }
  } finally {
    await stopProcess(server.child);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) if (existsSync(f)) execFileSync('rm', ['-f', f]);
  }
  const ratio = (xs) => `${(median(xs) / median(bare)).toFixed(2)}x bare node`;
  console.log(`node -e 0                      ${spread(bare)} ms`);
  console.log(
    `--help                         ${spread(help)} ms  ${ratio(help)}  (target < 150 ms: ${mark(median(help), 150)})`,
  );
  console.log(
    `--version                      ${spread(version)} ms  ${ratio(version)}  (target < 150 ms: ${mark(median(version), 150)})`,
  );
  console.log(
    `list --json, 20 sessions       ${spread(list)} ms  ${ratio(list)}  (target < 300 ms: ${mark(median(list), 300)})`,
  );
}

async function streamed(count) {
  const db = keptStore(count);
  const server = await serveProcess(db);
  const listUrl = `${server.url}/wp-json/cocart/v2/sessions`;
  const curlArgs = ['-s', '-f', '-u', `${admin.login}:${admin.password}`, '-o', '/dev/null', listUrl];
  const cliArgs = [cli, 'list', '--format', 'ndjson'];
  try {
    // A warm-up of each, and a check that the CLI writes every session the server lists (the TUI's
    // bench deletes a few sessions of the kept stores: the count is the server's, not the seed's).
    const listed = await timed(
      'curl',
      curlArgs.filter((a) => a !== '-o' && a !== '/dev/null'),
      {
        count: '"cart_key"',
      },
    );
    const check = await timed(process.execPath, cliArgs, { env: login(server.url), count: '\n' });
    if (check.lines !== listed.lines || listed.lines < count * 0.99)
      throw new Error(`list --format ndjson wrote ${check.lines} lines; the server lists ${listed.lines}`);
    const curl = [];
    const time = [];
    const rss = [];
    const cpu = [];
    for (let i = 0; i < runs; i++) {
      curl.push((await timed('curl', curlArgs)).ms);
      const r = await timed(process.execPath, cliArgs, { env: login(server.url) });
      time.push(r.ms);
      rss.push(r.peak / 1048576);
      cpu.push(r.cpu);
    }
    const ratio = median(time) / median(curl);
    console.log(
      `\nlist --format ndjson, ${count.toLocaleString('en-US')} sessions (${runs} runs; output to /dev/null)`,
    );
    console.log(`curl of GET /sessions          ${spread(curl)} ms`);
    // The 2x is a target at a million sessions; a smaller list is shown against curl as well,
    // but there the CLI's start-up is a large part of a much shorter curl.
    const verdict = count >= 1_000_000 ? `target < 2x: ${mark(ratio, 2)}` : 'the 2x target is at 1M sessions';
    console.log(`cocart-sessions                ${spread(time)} ms  ${ratio.toFixed(2)}x curl  (${verdict})`);
    console.log(
      `peak resident (VmHWM)          ${spread(rss)} MB  (target < 150 MB: ${mark(median(rss), 150)})`,
    );
    // The CLI's own CPU time against curl's wall time: whether it keeps up with the server when it has
    // a core to itself, a figure that other work on the machine moves far less than wall time.
    console.log(
      `cocart-sessions CPU time       ${spread(cpu)} ms  ${(median(cpu) / median(curl)).toFixed(2)}x curl's wall time`,
    );
  } finally {
    await stopProcess(server.child);
  }
}

await startup();
for (const count of sizes) await streamed(count);
