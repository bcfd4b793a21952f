import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../test/load-fixture.js';
import { DeleteResponseSchema } from './delete.js';
import { WpErrorSchema } from './error.js';
import { SessionListSchema, SessionListV3Schema, SessionListV4Schema } from './list.js';
import { SessionSummarySchema } from './session.js';
import { SESSION_SUMMARY_FIELDS } from './session-fields.js';

const seedList = () => loadFixture('sessions-list') as Array<Record<string, unknown>>;

describe('SessionSummarySchema', () => {
  it('has exactly the fields SESSION_SUMMARY_FIELDS names, in that order', () => {
    expect(Object.keys(SessionSummarySchema.shape)).toEqual([...SESSION_SUMMARY_FIELDS]);
  });

  it("reads the seed's summaries", () => {
    expect(SessionSummarySchema.parse(seedList()[0])).toEqual({
      cart_id: '4038',
      cart_key: 'afa399e3a0647fe660438409d9ad7eb9',
      customers_name: 'John Snow',
      customers_email: '',
      cart_created: '04/23/2021 07:46:59',
      cart_expiry: '04/30/2021 07:48:40',
      cart_source: 'woocommerce',
      link: 'https://example.com/wp-json/cocart/v2/session/afa399e3a0647fe660438409d9ad7eb9',
    });
  });

  it('wants cart_id as a string of digits and dates in the API format', () => {
    const s = seedList()[0];
    expect(SessionSummarySchema.safeParse({ ...s, cart_id: 4038 }).success).toBe(false);
    expect(SessionSummarySchema.safeParse({ ...s, cart_id: '40a' }).success).toBe(false);
    expect(SessionSummarySchema.safeParse({ ...s, cart_created: '2021-04-23 07:46:59' }).success).toBe(false);
    const { link: _, ...noLink } = s as Record<string, unknown>;
    expect(SessionSummarySchema.safeParse(noLink).success).toBe(false);
  });
});

describe('session lists', () => {
  const v4 = {
    sessions: seedList(),
    page: 1,
    total_pages: 1,
    total_sessions: 2,
    next: 'https://example.com/wp-json/cocart/v2/sessions?page=2',
  };

  it('reads the 3.x array and the 4.x page object', () => {
    expect(SessionListV3Schema.parse(seedList())).toHaveLength(2);
    expect(SessionListV3Schema.parse([])).toEqual([]);
    expect(SessionListV4Schema.parse(v4).total_sessions).toBe(2);
    expect(SessionListV4Schema.parse({ sessions: [], page: 1, total_pages: 0, total_sessions: 0 }).prev).toBe(
      undefined,
    );
  });

  it('SessionListSchema takes either form', () => {
    expect(SessionListSchema.parse(seedList())).toEqual(seedList());
    expect(SessionListSchema.parse(v4)).toEqual(v4);
    expect(SessionListSchema.safeParse({ sessions: seedList() }).success).toBe(false);
  });
});

describe('DeleteResponseSchema and WpErrorSchema', () => {
  it('accepts any delete message string', () => {
    expect(DeleteResponseSchema.parse('Cart successfully deleted!')).toBe('Cart successfully deleted!');
    expect(DeleteResponseSchema.parse('Session successfully deleted!')).toBe('Session successfully deleted!');
    expect(DeleteResponseSchema.safeParse({ message: 'deleted' }).success).toBe(false);
  });

  it('reads the WordPress error envelope, keeping extra data', () => {
    const body = {
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): page',
      data: { status: 400, params: { page: 'x' } },
    };
    expect(WpErrorSchema.parse(body)).toEqual(body);
    expect(WpErrorSchema.safeParse({ code: 'x', message: 'y' }).success).toBe(false);
  });
});
