import type { SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import { adoptSessionRow, toSessionRow } from '../sessions/session-row.js';
import { applyDelta, diffSessions, forEachSliced } from './list-delta.js';

const summary = (id: number, key: string, name: string): SessionSummary => ({
  cart_id: String(id),
  cart_key: key,
  customers_name: name,
  customers_email: `${key}@example.com`,
  cart_created: '03/01/2021 10:00:00',
  cart_expiry: '04/01/2021 10:00:00',
  cart_source: 'woocommerce',
  link: `https://shop.test/wp-json/cocart/v2/session/${key}`,
});

const byKey = (list: SessionSummary[]) => new Map(list.map((s) => [s.cart_key, s]));

describe('diffSessions and applyDelta', () => {
  const before = [
    summary(10, 'kept', 'Ann Kept'),
    summary(11, 'gone', 'Bob Gone'),
    summary(12, 'edit', 'Cy Old'),
  ];
  // The server's next answer: "gone" deleted, "edit" renamed, "new" added; "kept" as it was (a new object).
  const after = [
    summary(10, 'kept', 'Ann Kept'),
    summary(12, 'edit', 'Cy New'),
    summary(13, 'new', 'Di New'),
  ];

  it('names the removed keys and the added or changed sessions, nothing for the unchanged one', async () => {
    const diff = await diffSessions(byKey(before), after);
    expect(diff?.delta).toEqual({
      removed: ['gone'],
      upserted: [toSessionRow(summary(12, 'edit', 'Cy New')), toSessionRow(summary(13, 'new', 'Di New'))],
    });
    expect([...(diff?.byKey.keys() ?? [])]).toEqual(['kept', 'edit', 'new']);
    // Against nothing held, everything is new.
    expect((await diffSessions(new Map(), after))?.delta).toEqual({
      removed: [],
      upserted: after.map(toSessionRow),
    });
  });

  it('keeps the row objects of unchanged sessions and builds the rest, in cart_id order', async () => {
    const rows = before.map(toSessionRow);
    const diff = await diffSessions(byKey(before), after);
    const applied = (await applyDelta(rows, diff?.delta ?? { removed: [], upserted: [] })) ?? [];
    expect(applied.map((r) => [r.id, r.key, r.summary.customers_name])).toEqual([
      [10, 'kept', 'Ann Kept'],
      [12, 'edit', 'Cy New'],
      [13, 'new', 'Di New'],
    ]);
    expect(applied[0]).toBe(rows[0]);
    expect(applied[1]).not.toBe(rows[2]);
    expect(applied[1]).toEqual(toSessionRow(summary(12, 'edit', 'Cy New')));
    // The rows it was given are left as they were.
    expect(rows.map((r) => r.key)).toEqual(['kept', 'gone', 'edit']);
  });

  it('merges changed rows back into cart_id order, and an empty delta keeps every row', async () => {
    const rows = [1, 2, 3, 4].map((id) => toSessionRow(summary(id, `k${id}`, `N${id}`)));
    const renamed = [summary(3, 'k3', 'Renamed'), summary(1, 'k1', 'Renamed too')].map(toSessionRow);
    const applied = (await applyDelta(rows, { removed: [], upserted: renamed })) ?? [];
    expect(applied.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(applied[1]).toBe(rows[1]);
    expect(applied[0]?.summary.customers_name).toBe('Renamed too');
    expect(await applyDelta(rows, { removed: [], upserted: [] })).toEqual(rows);
  });

  it('stops between slices when cancelled', async () => {
    let steps = 0;
    const done = await forEachSliced(
      100_000,
      () => {
        steps++;
      },
      () => true,
      0,
    );
    expect(done).toBe(false);
    expect(steps).toBe(512);
    const many = Array.from({ length: 5000 }, (_, i) => summary(i, `k${i}`, `N${i}`));
    expect(await diffSessions(new Map(), many, { cancelled: () => true, sliceMs: 0 })).toBeUndefined();
  });

  it('hands out the delta in parts as it goes, which add up to the whole', async () => {
    const held = Array.from({ length: 10 }, (_, i) => summary(i, `k${i}`, `N${i}`));
    const next = [...held.slice(3), summary(10, 'k10', 'N10'), summary(11, 'k11', 'N11')];
    next[0] = summary(3, 'k3', 'Renamed');
    const parts: Array<{ removed: string[]; upserted: string[] }> = [];
    const diff = await diffSessions(byKey(held), next, {
      chunkSize: 2,
      onChunk: (part) => parts.push({ removed: part.removed, upserted: part.upserted.map((r) => r.key) }),
    });
    expect(parts).toEqual([
      { removed: [], upserted: ['k3', 'k10'] },
      { removed: ['k0', 'k1'], upserted: ['k11'] },
      { removed: ['k2'], upserted: [] },
    ]);
    expect(diff?.delta.upserted.map((r) => r.key)).toEqual(['k3', 'k10', 'k11']);
    expect(diff?.delta.removed).toEqual(['k0', 'k1', 'k2']);
  });

  it('gives a row cloned from another thread the shape and values of a row built here', () => {
    const row = toSessionRow(summary(7, 'k7', 'Cloned Row'));
    const adopted = adoptSessionRow(structuredClone(row));
    expect(adopted).toEqual(row);
    expect(Object.keys(adopted)).toEqual(Object.keys(row));
  });
});
