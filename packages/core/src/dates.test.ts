import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiDateToDate, dateToApiDate, formatApiDate, parseApiDate } from './dates.js';
import { CoreError } from './errors.js';

function expectInvalidDate(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    expect((e as CoreError).code).toBe('invalid_date');
    return;
  }
  expect.fail('expected CoreError invalid_date');
}

describe('formatApiDate', () => {
  it("formats the seed's timestamps like gmdate('m/d/Y H:i:s')", () => {
    // `date -u -d @1619164019` → Fri Apr 23 07:46:59 UTC 2021
    expect(formatApiDate(1619164019)).toBe('04/23/2021 07:46:59');
    expect(formatApiDate(1619768920)).toBe('04/30/2021 07:48:40');
    expect(formatApiDate(0)).toBe('01/01/1970 00:00:00');
  });

  it('refuses non-integers and years a 4-digit field cannot hold', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1.5, 253402300800, -62167219201]) {
      expectInvalidDate(() => formatApiDate(bad));
    }
  });
});

describe('parseApiDate', () => {
  it("parses the seed's dates as UTC", () => {
    expect(parseApiDate('04/23/2021 07:46:59')).toBe(1619164019);
    expect(parseApiDate('04/25/2021 12:14:09')).toBe(1619352849);
    expect(parseApiDate('05/02/2021 12:14:05')).toBe(1619957645);
  });

  it('knows leap years', () => {
    expect(parseApiDate('02/29/2020 00:00:00')).toBe(1582934400);
    expect(formatApiDate(parseApiDate('02/29/2000 12:00:00'))).toBe('02/29/2000 12:00:00');
    expectInvalidDate(() => parseApiDate('02/29/2021 00:00:00'));
    expectInvalidDate(() => parseApiDate('02/29/1900 00:00:00'));
  });

  it.each([
    '13/01/2021 00:00:00',
    '02/30/2021 10:00:00',
    '2021-04-23',
    '',
    '04/31/2021 00:00:00',
    '00/10/2021 00:00:00',
    '04/00/2021 00:00:00',
    '04/23/2021 24:00:00',
    '04/23/2021 07:60:00',
    '04/23/2021 07:46:60',
    '4/23/2021 07:46:59',
    ' 04/23/2021 07:46:59',
    '04/23/2021 07:46:59Z',
    '04/23/2021T07:46:59',
  ])('rejects %j with invalid_date', (s) => {
    expectInvalidDate(() => parseApiDate(s));
  });

  it('rejects non-strings with invalid_date', () => {
    expectInvalidDate(() => parseApiDate(1619164019 as unknown as string));
    expectInvalidDate(() => parseApiDate(undefined as unknown as string));
  });
});

describe('Date conversions', () => {
  it('converts to and from Date, dropping milliseconds as gmdate does', () => {
    expect(apiDateToDate('04/23/2021 07:46:59').toISOString()).toBe('2021-04-23T07:46:59.000Z');
    expect(dateToApiDate(new Date('2021-04-23T07:46:59.999Z'))).toBe('04/23/2021 07:46:59');
    expectInvalidDate(() => dateToApiDate(new Date('nope')));
  });
});

describe('round trip (property)', () => {
  it('parseApiDate(formatApiDate(s)) === s for every second of years 0000-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62167219200, max: 253402300799 }), (s) => {
        const text = formatApiDate(s);
        expect(text).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
        expect(parseApiDate(text)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('formatApiDate(parseApiDate(t)) === t for every valid text', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const text = dateToApiDate(d);
          expect(formatApiDate(parseApiDate(text))).toBe(text);
          expect(apiDateToDate(text).getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
