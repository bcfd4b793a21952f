import { isCartKey } from '@cocart-sessions/core';
import { describe, expect, it } from 'vitest';
import { GuestKeys } from './guest-keys.js';

describe('GuestKeys', () => {
  it('hands out 32 lowercase hex characters, each key once, across refills of the pool', () => {
    const keys = new GuestKeys();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const key = keys.next();
      expect(key).toMatch(/^[0-9a-f]{32}$/);
      expect(isCartKey(key)).toBe(true);
      seen.add(key);
    }
    expect(seen.size).toBe(1000);
  });

  it('draws independent keys in separate instances', () => {
    expect(new GuestKeys().next()).not.toBe(new GuestKeys().next());
  });
});
