// TUI benchmark: time to first screen and keypress-to-redraw of the real `cocart-sessions` binary in a
// pseudo-terminal (util-linux `script`), against our server on SQLite seeded with 100k sessions, with
// the same run on 100 sessions as the baseline; each figure is also given as a ratio to the baseline.
// Scenario `watch` (issue 14): 100k sessions, `--watch 3`, a key every 100 ms for 30 s while a second
// process deletes a session every 5 s: key-to-redraw p50/p95/max, first rows and full list after
// launch (server in its own process). Scenario `v4`: the TUI against `serve --list-format v4` (time
// to the full list), and `client.sessions.list()` alone, direct and through a proxy adding 20 ms.
// Scenario `million` (issue 21, not part of `all`): 1,000,000 sessions (`--scale-sessions`) in a store
// seeded once and kept between runs and invocations (in `--store-dir`), `--watch 5` at 120x40: first
// rows, full list, the TUI's peak resident memory (all threads), key-to-redraw p50/p95/max while the
// list loads, while a filter is typed, and under watch while another process deletes a session every
// 5 s, and how long each sort takes to settle on screen. With `--probe`, the TUI runs with the stall
// probe, and the longest runs of its main thread while keys were pressed are printed (when they were,
// from launch): what a slow key waited on in the TUI itself.
// Usage (after `pnpm build`): node bench/tui.js [--scenario all|keys|watch|v4|million] [--sessions 100000]
//   [--baseline 100] [--presses 40] [--watch-seconds 30] [--runs 3] [--scale-sessions 1000000]
//   [--store-dir DIR] [--probe]
// COCART_TUI_BIN=<path to another checkout's apps/tui/dist/cli.js> measures that build instead (the
// "before" figures); the server is always this checkout's.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from '@cocart-sessions/client';
import { startServer } from '@cocart-sessions/server';
import { memoryOf, serveProcess as serveBuilt, stopProcess } from './lib/processes.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    sessions: { type: 'string', default: '100000' },
    baseline: { type: 'string', default: '100' },
    presses: { type: 'string', default: '40' },
    'watch-seconds': { type: 'string', default: '30' },
    runs: { type: 'string', default: '3' },
    'scale-sessions': { type: 'string', default: '1000000' },
    'store-dir': { type: 'string' },
    probe: { type: 'boolean', default: false },
  },
});
const scenario = values.scenario;
if (!['all', 'keys', 'watch', 'v4', 'million'].includes(scenario))
  throw new Error(`unknown --scenario ${scenario}`);
const presses = Number(values.presses);
const serverCli = fileURLToPath(new URL('../apps/server/dist/cli.js', import.meta.url));
const tuiCli =
  process.env.COCART_TUI_BIN ?? fileURLToPath(new URL('../apps/tui/dist/cli.js', import.meta.url));
const stallProbe = fileURLToPath(new URL('./lib/stall-probe.js', import.meta.url));
const admin = { login: 'bench', password: 'bench-password-0123' };

/** `serve` of this checkout's built server in its own process (its work never delays the harness's clock). */
const serveProcess = (db, extra = []) => serveBuilt(serverCli, db, admin, extra);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escapes is the point
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007]*\u0007|[()][A-Za-z0-9]|[=>78])/g;

/** Seeds `count` demo sessions with the server's own CLI, then serves them. */
async function seededServer(count) {
  const dir = mkdtempSync(join(tmpdir(), 'cocart-bench-tui-'));
  const db = `sqlite:${join(dir, 'sessions.sqlite')}`;
  const t0 = performance.now();
  execFileSync(process.execPath, [serverCli, 'seed', '--count', String(count), '--db', db], {
    stdio: 'pipe',
  });
  const seedMs = performance.now() - t0;
  const server = await startServer({ databaseUrl: db, port: 0, admin });
  return {
    url: server.url,
    seedMs,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What the harness keeps of the pty's output: a few full screens (a screen is redrawn whole). */
const TAIL_CHARS = 64 * 1024;

/**
 * The binary in an 80x24 pty (or `size`); `text()` is the last of what it drew, escapes removed, and
 * `drawn()` how much it drew in all. The harness keeps and scans only the tail: over a long run, a
 * harness that stripped everything drawn so far at each chunk took a core of this 2-core machine
 * from the process it measures.
 */
function startTui(url, args = [], size = { rows: 24, cols: 80 }, probeFile = undefined) {
  const node = probeFile ? [process.execPath, '--import', stallProbe] : [process.execPath];
  const argv = [...node, tuiCli, ...args].map((a) => JSON.stringify(a)).join(' ');
  const command = `stty rows ${size.rows} cols ${size.cols}; exec ${argv}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      COCART_URL: url,
      COCART_USERNAME: admin.login,
      COCART_PASSWORD: admin.password,
      TERM: 'xterm-256color',
      ...(probeFile ? { STALL_PROBE_FILE: probeFile } : {}),
    },
  });
  let raw = '';
  let drawn = 0;
  let lastData = performance.now();
  const waiters = new Set();
  child.stdout.on('data', (chunk) => {
    const s = chunk.toString('utf8');
    raw = (raw + s).slice(-TAIL_CHARS);
    drawn += s.length;
    lastData = performance.now();
    for (const w of waiters) w();
  });
  const text = () => raw.replace(ANSI, '');
  return {
    child,
    text,
    drawn: () => drawn,
    /** Resolves with the time when `pred(text)` first holds (`blind`: `pred()` is not given the text). */
    waitFor(pred, timeoutMs = 120_000, blind = false) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pred(blind ? '' : text())) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(performance.now());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timeout; screen tail:\n${text().slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    /** Time from writing `key` to the first byte of the redraw. */
    async press(key) {
      const before = drawn;
      const t0 = performance.now();
      const done = this.waitFor(() => drawn > before, 10_000, true);
      child.stdin.write(key);
      return (await done) - t0;
    },
    async quiet(ms = 300) {
      while (performance.now() - lastData < ms) await sleep(50);
    },
    async stop() {
      child.stdin.write('q');
      const exited = new Promise((r) => child.once('exit', r));
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** One full measurement against a server holding `count` sessions. */
async function measure(count) {
  const server = await seededServer(count);
  let tui;
  try {
    const countText = count.toLocaleString('en-US');
    const t0 = performance.now();
    tui = startTui(server.url);
    // First screen: the table header and a row of the first page are on screen.
    const firstScreen = (await tui.waitFor((t) => /KEY\s+CUSTOMER/.test(t) && t.includes('›'))) - t0;
    const allLoaded = (await tui.waitFor((t) => t.includes(` · ${countText} sessions · refreshed`))) - t0;
    await tui.quiet();
    const timings = { down: [], last: [], pageDown: [], filterChar: [] };
    for (let i = 0; i < presses; i++) {
      timings.down.push(await tui.press('j'));
      await sleep(40);
    }
    // Every press must change the screen (Ink writes nothing otherwise): top, page down, bottom.
    for (let i = 0; i < presses / 2; i++) {
      timings.last.push(await tui.press('g'));
      await sleep(40);
      timings.pageDown.push(await tui.press('\u001B[6~'));
      await sleep(40);
      timings.last.push(await tui.press('G'));
      await sleep(40);
    }
    await tui.press('/');
    await sleep(60);
    // Each typed character re-filters every loaded session: the worst case of the list.
    for (let i = 0; i < presses / 2; i++) {
      timings.filterChar.push(await tui.press(i % 2 ? '\u007F' : 'a'));
      await sleep(60);
    }
    await tui.press('\u001B');
    await sleep(60);
    await tui.stop();
    tui = undefined;
    return { count, seedMs: server.seedMs, firstScreen, allLoaded, timings };
  } finally {
    tui?.child.kill('SIGKILL');
    await server.close();
  }
}

/** A second process that deletes one of `keys` through the API every `everyMs`. */
function startDeleter(url, keys, everyMs) {
  const script = `
    const [url, user, password, everyMs, ...keys] = process.argv.slice(1);
    const auth = 'Basic ' + Buffer.from(user + ':' + password).toString('base64');
    let i = 0;
    setInterval(async () => {
      const key = keys[i++];
      if (!key) return;
      const res = await fetch(url + '/wp-json/cocart/v2/session/' + key, { method: 'DELETE', headers: { authorization: auth } });
      process.stdout.write(res.status + '\\n');
    }, Number(everyMs));`;
  return spawn(process.execPath, ['-e', script, url, admin.login, admin.password, String(everyMs), ...keys], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** A proxy on 127.0.0.1 that holds each request `delayMs` before passing it on. */
async function latencyProxy(target, delayMs) {
  const to = new URL(target);
  const server = createServer((req, res) => {
    setTimeout(() => {
      const up = httpRequest(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    }, delayMs);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const median = (xs) => percentile(xs, 50);
const spread = (xs, digits = 0) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;

/** Seeds one database of `count` sessions for the watch and v4 scenarios. */
function seededDatabase(count) {
  const dir = mkdtempSync(join(tmpdir(), 'cocart-bench-watch-'));
  const db = `sqlite:${join(dir, 'sessions.sqlite')}`;
  execFileSync(process.execPath, [serverCli, 'seed', '--count', String(count), '--db', db], {
    stdio: 'pipe',
  });
  return { db, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One watch run: launch, full list, then a key every 100 ms for `seconds` while deletions happen. */
async function watchRun(db, seconds) {
  const server = await serveProcess(db);
  const probeDir = mkdtempSync(join(tmpdir(), 'cocart-bench-probe-'));
  const probeFile = join(probeDir, 'stalls.json');
  let tui;
  let deleter;
  let keysFrom = 0;
  try {
    const client = createClient({
      url: server.url,
      auth: { username: admin.login, password: admin.password },
    });
    const victims = (await client.sessions.page({ page: 2, perPage: 100, orderBy: 'cart_id' })).items.map(
      (x) => x.cart_key,
    );
    const t0 = performance.now();
    tui = startTui(server.url, ['--watch', '3'], { rows: 40, cols: 120 }, probeFile);
    const firstRows = (await tui.waitFor((t) => /KEY\s+CUSTOMER/.test(t) && t.includes('›'))) - t0;
    const full = (await tui.waitFor((t) => /· [\d,]{6,} sessions · refreshed/.test(t.slice(-3000)))) - t0;
    await tui.quiet();
    deleter = startDeleter(server.url, victims, 5000);
    keysFrom = performance.now() - t0;
    const latencies = [];
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const started = performance.now();
      latencies.push(await tui.press('j'));
      const wait = 100 - (performance.now() - started);
      if (wait > 0) await sleep(wait);
    }
    deleter?.kill('SIGKILL');
    await tui.stop();
    tui = undefined;
    // The TUI's longest main-thread run (CPU) while keys were pressed: what a key could wait on
    // the TUI itself, whatever else the machine was busy with.
    const stalls = JSON.parse(readFileSync(probeFile, 'utf8'));
    const cpuStall = Math.max(0, ...stalls.filter((x) => x.atMs >= keysFrom).map((x) => x.cpuMs));
    return { firstRows, full, latencies, cpuStall };
  } finally {
    deleter?.kill('SIGKILL');
    if (tui) await tui.stop().catch(() => tui.child.kill('SIGKILL'));
    await stopProcess(server.child);
    rmSync(probeDir, { recursive: true, force: true });
  }
}

async function watchScenario(count, seconds, runs) {
  console.log(
    `\nwatch: ${count.toLocaleString('en-US')} sessions, --watch 3, 120x40, a key every 100 ms for ${seconds} s, a delete every 5 s by another process; ${runs} runs`,
  );
  const data = seededDatabase(count);
  try {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await watchRun(data.db, seconds));
    const all = results.flatMap((r) => r.latencies);
    console.log(
      `key-to-redraw p50   ${spread(
        results.map((r) => percentile(r.latencies, 50)),
        1,
      )} ms`,
    );
    console.log(
      `key-to-redraw p95   ${spread(
        results.map((r) => percentile(r.latencies, 95)),
        1,
      )} ms`,
    );
    console.log(
      `key-to-redraw max   ${spread(
        results.map((r) => Math.max(...r.latencies)),
        1,
      )} ms  (target < 100 ms; ${all.length} presses)`,
    );
    console.log(
      `longest TUI run     ${spread(
        results.map((r) => r.cpuStall),
        1,
      )} ms of CPU between two turns of its event loop (runs under 20 ms not counted)`,
    );
    console.log(`first rows          ${spread(results.map((r) => r.firstRows))} ms  (target < 800 ms)`);
    console.log(`full list           ${spread(results.map((r) => r.full))} ms  (target < 2500 ms)`);
  } finally {
    data.dispose();
  }
}

async function v4Scenario(count, runs) {
  console.log(
    `\nv4: ${count.toLocaleString('en-US')} sessions from serve --list-format v4 (pages of 100); ${runs} runs`,
  );
  const data = seededDatabase(count);
  const server = await serveProcess(data.db, ['--list-format', 'v4']);
  const proxy = await latencyProxy(server.url, 20);
  try {
    const tuiFull = [];
    const tuiFirst = [];
    const direct = [];
    const slow = [];
    const auth = { username: admin.login, password: admin.password };
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      const tui = startTui(server.url);
      try {
        tuiFirst.push((await tui.waitFor((t) => /KEY\s+CUSTOMER/.test(t) && t.includes('›'))) - t0);
        tuiFull.push(
          (await tui.waitFor((t) => /· [\d,]{6,} sessions · refreshed/.test(t.slice(-3000)))) - t0,
        );
      } finally {
        await tui.stop().catch(() => tui.child.kill('SIGKILL'));
      }
      t0 = performance.now();
      const got = await createClient({ url: server.url, auth }).sessions.list();
      direct.push(performance.now() - t0);
      t0 = performance.now();
      const viaProxy = await createClient({ url: proxy.url, auth }).sessions.list();
      slow.push(performance.now() - t0);
      if (got.length !== count || viaProxy.length !== count)
        throw new Error(`list gave ${got.length}/${viaProxy.length}`);
    }
    console.log(`TUI: time to the first rows        ${spread(tuiFirst)} ms`);
    console.log(`TUI: time to the full list         ${spread(tuiFull)} ms  (target < 5000 ms)`);
    console.log(`client list(), direct              ${spread(direct)} ms  (target < 4000 ms)`);
    console.log(`client list(), +20 ms per request  ${spread(slow)} ms  (target < 10000 ms)`);
  } finally {
    await proxy.close();
    await stopProcess(server.child);
    data.dispose();
  }
}

/** A store of `count` sessions in `dir`, seeded the first time only (a million takes many minutes). */
function keptDatabase(count, dir) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `sessions-${count}.sqlite`);
  if (!existsSync(file)) {
    const seeding = join(dir, `seeding-${count}.sqlite`);
    rmSync(seeding, { force: true });
    console.log(`seeding ${count.toLocaleString('en-US')} sessions into ${file} (once)…`);
    execFileSync(
      process.execPath,
      [serverCli, 'seed', '--count', String(count), '--db', `sqlite:${seeding}`],
      {
        stdio: 'pipe',
      },
    );
    renameSync(seeding, file);
  }
  return `sqlite:${file}`;
}

/** The node process under `script` (the pty's shell execs it). */
function nodeUnder(scriptPid) {
  try {
    const children = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim();
    return Number(children.split(/\s+/)[0]) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Presses `key` every `everyMs` until `until()` holds (or `maxMs` passed); the key-to-redraw times.
 * Each press's start (`performance.now()`) goes to `at` when given.
 */
async function pressWhile(tui, key, everyMs, until, maxMs, at = []) {
  const latencies = [];
  const end = performance.now() + maxMs;
  while (!until() && performance.now() < end) {
    const started = performance.now();
    at.push(started);
    latencies.push(await tui.press(key));
    const wait = everyMs - (performance.now() - started);
    if (wait > 0) await sleep(wait);
  }
  return latencies;
}

/** Time from pressing `key` until the screen has been still for `quietMs` (what was drawn last). */
async function settle(tui, key, quietMs = 1000) {
  const t0 = performance.now();
  const first = await tui.press(key);
  let lastChange = performance.now();
  let length = tui.drawn();
  while (performance.now() - lastChange < quietMs) {
    await sleep(20);
    if (tui.drawn() !== length) {
      length = tui.drawn();
      lastChange = performance.now();
    }
  }
  return { first, settled: lastChange - t0 };
}

async function millionScenario(count, seconds) {
  const dir = values['store-dir'] ?? join(tmpdir(), 'cocart-bench-tui-stores');
  const db = keptDatabase(count, dir);
  const countText = count.toLocaleString('en-US');
  console.log(`\nmillion: ${countText} sessions (store kept in ${dir}), --watch 5, 120x40`);
  const server = await serveProcess(db);
  const client = createClient({ url: server.url, auth: { username: admin.login, password: admin.password } });
  const held = (await client.sessions.page({ page: 1, perPage: 1 })).total;
  const victims = (await client.sessions.page({ page: 2, perPage: 100, orderBy: 'cart_id' })).items.map(
    (x) => x.cart_key,
  );
  const probeDir = values.probe ? mkdtempSync(join(tmpdir(), 'cocart-bench-probe-')) : undefined;
  const probeFile = probeDir && join(probeDir, 'stalls.json');
  let tui;
  let deleter;
  let peak = 0;
  let sampler;
  try {
    const t0 = performance.now();
    tui = startTui(server.url, ['--watch', '5'], { rows: 40, cols: 120 }, probeFile);
    sampler = setInterval(() => {
      const pid = nodeUnder(tui.child.pid);
      if (pid === undefined) return;
      try {
        // A process on its way out has no VmHWM line any more.
        const { peak: now } = memoryOf(pid);
        if (Number.isFinite(now)) peak = Math.max(peak, now);
      } catch {}
    }, 200);
    const firstRows = (await tui.waitFor((t) => /KEY\s+CUSTOMER/.test(t) && t.includes('›'))) - t0;
    const full = new RegExp(`· ${held.toLocaleString('en-US')} sessions · refreshed`);
    let fullAt;
    const fullWait = tui
      .waitFor((t) => full.test(t.slice(-4000)), 180_000)
      .then((t) => {
        fullAt = t - t0;
      });
    // Keys while the list streams in: a key every 100 ms until the whole store is there.
    const loadPressAt = [];
    const duringLoad = await pressWhile(tui, 'j', 100, () => fullAt !== undefined, 180_000, loadPressAt);
    await fullWait;
    await tui.quiet(500);
    const jumps = [];
    for (let i = 0; i < 5; i++) {
      jumps.push(await tui.press('G'));
      await sleep(150);
      jumps.push(await tui.press('g'));
      await sleep(150);
    }
    // Every sort column, over every session: first redraw and the screen settled.
    const sorts = [];
    for (const column of ['created', 'expiry', 'customer', 'email', 'key', 'source', 'id']) {
      sorts.push({ column, ...(await settle(tui, 's')) });
    }
    // A filter typed a character every 150 ms, then cleared.
    await tui.press('/');
    await sleep(150);
    const filtering = [];
    for (const ch of 'mia.ro') {
      filtering.push(await tui.press(ch));
      await sleep(150);
    }
    const filterSettle = await settle(tui, 's', 1000);
    await tui.press('\u001B');
    await sleep(150);
    await tui.press('\u001B');
    await tui.quiet(500);
    // Under --watch 5 while another process deletes a session every 5 s.
    deleter = startDeleter(server.url, victims, 5000);
    const underWatch = await pressWhile(tui, 'j', 100, () => false, seconds * 1000);
    deleter.kill('SIGKILL');
    const pid = nodeUnder(tui.child.pid);
    const last = pid === undefined ? Number.NaN : memoryOf(pid).peak;
    if (Number.isFinite(last)) peak = Math.max(peak, last);
    await tui.stop();
    tui = undefined;
    const line = (name, xs) =>
      console.log(
        `${name.padEnd(34)} p50 ${percentile(xs, 50).toFixed(1)} ms  p95 ${percentile(xs, 95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms  (${xs.length} presses; target max < 100, p95 < 50)`,
      );
    console.log(`sessions in the store                ${held.toLocaleString('en-US')}`);
    console.log(`first rows                           ${firstRows.toFixed(0)} ms  (target < 500 ms)`);
    console.log(`full list                            ${fullAt.toFixed(0)} ms  (target < 6000 ms)`);
    console.log(`peak resident memory (all threads)   ${(peak / 2 ** 20).toFixed(0)} MB  (target < 600 MB)`);
    line('keys while the list loads', duringLoad);
    line('G/g jumps over the whole list', jumps);
    line('keys while a filter is typed', filtering);
    line(`keys under --watch 5 (${seconds} s)`, underWatch);
    for (const s of sorts)
      console.log(
        `sort by ${s.column.padEnd(8)} first redraw ${s.first.toFixed(1)} ms, rows settled ${s.settled.toFixed(0)} ms`,
      );
    console.log(`filter "mia.ro" then s: rows settled ${filterSettle.settled.toFixed(0)} ms`);
    if (probeFile) {
      const stalls = JSON.parse(readFileSync(probeFile, 'utf8'));
      const longest = [...stalls].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 8);
      console.log(
        `main thread's longest runs (CPU ms @ ms from launch): ${longest.map((x) => `${x.cpuMs.toFixed(0)} @ ${x.atMs}`).join(', ')}`,
      );
      const slow = duringLoad.flatMap((ms, i) =>
        ms > 50 ? [`${ms.toFixed(0)} @ ${(loadPressAt[i] - t0).toFixed(0)}`] : [],
      );
      console.log(`keys over 50 ms while the list loads (ms @ ms from launch): ${slow.join(', ') || 'none'}`);
    }
  } finally {
    if (probeDir) rmSync(probeDir, { recursive: true, force: true });
    clearInterval(sampler);
    deleter?.kill('SIGKILL');
    if (tui) await tui.stop().catch(() => tui.child.kill('SIGKILL'));
    await stopProcess(server.child);
  }
}

const big = Number(values.sessions);
const runs = Number(values.runs);
if (scenario === 'million') {
  for (let i = 0; i < runs; i++)
    await millionScenario(Number(values['scale-sessions']), Number(values['watch-seconds']));
}
if (scenario === 'watch' || scenario === 'all')
  await watchScenario(big, Number(values['watch-seconds']), runs);
if (scenario === 'v4' || scenario === 'all') await v4Scenario(big, runs);
if (scenario === 'keys' || scenario === 'all') {
  const small = Number(values.baseline);
  console.log(`cocart-sessions in a pty (80x24), ${presses} presses per key; baseline ${small} sessions`);
  const base = await measure(small);
  const load = await measure(big);

  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  const rows = [
    ['time to first screen', base.firstScreen, load.firstScreen],
    ['time to all sessions loaded', base.allLoaded, load.allLoaded],
  ];
  for (const [name, label] of [
    ['down', 'j (down) redraw'],
    ['last', 'G/g (jump) redraw'],
    ['pageDown', 'PgDn redraw'],
    ['filterChar', '/ filter keystroke redraw'],
  ]) {
    rows.push([`${label} p50`, percentile(base.timings[name], 50), percentile(load.timings[name], 50)]);
    rows.push([`${label} p95`, percentile(base.timings[name], 95), percentile(load.timings[name], 95)]);
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(
    `${''.padEnd(w)}  ${`${small} sessions`.padStart(14)}  ${`${big} sessions`.padStart(16)}  ratio`,
  );
  for (const [name, a, b] of rows)
    console.log(`${name.padEnd(w)}  ${fmt(a).padStart(14)}  ${fmt(b).padStart(16)}  ${ratio(b, a)}`);
  console.log(
    `(seeding: ${fmt(base.seedMs)} for ${small}, ${fmt(load.seedMs)} for ${big}; not part of the figures)`,
  );
}
