import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../test/load-fixture.js';
import { isSessionSummary, SessionSummarySchema } from './session.js';
import { SESSION_SUMMARY_FIELDS } from './session-fields.js';

const seedList = () => loadFixture('sessions-list') as Array<Record<string, unknown>>;

/** Strings near the edges of the schema's patterns: digits, dates, and their near misses. */
const edgyString = fc.oneof(
  fc.string(),
  fc.stringMatching(/^\d{1,6}$/),
  fc.stringMatching(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/),
  fc.constantFrom(
    '',
    '4038',
    '04/23/2021 07:46:59',
    '04/23/2021 07:46:59\n',
    '\n04/23/2021 07:46:59',
    '4/23/2021 07:46:59',
    '04/23/2021T07:46:59',
    '٤٠٣٨',
    '4038\n',
    ' 4038',
    '-1',
    '1e3',
  ),
);

/** Any value a field of a parsed JSON answer (or a caller's object) may hold. */
const fieldValue = fc.oneof(
  { weight: 6, arbitrary: edgyString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, [], {}, ['4038']) },
);

/** A value the schema takes for `field`. */
const validValue = (field: string) =>
  field === 'cart_id'
    ? fc.stringMatching(/^\d+$/)
    : field === 'cart_created' || field === 'cart_expiry'
      ? fc.stringMatching(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/)
      : fc.string();

/**
 * Objects with the summary's fields, each mostly valid (so that whole valid summaries are common)
 * and sometimes anything else or missing, and sometimes more fields.
 */
const fields = fc
  .record(
    Object.fromEntries(
      SESSION_SUMMARY_FIELDS.map((f) => [
        f,
        fc.oneof({ weight: 6, arbitrary: validValue(f) }, { weight: 1, arbitrary: fieldValue }),
      ]),
    ) as Record<string, typeof fieldValue>,
    { requiredKeys: [...SESSION_SUMMARY_FIELDS] },
  )
  .chain((r) =>
    fc
      .tuple(
        fc.subarray([...SESSION_SUMMARY_FIELDS], { maxLength: 1 }),
        fc.dictionary(fc.string(), fieldValue, { maxKeys: 3 }),
      )
      .map(([missing, extra]) => {
        const o: Record<string, unknown> = { ...extra, ...r };
        for (const f of missing) delete o[f];
        return o;
      }),
  );

/** Those objects, the same fields on an array (which the schema refuses), and anything at all. */
const candidate = fc.oneof(
  { weight: 8, arbitrary: fields },
  { weight: 1, arbitrary: fields.map((r) => Object.assign([], r)) },
  { weight: 1, arbitrary: fc.anything() },
);

describe('isSessionSummary', () => {
  it('accepts exactly what SessionSummarySchema accepts', () => {
    fc.assert(
      fc.property(candidate, (x) => {
        expect(isSessionSummary(x)).toBe(SessionSummarySchema.safeParse(x).success);
      }),
      { numRuns: 5000 },
    );
  });

  it("accepts the seed's summaries, and refuses arrays, null and near misses as the schema does", () => {
    const s = seedList()[0] as Record<string, unknown>;
    expect(isSessionSummary(s)).toBe(true);
    expect(isSessionSummary({ ...s, extra: 1 })).toBe(true);
    const refused = [
      null,
      [],
      Object.assign([], s),
      '4038',
      { ...s, cart_id: 4038 },
      { ...s, cart_id: '' },
      { ...s, cart_id: '4038\n' },
      { ...s, cart_expiry: '04/30/2021 07:48:40\n' },
      { ...s, cart_created: '2021-04-23 07:46:59' },
      { ...s, link: undefined },
    ];
    for (const x of refused) {
      expect(SessionSummarySchema.safeParse(x).success).toBe(false);
      expect(isSessionSummary(x)).toBe(false);
    }
  });
});
