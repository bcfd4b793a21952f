import { SESSION_SUMMARY_FIELDS as FIELDS, type SessionSummary } from '@cocart-sessions/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import listFixture from '../../../../fixtures/sessions-list.json' with { type: 'json' };
import { Field, SessionRun } from './session-run.js';

const seed = listFixture as SessionSummary[];

// Text JSON must escape (quotes, backslashes, control characters, a lone surrogate), characters of
// 2 to 4 UTF-8 bytes, and the run mark.
const text = fc
  .array(
    fc.constantFrom('a', 'Z', ' ', '"', '\\', '/', '\n', '\u0001', '00"},', 'é', '東', '😀', '\ud800', '}'),
    {
      maxLength: 6,
    },
  )
  .map((cs) => cs.join(''));
const digits = fc.stringMatching(/^\d{1,18}$/);
const date = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }))
  .map(
    ([a, b, y]) =>
      `${String(a).padStart(2, '0')}/${String(b).padStart(2, '0')}/${String(y).padStart(4, '0')} 2${a % 4}:0${b % 10}:59`,
  );
const session: fc.Arbitrary<SessionSummary> = fc.record({
  cart_id: digits,
  cart_key: text,
  customers_name: text,
  customers_email: text,
  cart_created: date,
  cart_expiry: date,
  cart_source: text,
  link: text,
});

/** The sessions of `run`, as objects. */
const summaries = (run: SessionRun) => Array.from({ length: run.count }, (_, k) => run.summary(k));

/** The text our server writes for `sessions`: JSON.stringify of the objects, joined as array elements. */
const serverText = (sessions: readonly SessionSummary[]) => sessions.map((s) => JSON.stringify(s)).join(',');

describe('SessionRun', () => {
  it('reads the seed list as JSON.parse does, plain values as their bytes', () => {
    const run = SessionRun.scan(Buffer.from(serverText(seed))) as SessionRun;
    expect(run.count).toBe(seed.length);
    expect(summaries(run)).toEqual(JSON.parse(JSON.stringify(seed)));
    const k = seed.findIndex((s) => s.customers_name !== '');
    expect(run.plain(k, Field.Name)).toBe(true);
    expect(run.equals(k, Field.Name, seed[k]?.customers_name as string)).toBe(true);
    expect(run.equals(k, Field.Name, `${seed[k]?.customers_name}x`)).toBe(false);
  });

  it('gives back any sessions it was given, whatever their text', () => {
    fc.assert(
      fc.property(fc.array(session, { maxLength: 6 }), (sessions) => {
        const run = SessionRun.of(sessions);
        expect(summaries(run)).toEqual(sessions);
        for (let k = 0; k < sessions.length; k++) {
          for (const [f, name] of FIELDS.entries()) {
            const value = (sessions[k] as SessionSummary)[name];
            expect(run.text(k, f as Field)).toBe(value);
            expect(run.equals(k, f as Field, value)).toBe(true);
            // Plain exactly when the bytes are the text: ASCII that JSON writes as it is.
            // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are escaped.
            expect(run.plain(k, f as Field)).toBe(/^[^"\\\u0000-\u001f\u0080-\uffff]*$/.test(value));
          }
        }
      }),
    );
  });

  it('reads a piece of the text only when it is whole elements, and then as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.array(session, { minLength: 1, maxLength: 4 }), fc.nat(), (sessions, at) => {
        const bytes = Buffer.from(serverText(sessions));
        const piece = bytes.subarray(0, at % (bytes.length + 1));
        const run = SessionRun.scan(piece);
        let parsed: unknown;
        try {
          parsed = JSON.parse(`[${piece.toString('utf8')}]`);
        } catch {
          parsed = undefined;
        }
        if (run === undefined) expect(parsed).toBeUndefined();
        else expect(summaries(run)).toEqual(parsed);
      }),
    );
  });

  it('leaves any other form to JSON.parse', () => {
    const one = seed[0] as SessionSummary;
    const { cart_id, ...rest } = one;
    const refused = [
      JSON.stringify({ ...rest, cart_id }),
      JSON.stringify(one, null, 1),
      JSON.stringify({ ...one, extra: 'x' }),
      JSON.stringify({ ...one, cart_id: '4a' }),
      JSON.stringify({ ...one, cart_id: '' }),
      JSON.stringify({ ...one, cart_expiry: '1/2/2026 10:00:00' }),
      JSON.stringify(one).replace(`"${one.cart_source}"`, '"co\\xcart"'),
      JSON.stringify(one).replace(`"${one.cart_key}"`, '"raw\u0001"'),
      `${JSON.stringify(one)},`,
      `${JSON.stringify(one)} `,
      JSON.stringify(one).slice(0, -1),
    ];
    for (const text of refused) expect(SessionRun.scan(Buffer.from(text)), text).toBeUndefined();
    expect(SessionRun.scan(Buffer.alloc(0))?.count).toBe(0);
    expect(() => SessionRun.of([{ ...one, cart_created: 'soon' }])).toThrow(TypeError);
  });
});
