// TUI benchmark: time to first screen and keypress-to-redraw of the real `cocart-sessions` binary in a
// pseudo-terminal (util-linux `script`), against our server on SQLite seeded with 100k sessions, with
// the same run on 100 sessions as the baseline; each figure is also given as a ratio to the baseline.
// Usage (after `pnpm build`): node bench/tui.js [--sessions 100000] [--baseline 100] [--presses 40]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '@cocart-sessions/server';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100000' },
    baseline: { type: 'string', default: '100' },
    presses: { type: 'string', default: '40' },
  },
});
const presses = Number(values.presses);
const serverCli = fileURLToPath(new URL('../apps/server/dist/cli.js', import.meta.url));
const tuiCli = fileURLToPath(new URL('../apps/tui/dist/cli.js', import.meta.url));
const admin = { login: 'bench', password: 'bench-password-0123' };
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

/** The binary in an 80x24 pty; `text()` is everything it drew so far with escapes removed. */
function startTui(url) {
  const command = `stty rows 24 cols 80; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(tuiCli)}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      COCART_URL: url,
      COCART_USERNAME: admin.login,
      COCART_PASSWORD: admin.password,
      TERM: 'xterm-256color',
    },
  });
  let raw = '';
  let lastData = performance.now();
  const waiters = new Set();
  child.stdout.on('data', (chunk) => {
    raw += chunk.toString('utf8');
    lastData = performance.now();
    for (const w of waiters) w();
  });
  const text = () => raw.replace(ANSI, '');
  return {
    child,
    text,
    /** Resolves with the time when `pred(text)` first holds. */
    waitFor(pred, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pred(text())) {
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
      const before = raw.length;
      const t0 = performance.now();
      const done = this.waitFor(() => raw.length > before, 10_000);
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

const big = Number(values.sessions);
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
console.log(`${''.padEnd(w)}  ${`${small} sessions`.padStart(14)}  ${`${big} sessions`.padStart(16)}  ratio`);
for (const [name, a, b] of rows)
  console.log(`${name.padEnd(w)}  ${fmt(a).padStart(14)}  ${fmt(b).padStart(16)}  ${ratio(b, a)}`);
console.log(
  `(seeding: ${fmt(base.seedMs)} for ${small}, ${fmt(load.seedMs)} for ${big}; not part of the figures)`,
);
