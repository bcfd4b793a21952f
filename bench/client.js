// Client benchmark: what the typed client costs over plain fetch, measured in one run on this machine.
// A node:http server in a worker thread answers GET /session/<key> with the seed's cart on 127.0.0.1;
// we compare requests/second of client.sessions.get (strict validation) with fetch + JSON.parse, and
// time CartSchema.parse alone per cart.
// Usage (after `pnpm build`): node bench/client.js [--duration 2] [--rounds 3] [--concurrency 8]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createClient } from '@cocart-sessions/client';
import { CartSchema } from '@cocart-sessions/core';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '8' },
  },
});
const durationMs = Number(values.duration) * 1000;
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const cartText = readFileSync(new URL('../fixtures/session-cart.json', import.meta.url), 'utf8');
const cartKey = JSON.parse(cartText).cart_key;

// The server runs in its own thread so that its work does not eat into the client's measurement.
const serverSource = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const body = Buffer.from(workerData);
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;
const worker = new Worker(serverSource, { eval: true, workerData: JSON.stringify(JSON.parse(cartText)) });
const port = await new Promise((resolve) => worker.once('message', resolve));
const root = `http://127.0.0.1:${port}`;
const url = `${root}/wp-json/cocart/v2/session/${cartKey}`;
const authorization = `Basic ${btoa('bench:bench-password')}`;
const auth = { username: 'bench', password: 'bench-password' };

const strict = createClient({ url: root, auth, validation: 'strict' });
const off = createClient({ url: root, auth, validation: 'off' });

const variants = {
  'fetch + JSON.parse': async () => {
    const res = await fetch(url, { headers: { authorization, accept: 'application/json' } });
    JSON.parse(await res.text());
  },
  'fetch + JSON.parse + CartSchema.parse': async () => {
    const res = await fetch(url, { headers: { authorization, accept: 'application/json' } });
    CartSchema.parse(JSON.parse(await res.text()));
  },
  "client.sessions.get, validation 'off'": () => off.sessions.get(cartKey),
  "client.sessions.get, validation 'strict'": () => strict.sessions.get(cartKey),
};

/** Requests per second of `call` run by `concurrency` loops for `ms`. */
async function rate(call, ms) {
  let done = 0;
  const until = performance.now() + ms;
  const loop = async () => {
    while (performance.now() < until) {
      await call();
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done / ((performance.now() - started) / 1000);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm-up: JIT, zod's compiled parsers, keep-alive connections.
for (const call of Object.values(variants)) await rate(call, 300);

// Rounds interleave the variants so drift (thermal, GC) hits each of them alike.
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, call] of Object.entries(variants)) samples[name].push(await rate(call, durationMs));
}
const rps = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const baseline = rps['fetch + JSON.parse'];

/** Median µs per call of `fn`, after a warm-up, over 5 rounds of 20k calls. */
function microsPerCall(fn) {
  for (let i = 0; i < 5_000; i++) fn();
  const samples = [];
  for (let r = 0; r < 5; r++) {
    const n = 20_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) fn();
    samples.push(((performance.now() - started) * 1000) / n);
  }
  return median(samples);
}

// Validation alone: parse the same plain object (zod builds a new output each time).
const cartValue = JSON.parse(cartText);
const perCart = microsPerCall(() => CartSchema.parse(cartValue));
// The reference, measured the same way (warm-up included) so that the two numbers compare.
const jsonParse = microsPerCall(() => JSON.parse(cartText));

worker.postMessage('stop');

const pad = (s, n) => String(s).padEnd(n);
console.log(
  `client benchmark: GET /session/<key> with the seed's cart (${cartText.length} bytes), ${concurrency} concurrent loops, median of ${rounds} x ${values.duration}s`,
);
console.log(`${pad('variant', 42)} ${pad('req/s', 9)} ratio to fetch + JSON.parse`);
for (const [name, value] of Object.entries(rps)) {
  console.log(`${pad(name, 42)} ${pad(Math.round(value), 9)} ${(value / baseline).toFixed(2)}`);
}
const ratio = rps["client.sessions.get, validation 'strict'"] / baseline;
console.log('');
console.log(`${pad('per cart', 42)} ${pad('µs', 9)} note`);
console.log(`${pad('JSON.parse (reference)', 42)} ${pad(jsonParse.toFixed(1), 9)}`);
console.log(`${pad('CartSchema.parse', 42)} ${pad(perCart.toFixed(1), 9)} target < 30 µs`);
console.log('');
console.log(
  `strict client / fetch + JSON.parse = ${ratio.toFixed(2)} (target >= 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'}); ` +
    `validation ${perCart.toFixed(1)} µs/cart (target < 30: ${perCart < 30 ? 'met' : 'NOT met'})`,
);
