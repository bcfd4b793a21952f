// Server benchmark: the bare Express ceiling and our server on SQLite and PostgreSQL, measured in one
// run on this machine with autocannon on 127.0.0.1; every figure is also given as a ratio to the ceiling.
// Usage (after `pnpm build`): node bench/server.js [--sessions 100000] [--duration 5] [--stores sqlite,postgres]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, memoryOf, run, startBareExpress, stop, waitForHttp } from './lib/processes.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '5' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    'pg-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const sessionCount = Number(values.sessions);
const duration = Number(values.duration);
const cli = fileURLToPath(new URL('../apps/server/dist/cli.js', import.meta.url));
const bare = fileURLToPath(new URL('./lib/bare-express.js', import.meta.url));
const admin = { user: 'bench', password: 'bench-password-0123' };
const authorization = `Basic ${Buffer.from(`${admin.user}:${admin.password}`).toString('base64')}`;
const rows = [];

async function load(title, url, requests) {
  const options = { url, connections: 10, headers: { authorization }, ...(requests ? { requests } : {}) };
  await autocannon({ ...options, duration: 1 }); // warm-up, discarded
  const result = await autocannon({ ...options, duration, title });
  const bad = result.non2xx + result.errors;
  if (bad > 0) throw new Error(`${title}: ${bad} failed requests of ${result.requests.total}`);
  return { title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function fullList(url, pid) {
  const before = memoryOf(pid).rss;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // reset VmHWM so the peak is this request's
  } catch {}
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization } });
  const reader = response.body.getReader();
  let firstByte = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!firstByte) firstByte = performance.now() - started;
    bytes += value.length;
  }
  const complete = performance.now() - started;
  const growth = memoryOf(pid).peak - before;
  return { status: response.status, firstByte, complete, bytes, growth };
}

async function benchStore(kind, databaseUrl, ceiling) {
  process.stderr.write(`seeding ${sessionCount} sessions into ${kind}...\n`);
  const seedStart = performance.now();
  await run(process.execPath, [
    cli,
    'seed',
    '--db',
    databaseUrl,
    '--count',
    String(sessionCount),
    '--seed',
    '1',
  ]);
  process.stderr.write(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [cli, 'serve', '--db', databaseUrl, '--host', '127.0.0.1', '--port', String(port)],
    {
      env: {
        ...process.env,
        COCART_ADMIN_USER: admin.user,
        COCART_ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: 'error',
        COCART_SEED_DEMO: '0',
      },
      stdio: 'ignore',
    },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`);
    const api = `${base}/wp-json/cocart/v2`;
    // Full list first, so the peak RSS is not that of the load runs.
    const lists = [];
    for (let i = 0; i < 3; i++) lists.push(await fullList(`${api}/sessions`, server.pid));
    const best = lists.sort((a, b) => a.complete - b.complete)[0];
    const median = lists[1];
    if (best.status !== 200) throw new Error(`${kind}: full list answered ${best.status}`);
    const keys = (await (await fetch(`${api}/sessions`, { headers: { authorization } })).json()).map(
      (s) => s.cart_key,
    );
    if (keys.length !== sessionCount)
      throw new Error(`${kind}: list has ${keys.length} sessions, expected ${sessionCount}`);
    rows.push({
      title: `${kind}: GET /sessions (all ${sessionCount})`,
      note: `first byte ${median.firstByte.toFixed(0)} ms, complete ${median.complete.toFixed(0)} ms (best ${best.complete.toFixed(0)}), ${(median.bytes / 1e6).toFixed(1)} MB, peak RSS growth ${(Math.max(...lists.map((l) => l.growth)) / 1e6).toFixed(0)} MB`,
    });
    const random = [
      {
        setupRequest: (req) => ({
          ...req,
          path: `/wp-json/cocart/v2/session/${keys[Math.floor(Math.random() * keys.length)]}`,
        }),
      },
    ];
    rows.push(await load(`${kind}: GET /session/<random key>`, base, random));
    const lastPage = Math.ceil(sessionCount / 100);
    for (const page of [1, Math.min(500, lastPage), lastPage]) {
      rows.push(
        await load(
          `${kind}: GET /sessions?per_page=100&page=${page}`,
          `${api}/sessions?per_page=100&page=${page}`,
        ),
      );
    }
    rows.push({
      title: `${kind}: server peak RSS`,
      note: `${(memoryOf(server.pid).peak / 1e6).toFixed(0)} MB`,
    });
  } finally {
    await stop(server);
  }
  for (const row of rows) if (row.rps !== undefined) row.ratio = row.rps / ceiling.rps;
}

const { child: bareChild, url: bareUrl } = await startBareExpress(bare);
let ceiling;
try {
  ceiling = await load('ceiling: bare Express 5, fixed 4 KB JSON', bareUrl);
  rows.push({ ...ceiling, ratio: 1 });
} finally {
  await stop(bareChild);
}

const stores = values.stores.split(',');
if (stores.includes('sqlite')) {
  const dir = mkdtempSync(join(tmpdir(), 'cocart-bench-'));
  try {
    await benchStore('sqlite', `sqlite:${join(dir, 'bench.sqlite')}`, ceiling);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (stores.includes('postgres')) {
  const schema = `bench_${process.pid}_${Date.now()}`;
  const url = new URL(values['pg-url']);
  url.searchParams.set('schema', schema);
  try {
    await benchStore('postgres', url.toString(), ceiling);
  } finally {
    const client = new pg.Client({ connectionString: values['pg-url'] });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

console.log(
  `\nServer benchmark: ${sessionCount} sessions, ${duration} s per load run, 10 connections, 127.0.0.1`,
);
console.log('| measurement | req/s | ratio to ceiling | p50 ms | p99 ms | notes |');
console.log('|---|---:|---:|---:|---:|---|');
for (const r of rows) {
  const num = (v, d = 0) => (v === undefined ? '' : v.toFixed(d));
  console.log(
    `| ${r.title} | ${num(r.rps)} | ${num(r.ratio, 2)} | ${num(r.p50)} | ${num(r.p99)} | ${r.note ?? ''} |`,
  );
}
