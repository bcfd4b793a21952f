// Server benchmark: the bare Express ceiling and our server on SQLite and PostgreSQL, measured with
// autocannon on 127.0.0.1; every load figure is also given as a ratio to the ceiling, measured in 1 s
// slices taken in turn with it. Each store is seeded once, then the whole measurement (each store on a
// freshly started server, the ceiling running beside it) runs `--runs` times; the table gives each figure's median with its min and max and checks the
// median against the target, so that one lucky run cannot pass and one unlucky run cannot fail.
// Usage (after `pnpm build`):
//   node bench/server.js [--sessions 100000] [--duration 5] [--runs 3] [--stores sqlite,postgres]
//                        [--figures list,cart,pages,add,simulate,workers]
// `add`: POST cart/add-item on a new cart and on an existing one; `simulate`: GET /session/<key> while
// `simulate --rate 50` writes 50 carts a second beside it. The carts these make are deleted after them.
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
    runs: { type: 'string', default: '3' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    figures: { type: 'string', default: 'list,cart,pages,add,simulate,workers' },
    'pg-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const sessionCount = Number(values.sessions);
const duration = Number(values.duration);
const runs = Number(values.runs);
const figuresWanted = new Set(values.figures.split(','));
const want = (figure) => figuresWanted.has(figure);
const cli = fileURLToPath(new URL('../apps/server/dist/cli.js', import.meta.url));
const bare = fileURLToPath(new URL('./lib/bare-express.js', import.meta.url));
const admin = { user: 'bench', password: 'bench-password-0123' };
const authorization = `Basic ${Buffer.from(`${admin.user}:${admin.password}`).toString('base64')}`;
const benchStarted = performance.now();
const log = (line) => process.stderr.write(`${line}\n`);

/**
 * The targets (the server issue's): `min` for ratios to the ceiling, `max` for times and sizes.
 * Figures of a kind not listed here are printed without a mark.
 */
const TARGETS = {
  sqlite: { cart: { min: 0.6 }, page: { min: 0.1 }, add: { min: 0.15 } },
  postgres: { cart: { min: 0.35 }, page: { min: 0.1 }, add: { min: 0.1 } },
  list: { firstByte: { max: 50 }, complete: { max: 500 }, growth: { max: 100 } },
};

/** The load figures (req/s, ratio to the ceiling), by name. */
const isLoad = (name) => name === 'cart' || name.startsWith('page ') || name in LOAD_TITLES;

const LOAD_TITLES = {
  cart: 'GET /session/<random key>',
  'add new': 'POST cart/add-item, new cart',
  'add existing': 'POST cart/add-item, existing cart',
  'cart + simulate': 'GET /session/<random key>, simulate --rate 50 beside',
};

/**
 * `url` under load for `duration` 1-second slices, each right after a 1-second slice of the run's
 * ceiling (when given): the figure and its ceiling see the same machine. On a shared 2-core VM the
 * speed drifts by up to 2x within seconds, and a ceiling measured once before the figures put one
 * build's ratio anywhere from 0.3 to 0.6.
 */
async function load(title, url, requests, ceilingUrl) {
  const options = { url, connections: 10, headers: { authorization }, ...(requests ? { requests } : {}) };
  const ceiling = ceilingUrl && { url: ceilingUrl, connections: 10 };
  await autocannon({ ...options, duration: 1 }); // warm-up, discarded
  let rps = 0;
  let ceilingRps = 0;
  const p50 = [];
  const p99 = [];
  for (let slice = 0; slice < duration; slice++) {
    if (ceiling) ceilingRps += (await autocannon({ ...ceiling, duration: 1 })).requests.average / duration;
    const result = await autocannon({ ...options, duration: 1, title });
    const bad = result.non2xx + result.errors;
    if (bad > 0) throw new Error(`${title}: ${bad} failed requests of ${result.requests.total}`);
    rps += result.requests.average / duration;
    p50.push(result.latency.p50);
    p99.push(result.latency.p99);
  }
  return { rps, ceilingRps, p50: stats(p50).median, p99: Math.max(...p99) };
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

/** Seeds the store once; every run reads the same data. */
async function seed(kind, databaseUrl) {
  log(`seeding ${sessionCount} sessions into ${kind}...`);
  const started = performance.now();
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
  const seconds = (performance.now() - started) / 1000;
  log(`seeded in ${seconds.toFixed(1)} s`);
  return seconds;
}

/** The runtime flag the README's Deploying section and scripts/start.sh give `serve`. */
const SERVE_NODE_OPTIONS = '--max-semi-space-size=16';

function startServer(databaseUrl, port, extraArgs = []) {
  return spawn(
    process.execPath,
    [cli, 'serve', '--db', databaseUrl, '--host', '127.0.0.1', '--port', String(port), ...extraArgs],
    {
      env: {
        ...process.env,
        COCART_ADMIN_USER: admin.user,
        COCART_ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: 'error',
        COCART_SEED_DEMO: '0',
        // Every new cart of the bench comes from 127.0.0.1: no per-client creation limit.
        CART_CREATE_LIMIT: '0',
        // As the README's Deploying section advises (the full list's figure depends on it).
        NODE_OPTIONS: SERVE_NODE_OPTIONS,
      },
      stdio: 'ignore',
    },
  );
}

/**
 * One run of one store on a freshly started server: the full list three times (the run's figure is
 * their median time and their largest growth), then each load figure. Returns figures by name.
 */
async function measureStore(kind, databaseUrl, ceilingUrl) {
  const port = await freePort();
  const server = startServer(databaseUrl, port);
  const figures = {};
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`);
    const api = `${base}/wp-json/cocart/v2`;
    // Full list first, so the peak RSS is not that of the load runs.
    if (want('list')) {
      const lists = [];
      for (let i = 0; i < 3; i++) lists.push(await fullList(`${api}/sessions`, server.pid));
      if (lists.some((l) => l.status !== 200)) throw new Error(`${kind}: full list did not answer 200`);
      lists.sort((a, b) => a.complete - b.complete);
      figures.list = {
        firstByte: lists[1].firstByte,
        complete: lists[1].complete,
        best: lists[0].complete,
        megabytes: lists[1].bytes / 1e6,
        growth: Math.max(...lists.map((l) => l.growth)) / 1e6,
      };
    }
    const keys = await keysOf(kind, api);
    const random = [
      {
        setupRequest: (req) => ({
          ...req,
          path: `/wp-json/cocart/v2/session/${keys[Math.floor(Math.random() * keys.length)]}`,
        }),
      },
    ];
    if (want('cart'))
      figures.cart = await load(`${kind}: GET /session/<random key>`, base, random, ceilingUrl);
    const lastPage = Math.ceil(sessionCount / 100);
    for (const page of want('pages') ? [1, Math.min(500, lastPage), lastPage] : []) {
      figures[`page ${page}`] = await load(
        `${kind}: GET /sessions?per_page=100&page=${page}`,
        `${api}/sessions?per_page=100&page=${page}`,
        undefined,
        ceilingUrl,
      );
    }
    figures.peak = memoryOf(server.pid).peak / 1e6;
    // The cart writes come last, and their carts are deleted after them: the figures above, and the
    // next run's, read the seeded store only.
    if (want('add') || want('simulate')) {
      const newest = await newestCartId(api);
      try {
        if (want('add')) Object.assign(figures, await measureAddItem(kind, base, api, ceilingUrl));
        if (want('simulate'))
          Object.assign(figures, await measureBesideSimulate(kind, base, random, ceilingUrl));
      } finally {
        await deleteNewerThan(api, newest);
      }
    }
  } finally {
    await stop(server);
  }
  return figures;
}

/** A request of `POST cart/add-item` for autocannon: a random product, to a new cart or `cartKey`'s. */
function addItemRequest(req, productIds, cartKey) {
  const id = productIds[Math.floor(Math.random() * productIds.length)];
  return {
    ...req,
    method: 'POST',
    path: `/wp-json/cocart/v2/cart/add-item${cartKey ? `?cart_key=${cartKey}` : ''}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, quantity: 1 }),
  };
}

/**
 * `POST cart/add-item` without a cart key (each request a new cart), then with the key of one of
 * 1000 carts made for it (each request one more line or quantity on an existing cart).
 */
async function measureAddItem(kind, base, api, ceilingUrl) {
  const productIds = (await (await fetch(`${api}/products`)).json()).map((p) => p.id);
  const created = [{ setupRequest: (req) => addItemRequest(req, productIds) }];
  const figures = {};
  figures['add new'] = await load(`${kind}: POST cart/add-item, new cart`, base, created, ceilingUrl);
  const pool = [];
  for (let i = 0; i < 100; i++) {
    const made = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${api}/cart/add-item`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: productIds[0], quantity: 1 }),
        }),
      ),
    );
    for (const r of made) {
      if (r.status !== 200) throw new Error(`${kind}: a cart for the pool answered ${r.status}`);
      pool.push(r.headers.get('cocart-api-cart-key'));
    }
  }
  const existing = [
    { setupRequest: (req) => addItemRequest(req, productIds, pool[Math.floor(Math.random() * pool.length)]) },
  ];
  figures['add existing'] = await load(
    `${kind}: POST cart/add-item, existing cart`,
    base,
    existing,
    ceilingUrl,
  );
  return figures;
}

/**
 * `GET /session/<random key>` while `simulate --rate 50` writes 50 carts a second through the cart
 * API beside it (its writes go on through the ceiling's slices too: both see the same machine).
 */
async function measureBesideSimulate(kind, base, random, ceilingUrl) {
  const simulate = spawn(
    process.execPath,
    [cli, 'simulate', '--url', base, '--rate', '50', '--seed', '1', '--json', '--every', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  simulate.stdout.on('data', (d) => {
    out += d;
  });
  simulate.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise((resolve) => simulate.once('exit', resolve));
  let figure;
  try {
    figure = await load(
      `${kind}: GET /session/<random key>, simulate --rate 50 beside`,
      base,
      random,
      ceilingUrl,
    );
  } finally {
    simulate.kill('SIGINT');
    await exited;
  }
  let summary;
  try {
    summary = JSON.parse(out.trim().split('\n').at(-1));
  } catch {
    throw new Error(`${kind}: simulate gave no summary: ${err.trim()}`);
  }
  if (summary.errors > 0 || summary.refused > 0) {
    throw new Error(
      `${kind}: simulate had ${summary.errors} errors, ${summary.refused} refused: ${err.trim()}`,
    );
  }
  return { 'cart + simulate': figure, simulated: summary.actions / summary.seconds };
}

/** The largest cart_id of the store. */
async function newestCartId(api) {
  const page = await fetch(`${api}/sessions?orderby=cart_id&order=desc&per_page=1`, {
    headers: { authorization },
  });
  const [newest] = await page.json();
  return Number(newest.cart_id);
}

/** Deletes every session whose cart_id is above `cartId` (the carts a figure made). */
async function deleteNewerThan(api, cartId) {
  for (;;) {
    const page = await fetch(`${api}/sessions?orderby=cart_id&order=desc&per_page=100`, {
      headers: { authorization },
    });
    const newer = (await page.json()).filter((s) => Number(s.cart_id) > cartId);
    if (newer.length === 0) return;
    for (let i = 0; i < newer.length; i += 10) {
      await Promise.all(
        newer
          .slice(i, i + 10)
          .map((s) =>
            fetch(`${api}/session/${s.cart_key}`, { method: 'DELETE', headers: { authorization } }),
          ),
      );
    }
  }
}

/**
 * `GET /session/<random key>` on one process, then on `serve --workers 2`, same store and run: what
 * the worker pool adds. On a 2-core machine the load generator competes with the workers for the cores.
 */
async function measureWorkers(kind, databaseUrl) {
  const figures = {};
  for (const workers of [1, 2]) {
    const port = await freePort();
    const server = startServer(databaseUrl, port, ['--workers', String(workers)]);
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/healthz`);
      const keys = await keysOf(kind, `${base}/wp-json/cocart/v2`);
      const random = [
        {
          setupRequest: (req) => ({
            ...req,
            path: `/wp-json/cocart/v2/session/${keys[Math.floor(Math.random() * keys.length)]}`,
          }),
        },
      ];
      figures[workers] = await load(`${kind}: GET /session/<random key>, ${workers} worker(s)`, base, random);
    } finally {
      await stop(server);
    }
  }
  return figures;
}

/** The table of {@link measureWorkers}: req/s with 1 and 2 workers and their ratio, medians (min–max). */
function reportWorkers(results) {
  const spread = (values, d = 0) => {
    const s = stats(values);
    return `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
  };
  console.log('\nGET /session/<random key> with `serve --workers 2` vs one process, same store and run:\n');
  const lines = ['| store | 1 process req/s | 2 workers req/s | ratio 2 : 1 |', '|---|---:|---:|---:|'];
  for (const { kind } of stores) {
    const w = results.map((r) => r[`${kind} workers`]);
    lines.push(
      `| ${kind} | ${spread(w.map((f) => f[1].rps))} | ${spread(w.map((f) => f[2].rps))} | ${spread(
        w.map((f) => f[2].rps / f[1].rps),
        2,
      )} |`,
    );
  }
  console.log(lines.join('\n'));
}

/**
 * The keys of the full list, read on each run's server: the seed's sessions start expiring a minute
 * after it and every server start deletes the expired ones, so a list read earlier goes stale.
 */
async function keysOf(kind, api) {
  const list = await (await fetch(`${api}/sessions`, { headers: { authorization } })).json();
  const keys = list.map((s) => s.cart_key);
  if (keys.length < sessionCount * 0.99)
    throw new Error(`${kind}: list has ${keys.length} sessions, expected about ${sessionCount}`);
  return keys;
}

/** The ceiling, started once per run and measured in turn with each figure of that run. */
async function startCeiling() {
  const { child, url } = await startBareExpress(bare);
  await autocannon({ url, connections: 10, duration: 1 }); // warm-up, discarded
  return { child, url };
}

// Set up every store first (seeding is the slow part, and done once).
const stores = [];
const cleanups = [];
const wanted = values.stores.split(',');
let seedSeconds = 0;
try {
  if (wanted.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'cocart-bench-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    stores.push({ kind: 'sqlite', url: `sqlite:${join(dir, 'bench.sqlite')}` });
  }
  if (wanted.includes('postgres')) {
    const schema = `bench_${process.pid}_${Date.now()}`;
    const url = new URL(values['pg-url']);
    url.searchParams.set('schema', schema);
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: values['pg-url'] });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });
    stores.push({ kind: 'postgres', url: url.toString() });
  }
  for (const store of stores) {
    seedSeconds += await seed(store.kind, store.url);
  }

  // runs[i] = { ceiling, sqlite: figures, postgres: figures }
  const results = [];
  for (let r = 0; r < runs; r++) {
    log(`run ${r + 1} of ${runs}...`);
    const result = {};
    const ceiling = await startCeiling();
    try {
      for (const store of stores) result[store.kind] = await measureStore(store.kind, store.url, ceiling.url);
    } finally {
      await stop(ceiling.child);
    }
    if (want('workers')) {
      for (const store of stores)
        result[`${store.kind} workers`] = await measureWorkers(store.kind, store.url);
    }
    results.push(result);
  }
  report(results);
  if (want('workers')) reportWorkers(results);
} finally {
  for (const cleanup of cleanups) await cleanup().catch((e) => log(`cleanup failed: ${e.message}`));
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
}

function report(results) {
  const seconds = (performance.now() - benchStarted) / 1000;
  const fmt = (v, d) => v.toFixed(d);
  /** `median (min–max)` of `values`, with `d` decimals. */
  const spread = (values, d = 0) => {
    const s = stats(values);
    return { ...s, text: `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})` };
  };
  const mark = (median, target) => {
    if (target === undefined) return { target: '', ok: '' };
    if (target.min !== undefined)
      return { target: `≥ ${target.min}`, ok: median >= target.min ? 'pass' : '**FAIL**' };
    return { target: `< ${target.max}`, ok: median < target.max ? 'pass' : '**FAIL**' };
  };
  let failed = 0;
  const lines = [];
  const row = (title, cells, median, target) => {
    const m = mark(median, target);
    if (m.ok === '**FAIL**') failed++;
    lines.push(`| ${title} | ${cells.join(' | ')} | ${m.target} | ${m.ok} |`);
  };

  console.log(
    `\nServer benchmark: ${sessionCount} sessions, ${runs} runs, ${duration} s per load figure, ` +
      '10 connections, 127.0.0.1',
  );
  console.log(
    'Each cell: median of the runs (min–max). Each load figure is measured in 1 s slices taken in turn ' +
      'with 1 s slices of the ceiling; its ratio is to those slices.\n',
  );
  lines.push('| measurement | req/s | ratio to ceiling | p50 ms | p99 ms | target | met |');
  lines.push('|---|---:|---:|---:|---:|---|---|');
  // Per run, the mean of the ceiling's slices over the figures measured with nothing beside them.
  const ceilingOf = (r) => {
    const figures = stores.flatMap(({ kind }) =>
      Object.entries(r[kind]).filter(([n]) => isLoad(n) && n !== 'cart + simulate'),
    );
    if (figures.length === 0) return Number.NaN;
    return figures.reduce((sum, [, f]) => sum + f.ceilingRps, 0) / figures.length;
  };
  row(
    'ceiling: bare Express 5, fixed 4 KB JSON (its slices)',
    [spread(results.map(ceilingOf)).text, '1.00', '', ''],
    0,
    undefined,
  );
  for (const { kind } of stores) {
    const names = Object.keys(results[0][kind]).filter(isLoad);
    for (const name of names) {
      const figures = results.map((r) => r[kind][name]);
      const ratio = spread(
        figures.map((f) => f.rps / f.ceilingRps),
        2,
      );
      const title = name.startsWith('page ')
        ? `${kind}: GET /sessions?per_page=100&${name.replace(' ', '=')}`
        : `${kind}: ${LOAD_TITLES[name]}`;
      row(
        title,
        [
          spread(figures.map((f) => f.rps)).text,
          ratio.text,
          String(stats(figures.map((f) => f.p50)).median),
          String(stats(figures.map((f) => f.p99)).median),
        ],
        ratio.median,
        TARGETS[kind][name.startsWith('page ') ? 'page' : name.startsWith('add ') ? 'add' : 'cart'],
      );
    }
  }
  console.log(lines.join('\n'));
  for (const { kind } of stores) {
    if (results[0][kind].simulated === undefined) continue;
    const s = spread(
      results.map((r) => r[kind].simulated),
      1,
    );
    console.log(
      `${kind}: simulate --rate 50 beside GET /session made ${s.text} cart writes a second (asked: 50).`,
    );
  }

  console.log(
    `\nFull list of all ${sessionCount} sessions (GET /sessions, streamed), per run the median of 3:\n`,
  );
  lines.length = 0;
  lines.push('| store | figure | median (min–max) | target | met |');
  lines.push('|---|---|---:|---|---|');
  const listRow = (kind, label, values, target, d = 0) => {
    const s = spread(values, d);
    const m = mark(s.median, target);
    if (m.ok === '**FAIL**') failed++;
    lines.push(`| ${kind} | ${label} | ${s.text} | ${m.target} | ${m.ok} |`);
  };
  for (const { kind } of stores.filter((st) => results[0][st.kind].list)) {
    const lists = results.map((r) => r[kind].list);
    listRow(
      kind,
      'first byte, ms',
      lists.map((l) => l.firstByte),
      TARGETS.list.firstByte,
    );
    listRow(
      kind,
      'complete, ms',
      lists.map((l) => l.complete),
      TARGETS.list.complete,
    );
    listRow(
      kind,
      'best of the run, ms',
      lists.map((l) => l.best),
    );
    listRow(
      kind,
      'peak RSS growth, MB',
      lists.map((l) => l.growth),
      TARGETS.list.growth,
    );
    listRow(
      kind,
      'body, MB',
      lists.map((l) => l.megabytes),
      undefined,
      1,
    );
    listRow(
      kind,
      'server peak RSS after the run, MB',
      results.map((r) => r[kind].peak),
    );
  }
  console.log(lines.join('\n'));
  console.log(
    `\n${failed === 0 ? 'Every target met' : `${failed} target(s) NOT met`} (medians of ${runs} runs). ` +
      `Bench time ${seconds.toFixed(0)} s, of which seeding ${seedSeconds.toFixed(0)} s.`,
  );
}
