import type { SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import listFixture from '../../../../fixtures/sessions-list.json' with { type: 'json' };
import { DEFAULT_FIELDS } from '../format/fields.js';
import { recordOf, summaryRecord } from './list-command.js';

describe('summaryRecord', () => {
  it("is recordOf for the default fields: the same keys in the same order, the seed's values", () => {
    const now = Date.parse('2021-04-25T00:00:00Z');
    for (const session of listFixture as SessionSummary[]) {
      const fast = summaryRecord({ ...session, extra: 'not listed' } as SessionSummary);
      expect(Object.keys(fast)).toEqual([...DEFAULT_FIELDS]);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(recordOf({ session }, DEFAULT_FIELDS, now)));
    }
    expect(summaryRecord((listFixture as SessionSummary[])[0] as SessionSummary).cart_key).toBe(
      'afa399e3a0647fe660438409d9ad7eb9',
    );
  });
});
