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

  it('blocks another process only once the limit-th attempt failed, not while it is checked', async () => {
    const a = new LoginThrottle({ store: store.throttle, clock });
    const b = new LoginThrottle({ store: store.throttle, clock });
    const nineFailures = async (address: string) => {
      for (let i = 0; i < 9; i++) {
        const r = await a.reserve(address);
        if (r.granted) await r.settle(false);
      }
    };
    const learn = async () => {
      now += SYNC_MS;
      b.sync();
      await flush();
    };
    // A right tenth attempt: the other process never counts the address as blocked, so requests
    // with credentials it already verified are not refused while the tenth is checked.
    await nineFailures('10.0.0.3');
    const right = await a.reserve('10.0.0.3');
    expect(right.granted).toBe(true);
    await learn();
    expect(b.knownBlock('10.0.0.3')).toBe(0);
    if (right.granted) await right.settle(true);
    await learn();
    expect(b.knownBlock('10.0.0.3')).toBe(0);
    expect((await b.reserve('10.0.0.3')).granted).toBe(true);

    // A wrong tenth attempt: blocked here at once, and in the other process from its next sync.
    await nineFailures('10.0.0.5');
    const wrong = await a.reserve('10.0.0.5');
    expect(wrong.granted).toBe(true);
    if (wrong.granted) await wrong.settle(false);
    expect(a.knownBlock('10.0.0.5')).toBeGreaterThan(0);
    await learn();
    expect(b.knownBlock('10.0.0.5')).toBeGreaterThan(0);
    expect((await b.reserve('10.0.0.5')).granted).toBe(false);
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
