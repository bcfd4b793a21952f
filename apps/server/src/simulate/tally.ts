/** What a simulation did, counted as the server confirmed it. */
export interface Tally {
  /** Requests answered 2xx. */
  actions: number;
  created: number;
  added: number;
  changed: number;
  removed: number;
  named: number;
  cleared: number;
  /** Shoppers who left: their carts stay until they expire. */
  abandoned: number;
  /** New carts not made because the server's creation limit answered 429. */
  refused: number;
  /** Carts that were gone when their shopper came back (deleted by an administrator, or expired). */
  gone: number;
  /** Other failed requests. */
  errors: number;
}

export const emptyTally = (): Tally => ({
  actions: 0,
  created: 0,
  added: 0,
  changed: 0,
  removed: 0,
  named: 0,
  cleared: 0,
  abandoned: 0,
  refused: 0,
  gone: 0,
  errors: 0,
});

const minus = (a: Tally, b: Tally): Tally =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - b[k as keyof Tally]])) as unknown as Tally;

/** One summary line of what happened since `before`. */
export function summaryLine(
  now: Tally,
  before: Tally,
  seconds: number,
  elapsed: number,
  open: number,
): string {
  const d = minus(now, before);
  const rate = seconds > 0 ? (d.actions / seconds).toFixed(1) : '0.0';
  const trouble = [
    d.refused > 0 ? `${d.refused} refused (429)` : '',
    d.gone > 0 ? `${d.gone} gone` : '',
    `${d.errors} errors`,
  ].filter(Boolean);
  return (
    `[${elapsed.toFixed(0)}s] ${d.actions} writes (${rate}/s): ${d.created} new carts, ${d.added} added, ` +
    `${d.changed} changed, ${d.removed} removed, ${d.named} named, ${d.cleared} cleared, ` +
    `${d.abandoned} abandoned · ${open} carts open · ${trouble.join(', ')}`
  );
}

/** The closing summary, one figure a line. */
export function finalSummary(t: Tally, seconds: number, open: number, url: string): string[] {
  const rate = seconds > 0 ? (t.actions / seconds).toFixed(1) : '0.0';
  const rows: Array<[string, number]> = [
    ['new carts', t.created],
    ['items added', t.added],
    ['quantities changed', t.changed],
    ['items removed', t.removed],
    ['customers named', t.named],
    ['carts cleared', t.cleared],
    ['carts abandoned', t.abandoned],
    ['carts still open', open],
    ['refused by the creation limit (429)', t.refused],
    ['carts gone when their shopper came back', t.gone],
    ['failed requests', t.errors],
  ];
  return [
    `Simulated ${seconds.toFixed(1)} s of shoppers on ${url}: ${t.actions} cart writes (${rate}/s).`,
    ...rows.map(([label, n]) => `  ${label.padEnd(40)} ${n}`),
    'Abandoned and open carts stay in the store until they expire (the server removes them then).',
  ];
}
