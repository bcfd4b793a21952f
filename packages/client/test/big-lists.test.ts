import { afterEach, describe, expect, it } from 'vitest';
import { CoCartValidationError, createClient, type ValidationReport } from '../src/index.js';
import {
  type FaultHandler,
  type FaultServer,
  sendJson,
  sendRaw,
  startFaultServer,
} from './helpers/fault-server.js';

const API = '/wp-json/cocart/v2';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: FaultHandler) {
  server = await startFaultServer(handler);
  return server;
}

/** `n` summaries in the seed's shape (the repo's fixtures/sessions-list.json), keys `k000001`... */
function summaries(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    cart_id: String(i + 1),
    cart_key: `k${String(i + 1).padStart(6, '0')}`,
    customers_name: i % 2 ? 'Clark Kent' : '',
    customers_email: i % 2 ? 'clark@dailyplanet.wb' : '',
    cart_created: '04/25/2021 12:14:09',
    cart_expiry: '05/02/2021 12:14:05',
    cart_source: i % 3 ? 'cocart' : 'woocommerce',
    link: `https://example.com${API}/session/k${String(i + 1).padStart(6, '0')}`,
  }));
}

/**
 * Longest run of this thread between two turns of the event loop while `work` runs, in ms of CPU
 * time: a 1 ms timer samples the thread's CPU clock, so time the machine gave to other processes
 * (these tests share their cores) does not count as a stall, while our own parsing and GC do.
 */
async function longestStall(work: () => unknown): Promise<number> {
  const cpu = () => {
    const u = process.threadCpuUsage();
    return (u.user + u.system) / 1000;
  };
  let last = cpu();
  let worst = 0;
  const timer = setInterval(() => {
    const now = cpu();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await work();
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(timer);
  return worst;
}

describe('a 100k-session list from a 3.x server (one JSON array)', () => {
  const all = summaries(100_000);
  const body = JSON.stringify(all);
  // Sent as bytes: this test server runs in the measured thread, and encoding 30 MB of text to send
  // it stalled that thread for 80-100 ms on a slow machine, which the measure blamed on the client.
  const bytes = Buffer.from(body);

  /**
   * The SPEC's "~50 ms", with room for the runtime: what remains of the worst stall is V8's scavenge
   * of the young generation full of kept sessions, which no slicing shortens; its length follows the
   * young generation's size, which vitest.config.ts sets as the README advises (16 MB semi-spaces).
   */
  const STALL_MS = 60;

  for (const validation of ['strict', 'off'] as const) {
    it(`is parsed and validated (${validation}) without stalling the event loop for more than ~50 ms`, async () => {
      const s = await serve((_req, res) => sendRaw(res, 200, bytes));
      const client = createClient({ url: s.url, validation });
      let sessions: unknown[] = [];
      const stall = await longestStall(async () => {
        sessions = await client.sessions.list();
      });
      expect(sessions).toHaveLength(100_000);
      expect(sessions[99_999]).toEqual(all[99_999]);
      expect(stall).toBeLessThan(STALL_MS);
    });
  }

  it('(the measure can fail: one JSON.parse of the same body stalls the loop for longer than that)', async () => {
    expect(await longestStall(() => JSON.parse(body))).toBeGreaterThan(STALL_MS);
  });

  it('reports progress as the elements are parsed', async () => {
    const s = await serve((_req, res) => sendRaw(res, 200, body));
    const seen: number[] = [];
    await createClient({ url: s.url }).sessions.list({ onProgress: (p) => seen.push(p.loaded) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(100_000);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it("strict: a bad element fails with its index in the issue's path and the whole raw body", async () => {
    const bad = summaries(5000);
    (bad[4321] as { cart_id: unknown }).cart_id = 4322;
    const text = JSON.stringify(bad);
    const s = await serve((_req, res) => sendRaw(res, 200, text));
    const e = await createClient({ url: s.url })
      .sessions.list()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CoCartValidationError);
    const err = e as CoCartValidationError;
    expect(err.issues[0]?.path).toEqual([4321, 'cart_id']);
    expect(err.body).toBe(text);
  });

  it('loose: the same bad element is reported once and every session is returned as received', async () => {
    const bad = summaries(5000);
    (bad[4321] as { cart_id: unknown }).cart_id = 4322;
    const s = await serve((_req, res) => sendRaw(res, 200, JSON.stringify(bad)));
    const reports: ValidationReport[] = [];
    const got = await createClient({
      url: s.url,
      validation: 'loose',
      onValidationIssues: (r) => reports.push(r),
    }).sessions.list();
    expect(got).toEqual(bad);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.issues.map((i) => i.path)).toEqual([[4321, 'cart_id']]);
  });

  it('a body cut off inside the array is malformed JSON, not a short list', async () => {
    const s = await serve((_req, res) => sendRaw(res, 200, body.slice(0, 5000)));
    const e = await createClient({ url: s.url })
      .sessions.list()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CoCartValidationError);
    expect((e as CoCartValidationError).message).toMatch(/Malformed JSON/);
  });
});

describe('a paginated (4.x) server', () => {
  const all = summaries(2_050);
  /** A well-behaved 4.x server answering each page after `delayMs`, counting requests in flight. */
  function paged(delayMs: number, stats: { inFlight: number; max: number }): FaultHandler {
    return (_req, res, _n, url) => {
      stats.inFlight++;
      stats.max = Math.max(stats.max, stats.inFlight);
      const page = Number(url.searchParams.get('page') ?? 1);
      const perPage = Number(url.searchParams.get('per_page') ?? 10);
      setTimeout(() => {
        stats.inFlight--;
        sendJson(res, 200, {
          // Each page overlaps the previous one by a session, as the plugin's pages may.
          sessions: all.slice(Math.max(0, (page - 1) * perPage - 1), page * perPage),
          page,
          total_pages: Math.ceil(all.length / perPage),
          total_sessions: all.length,
        });
      }, delayMs);
    };
  }

  it('list() fetches the pages after the first 6 at a time by default, in order, each session once', async () => {
    const stats = { inFlight: 0, max: 0 };
    const s = await serve(paged(30, stats));
    const got = await createClient({ url: s.url }).sessions.list();
    expect(got.map((x) => x.cart_key)).toEqual(all.map((x) => x.cart_key));
    // The first answer (10 sessions), page 1 of 100, then pages 2..21 with up to six in flight.
    expect(s.requests).toHaveLength(22);
    // Each page takes 30 ms to answer, so six were really waited for at once.
    expect(stats.max).toBe(6);
  });

  it('list({ concurrency: 1 }) fetches one page at a time', async () => {
    const stats = { inFlight: 0, max: 0 };
    const s = await serve(paged(1, stats));
    const got = await createClient({ url: s.url }).sessions.list({ concurrency: 1 });
    expect(got).toHaveLength(all.length);
    expect(stats.max).toBe(1);
  });

  it('iterate() fetches one page ahead once past its first page, and stops fetching when the loop breaks', async () => {
    const stats = { inFlight: 0, max: 0 };
    const s = await serve(paged(5, stats));
    const keys: string[] = [];
    for await (const x of createClient({ url: s.url }).sessions.iterate()) {
      keys.push(x.cart_key);
      if (keys.length === 250) break;
    }
    expect(keys).toEqual(all.slice(0, 250).map((x) => x.cart_key));
    // Pages 1, 2 and 3 (needed), plus at most page 4 fetched ahead.
    expect(s.requests.length).toBeLessThanOrEqual(4);
    expect(stats.max).toBeLessThanOrEqual(2);
  });
});

describe('a conditional list() of a paginated (4.x) server with ETags', () => {
  const all = summaries(2_050);
  /** A page of 100 (or the default first page of 10 when no `page` is asked for). */
  const body = (page: number | undefined) => {
    const perPage = page === undefined ? 10 : 100;
    const n = page ?? 1;
    return {
      sessions: all.slice((n - 1) * perPage, n * perPage),
      page: n,
      total_pages: Math.ceil(all.length / perPage),
      total_sessions: all.length,
    };
  };
  /** The tag held for the first answer and pages 1..21 of an earlier walk. */
  const held = ['"first"', ...Array.from({ length: 21 }, (_, i) => `"p${i + 1}"`)].join(' ');

  it('checks the pages `concurrency` at a time, stops at the first changed one and aborts the checks in flight', async () => {
    const checked: number[] = [];
    const aborted: number[] = [];
    const s = await serve((req, res, _n, url) => {
      const asked = url.searchParams.get('page');
      const page = asked === null ? undefined : Number(asked);
      const tag = page === undefined ? '"first"' : `"p${page}"`;
      if (req.headers['if-none-match'] === undefined) {
        sendJson(res, 200, body(page), { etag: `"new-${page ?? 'first'}"` });
        return;
      }
      if (page !== undefined) checked.push(page);
      res.on('close', () => {
        if (!res.writableEnded && page !== undefined) aborted.push(page);
      });
      // Page 3 changed since; page 4 answers slowly, so its check is still running when page 3 answers.
      if (page === 3) sendJson(res, 200, body(3), { etag: '"new-3"' });
      else
        setTimeout(
          () => {
            if (res.destroyed) return;
            res.writeHead(304, { etag: tag });
            res.end();
          },
          page === 4 ? 2_000 : 5,
        );
    });
    const started = Date.now();
    const got = await createClient({ url: s.url }).sessions.list({ ifNoneMatch: held, concurrency: 2 });
    if (got.notModified) throw new Error('page 3 changed');
    expect(got.data.map((x) => x.cart_key)).toEqual(all.map((x) => x.cart_key));
    expect(checked.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(aborted).toEqual([4]);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('is unchanged when every page still answers 304', async () => {
    const s = await serve((req, res, _n, url) => {
      const page = url.searchParams.get('page');
      const tag = page === null ? '"first"' : `"p${page}"`;
      expect(req.headers['if-none-match']).toBe(tag);
      res.writeHead(304, { etag: tag });
      res.end();
    });
    const got = await createClient({ url: s.url }).sessions.list({ ifNoneMatch: held });
    expect(got).toEqual({ notModified: true, etag: held });
    expect(s.requests).toHaveLength(22);
  });
});

describe('conditional calls against a server without ETags (the plugin)', () => {
  it('always answer in full, with no etag and no error', async () => {
    const list = summaries(3);
    const s = await serve((_req, res) => sendJson(res, 200, list));
    const client = createClient({ url: s.url });
    const first = await client.sessions.list({ ifNoneMatch: undefined });
    expect(first).toEqual({ notModified: false, etag: undefined, data: list });
    const again = await client.sessions.list({ ifNoneMatch: '"stale"' });
    expect(again).toEqual({ notModified: false, etag: undefined, data: list });
    expect(s.requests[1]?.headers['if-none-match']).toBe('"stale"');
  });
});
