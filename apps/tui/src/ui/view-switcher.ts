import type { ViewCounts } from '../list-feed/row-store.js';
import type { StatusView } from './state/reducer.js';

const VIEWS: ReadonlyArray<readonly [StatusView, string]> = [
  ['all', 'All'],
  ['active', 'Active'],
  ['expiring', 'Expiring'],
  ['expired', 'Expired'],
];

/**
 * Every view with its count, the current one in brackets (readable without colour):
 * `[All 250] · Active 241 · Expiring 9 · Expired 0`. While the list is still arriving (`complete`
 * false) only the total is known: `[All 250] · Active … · Expiring … · Expired …`.
 */
export function viewSwitcherText(counts: ViewCounts, current: StatusView, complete = true): string {
  return VIEWS.map(([view, label]) => {
    const count = complete || view === 'all' ? counts[view].toLocaleString('en-US') : '…';
    const text = `${label} ${count}`;
    return view === current ? `[${text}]` : text;
  }).join(' · ');
}
