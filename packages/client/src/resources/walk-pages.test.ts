import { readFileSync } from 'node:fs';
import type { SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import type { SessionPage } from './session-page.js';
import { walkPages } from './walk-pages.js';

const [john, clark] = JSON.parse(
  readFileSync(new URL('../../../../fixtures/sessions-list.json', import.meta.url), 'utf8'),
) as SessionSummary[];

const tick = () => new Promise((r) => setTimeout(r, 1));

/** Page `n` of `totalPages`, two sessions each, in the contract's shape. */
function page(n: number, totalPages: number): SessionPage {
  const items = [john, clark].map((s, i) => ({ ...s!, cart_key: `p${n}_${i}` }));
  return { items, page: n, perPage: 2, total: totalPages * 2, totalPages };
}

/** A server of `totalPages` pages whose answers the test releases one by one. */
function server(totalPages: number) {
  const calls: number[] = [];
  const aborted: number[] = [];
  const waiting = new Map<number, { resolve: (p: SessionPage) => void; reject: (e: unknown) => void }>();
  const fetchPage = (n: number, signal: AbortSignal) =>
    new Promise<SessionPage>((resolve, reject) => {
      calls.push(n);
      waiting.set(n, { resolve, reject });
      signal.addEventListener('abort', () => {
        // Only a request still waiting for its answer is aborted.
        if (!waiting.delete(n)) return;
        aborted.push(n);
        reject(signal.reason);
      });
    });
  const answer = async (n: number, body = page(n, totalPages)) => {
    waiting.get(n)?.resolve(body);
    waiting.delete(n);
    await tick();
  };
  const fail = async (n: number, error: Error) => {
    waiting.get(n)?.reject(error);
    waiting.delete(n);
    await tick();
  };
  return { calls, aborted, fetchPage, answer, fail };
}

describe('walkPages', () => {
  it('fetches the first page alone, then the wanted page and concurrency - 1 after it, in order', async () => {
    const s = server(6);
    const walk = walkPages(s.fetchPage, { start: 1, concurrency: 3 });
    const first = walk.next();
    await tick();
    expect(s.calls).toEqual([1]);
    await s.answer(1);
    expect((await first).value?.page).toBe(1);
    expect(s.calls).toEqual([1]);

    const second = walk.next();
    await tick();
    expect(s.calls).toEqual([1, 2, 3, 4]);
    // Page 3 answers before page 2: nothing is yielded out of order, nothing more is fetched.
    await s.answer(3);
    expect(s.calls).toEqual([1, 2, 3, 4]);
    await s.answer(2);
    expect((await second).value?.page).toBe(2);
    const third = walk.next();
    expect((await third).value?.page).toBe(3);
    expect(s.calls).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops after the last page (by the latest totalPages) or an empty page, with nothing left in flight', async () => {
    const s = server(3);
    const pages: number[] = [];
    const walk = (async () => {
      for await (const p of walkPages(s.fetchPage, { start: 1, concurrency: 5 })) pages.push(p.page);
    })();
    for (let n = 1; n <= 3; n++) await s.answer(n);
    await walk;
    expect(pages).toEqual([1, 2, 3]);
    expect(s.calls).toEqual([1, 2, 3]);
    expect(s.aborted).toEqual([]);

    const e = server(9);
    const seen: number[] = [];
    const walk2 = (async () => {
      for await (const p of walkPages(e.fetchPage, { start: 4, concurrency: 2 })) seen.push(p.page);
    })();
    await e.answer(4);
    await e.answer(5, { ...page(5, 9), items: [] });
    await walk2;
    expect(seen).toEqual([4, 5]);
    expect(e.aborted).toEqual([6]);
  });

  it('aborts the pages fetched ahead when the loop breaks, leaving no unhandled rejection', async () => {
    const s = server(10);
    const walk = (async () => {
      for await (const p of walkPages(s.fetchPage, { start: 1, concurrency: 4 })) if (p.page === 2) break;
    })();
    await s.answer(1);
    await s.answer(2);
    await walk;
    expect(s.calls).toEqual([1, 2, 3, 4, 5]);
    expect(s.aborted.sort()).toEqual([3, 4, 5]);
  });

  it("aborts with the caller's signal, and fails with the awaited page's error", async () => {
    const s = server(10);
    const caller = new AbortController();
    const walk = walkPages(s.fetchPage, { start: 1, concurrency: 2, signal: caller.signal });
    const first = walk.next();
    caller.abort(new Error('stopped by the caller'));
    await expect(first).rejects.toThrow('stopped by the caller');

    const t = server(10);
    const failing = walkPages(t.fetchPage, { start: 1, concurrency: 2 });
    const next = expect(failing.next()).rejects.toThrow('503');
    await t.fail(1, new Error('503'));
    await next;
  });
});
