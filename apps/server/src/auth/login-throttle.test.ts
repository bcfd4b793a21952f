import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { LoginThrottle, SYNC_MS } from './login-throttle.js';

const flush = () => new Promise((r) => setImmediate(r));

describe('LoginThrottle on a real SQLite store, two instances standing for two processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cocart-throttle-'));
  let store: Store;
  let now = 1_800_000_000_000;
  const clock = () => now;

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(dir, 'throttle.sqlite')}`);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('grants 10 of 50 concurrent reservations from one address, refuses the rest with the window left', async () => {
    const a = new LoginThrottle({ store: store.throttle, clock });
    const results = await Promise.all(Array.from({ length: 50 }, () => a.reserve('10.0.0.1')));
    expect(results.filter((r) => r.granted)).toHaveLength(10);
    for (const r of results) if (!r.granted) expect(r.retryAfterSeconds).toBe(300);
    expect(a.knownBlock('10.0.0.1')).toBe(300);
    expect(a.knownBlock('10.0.0.2')).toBe(0);
  });

  it('lets another process learn a block, and forget it when the limit-th attempt turns out right', async () => {
    const a = new LoginThrottle({ store: store.throttle, clock });
    const b = new LoginThrottle({ store: store.throttle, clock });
    for (let i = 0; i < 9; i++) {
      const r = await a.reserve('10.0.0.3');
      if (r.granted) await r.settle(false);
    }
    const tenth = await a.reserve('10.0.0.3');
    expect(tenth.granted).toBe(true);
    now += SYNC_MS;
    b.sync();
    await flush();
    // While the tenth is being checked the address counts as blocked everywhere...
    expect(b.knownBlock('10.0.0.3')).toBeGreaterThan(0);
    if (tenth.granted) await tenth.settle(true);
    now += SYNC_MS;
    b.sync();
    await flush();
    // ...and once it proved right, the mark is lifted and the other process forgets it.
    expect(b.knownBlock('10.0.0.3')).toBe(0);
    const after = await b.reserve('10.0.0.3');
    expect(after.granted).toBe(true);
  });

  it('starts a fresh window once the old one ended', async () => {
    const a = new LoginThrottle({ store: store.throttle, clock });
    for (let i = 0; i < 11; i++) {
      const r = await a.reserve('10.0.0.4');
      if (r.granted) await r.settle(false);
    }
    expect(a.knownBlock('10.0.0.4')).toBeGreaterThan(0);
    now += 5 * 60_000;
    expect(a.knownBlock('10.0.0.4')).toBe(0);
    expect((await a.reserve('10.0.0.4')).granted).toBe(true);
  });
});
