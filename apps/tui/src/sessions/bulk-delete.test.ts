import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type DeleteResult, deleteCarts } from './bulk-delete.js';

describe('deleteCarts', () => {
  it('keeps at most `concurrency` deletes in flight, answers in key order and reports each as it lands', async () => {
    let inFlight = 0;
    let most = 0;
    const landed: string[] = [];
    // Later keys answer sooner, so landing order differs from key order.
    const delays: Record<string, number> = { a: 40, b: 5, c: 25, d: 1, e: 10, f: 2 };
    const source = {
      async delete(key: string) {
        most = Math.max(most, ++inFlight);
        await sleep(delays[key]);
        inFlight--;
        landed.push(key);
        if (key === 'c') throw new Error('boom');
      },
    };
    const heard: DeleteResult[] = [];
    const results = await deleteCarts(Object.keys(delays), source as never, {
      concurrency: 2,
      onResult: (r) => heard.push(r),
    });
    expect(most).toBe(2);
    expect(results.map((r) => [r.key, r.outcome])).toEqual([
      ['a', 'deleted'],
      ['b', 'deleted'],
      ['c', 'failed'],
      ['d', 'deleted'],
      ['e', 'deleted'],
      ['f', 'deleted'],
    ]);
    expect(results[2]).toMatchObject({ message: 'boom', exitCode: 1 });
    expect(landed).not.toEqual(Object.keys(delays));
    expect(heard.map((r) => r.key)).toEqual(landed);
    expect(new Set(heard)).toEqual(new Set(results));
  });

  it('resolves with nothing for no keys', async () => {
    expect(await deleteCarts([], { delete: async () => {} } as never)).toEqual([]);
  });
});
