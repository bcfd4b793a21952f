import type { SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import { viewSwitcherText } from '../ui/view-switcher.js';
import { toSessionRow } from './session-row.js';
import { viewCountsOf } from './view-counts.js';

const AT = Date.UTC(2021, 4, 1, 12, 0, 0);
const row = (key: string, cart_expiry: string) =>
  toSessionRow({
    cart_id: String(key.length),
    cart_key: key,
    customers_name: '',
    customers_email: '',
    cart_created: '04/24/2021 12:00:00',
    cart_expiry,
    cart_source: 'woocommerce',
    link: '',
  } satisfies SessionSummary);

describe('viewCountsOf', () => {
  it('counts every status at one moment: expiring within 6 hours, expired at the expiry', () => {
    const rows = [
      row('a', '05/08/2021 12:00:00'),
      row('b', '05/01/2021 18:00:00'),
      row('c', '05/01/2021 18:00:01'),
      row('d', '05/01/2021 12:00:00'),
      row('e', 'not a date'),
    ];
    expect(viewCountsOf(rows, AT)).toEqual({ all: 5, active: 2, expiring: 1, expired: 1 });
  });
});

describe('viewSwitcherText', () => {
  const counts = { all: 1250, active: 1241, expiring: 9, expired: 0 };
  it('shows every view and its count, the current one in brackets', () => {
    expect(viewSwitcherText(counts, 'all')).toBe('[All 1,250] · Active 1,241 · Expiring 9 · Expired 0');
    expect(viewSwitcherText(counts, 'expired')).toBe('All 1,250 · Active 1,241 · Expiring 9 · [Expired 0]');
  });
  it('shows only the total while the list is still arriving', () => {
    expect(viewSwitcherText(counts, 'active', false)).toBe('All 1,250 · [Active …] · Expiring … · Expired …');
  });
});
