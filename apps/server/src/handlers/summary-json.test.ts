import { formatApiDate, toSessionSummary } from '@cocart-sessions/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionRow } from '../store/session-store.js';
import { ApiDateFormatter, summaryJson } from './summary-json.js';

const BASE = 'http://127.0.0.1:8080/wp-json/cocart/v2/session/';

function viaObject(row: SessionRow): string {
  const [cartId, cartKey, cartSource, cartCreated, cartExpiry, customerName, customerEmail] = row;
  const meta = { cartId, cartKey, cartSource, cartCreated, cartExpiry, customerName, customerEmail };
  return JSON.stringify(toSessionSummary(meta, `${BASE}${cartKey}`));
}

describe('summaryJson', () => {
  it("writes the seed's summary exactly as JSON.stringify of the summary object", () => {
    const row: SessionRow = [
      1,
      '1',
      'woocommerce',
      1_623_715_200,
      1_623_888_000,
      'Sebastien Dumont Dumont',
      'mailme@sebastiendumont.com',
    ];
    const text = summaryJson(row, BASE, new ApiDateFormatter());
    expect(text).toBe(viaObject(row));
    expect(JSON.parse(text)).toMatchObject({ cart_created: '06/15/2021 00:00:00', cart_id: '1' });
  });

  it('matches the object route for any names, keys and dates (quotes, controls, emoji, pre-1970)', () => {
    const dates = new ApiDateFormatter();
    const seconds = fc.integer({ min: -62167219200, max: 253402300799 });
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 1, max: 2 ** 40 }),
          fc.string({ unit: 'binary' }),
          fc.string(),
          seconds,
          seconds,
          fc.string({ unit: 'binary' }),
          fc.string(),
        ),
        (row) => {
          expect(summaryJson(row as SessionRow, BASE, dates)).toBe(viaObject(row as SessionRow));
        },
      ),
      { numRuns: 2000 },
    );
    // 2000 runs take ~1 s alone, over 5 s when other test processes share the cores.
  }, 30_000);

  it('escapes what JSON.stringify escapes and nothing more', () => {
    const dates = new ApiDateFormatter();
    for (const odd of [
      'say "hi"',
      'back\\slash',
      'line\nbreak\u0001',
      '\u2028\u007f',
      'Zoë 😀',
      'lone \ud800',
      '',
    ]) {
      const row: SessionRow = [7, odd, odd, 0, 86_400, odd, odd];
      expect(summaryJson(row, BASE, dates)).toBe(viaObject(row));
      expect(summaryJson(row, 'http://h/"q"/session/', dates)).toBe(
        JSON.stringify(
          toSessionSummary(
            {
              cartId: 7,
              cartKey: odd,
              cartSource: odd,
              cartCreated: 0,
              cartExpiry: 86_400,
              customerName: odd,
              customerEmail: odd,
            },
            `http://h/"q"/session/${odd}`,
          ),
        ),
      );
    }
  });

  it('formats day boundaries and repeats from its cache like formatApiDate', () => {
    const dates = new ApiDateFormatter();
    for (const s of [0, -1, 86_399, 86_400, 1_619_164_019, 1_619_164_019, -62167219200, 253402300799]) {
      expect(dates.format(s)).toBe(formatApiDate(s));
    }
  });

  it('throws like formatApiDate for what is not a date', () => {
    const dates = new ApiDateFormatter();
    for (const bad of [1.5, Number.NaN, 253402300800, -62167219201]) {
      expect(() => dates.format(bad)).toThrow();
      expect(() => formatApiDate(bad)).toThrow();
    }
  });
});
