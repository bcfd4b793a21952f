import type { ViewCounts } from '../sessions/view-counts.js';
import type { StatusView } from './state/reducer.js';

const VIEWS: ReadonlyArray<readonly [StatusView, string]> = [
  ['all', 'All'],
  ['active', 'Active'],
  ['expiring', 'Expiring'],
  ['expired', 'Expired'],
];

/**
 * Every view with its count, the current one in brackets (readable without colour):
 * `[All 250] · Active 241 · Expiring 9 · Expired 0`.
 */
export function viewSwitcherText(counts: ViewCounts, current: StatusView): string {
  return VIEWS.map(([view, label]) => {
    const text = `${label} ${counts[view].toLocaleString('en-US')}`;
    return view === current ? `[${text}]` : text;
  }).join(' · ');
}

