import { describe, expect, it } from 'vitest';
import { atLeastOne, eitherSignal } from './abort.js';

describe('eitherSignal', () => {
  it("aborts with the caller's signal or with the client's own, without aborting the caller's", () => {
    const caller = new AbortController();
    const own = new AbortController();
    const either = eitherSignal(caller.signal, own.signal);
    own.abort();
    expect(either.aborted).toBe(true);
    expect(caller.signal.aborted).toBe(false);

    const other = new AbortController();
    const second = eitherSignal(other.signal, new AbortController().signal);
    other.abort(new Error('stop'));
    expect(second.aborted).toBe(true);
    expect(second.reason).toEqual(new Error('stop'));
  });

  it('is the own signal when the caller gave none', () => {
    const own = new AbortController();
    expect(eitherSignal(undefined, own.signal)).toBe(own.signal);
  });
});

describe('atLeastOne', () => {
  it('rounds down to a whole number from 1; NaN is 1, Infinity stays', () => {
    expect([6, 2.9, 1, 0.5, 0, -3, Number.NaN, Number.POSITIVE_INFINITY].map(atLeastOne)).toEqual([
      6,
      2,
      1,
      1,
      1,
      1,
      1,
      Number.POSITIVE_INFINITY,
    ]);
  });
});
