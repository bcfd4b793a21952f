import { readFileSync } from 'node:fs';
import { SessionListV3Schema, type SessionSummary } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import { ArrayElements } from './validation.js';

/** The contract's example list (two sessions), and a third with `cart_id` as a number, as a broken extension may send. */
const list: SessionSummary[] = JSON.parse(
  readFileSync(new URL('../../../fixtures/sessions-list.json', import.meta.url), 'utf8'),
);
const bad = { ...list[1], cart_id: 4336, cart_key: 'guest_003' };

describe('ArrayElements', () => {
  it('keeps the elements of every batch in order when they fit the model', () => {
    const elements = new ArrayElements(SessionListV3Schema, 'strict');
    expect(elements.add([list[0]])).toBeUndefined();
    expect(elements.add([])).toBeUndefined();
    expect(elements.add([list[1]])).toBeUndefined();
    expect(elements.items).toEqual(list);
    expect(elements.issues).toEqual([]);
  });

  it("'strict': a batch with a bad element adds nothing and returns its issues, numbered in the whole array", () => {
    const elements = new ArrayElements(SessionListV3Schema, 'strict');
    elements.add(list);
    const issues = elements.add([list[0], bad]);
    expect(issues?.map((i) => i.path)).toEqual([[3, 'cart_id']]);
    expect(elements.items).toEqual(list);
    expect(elements.issues).toEqual([]);
  });

  it("'loose': the bad element is kept as received and its issue recorded, numbered in the whole array", () => {
    const elements = new ArrayElements(SessionListV3Schema, 'loose');
    elements.add(list);
    expect(elements.add([bad, list[0]])).toBeUndefined();
    expect(elements.items).toEqual([...list, bad, list[0]]);
    expect(elements.issues.map((i) => i.path)).toEqual([[2, 'cart_id']]);
  });

  it("'off': nothing is checked, whatever the elements are", () => {
    const elements = new ArrayElements(SessionListV3Schema, 'off');
    expect(elements.add([bad, 'not a session'])).toBeUndefined();
    expect(elements.items).toEqual([bad, 'not a session']);
    expect(elements.issues).toEqual([]);
  });
});
