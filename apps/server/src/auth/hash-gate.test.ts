import { describe, expect, it } from 'vitest';
import { HashGate } from './hash-gate.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('HashGate', () => {
  it('runs at most `perAddress` tasks of one address and `overall` tasks at once', async () => {
    const gate = new HashGate({ perAddress: 2, overall: 3 });
    const running = new Map<string, number>();
    let peak = 0;
    const peakOf: Record<string, number> = {};
    const task = (address: string) =>
      gate.run(address, async () => {
        running.set(address, (running.get(address) ?? 0) + 1);
        const total = [...running.values()].reduce((a, b) => a + b, 0);
        peak = Math.max(peak, total);
        peakOf[address] = Math.max(peakOf[address] ?? 0, running.get(address)!);
        await tick();
        running.set(address, running.get(address)! - 1);
        return address;
      });
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => task('a')),
      ...Array.from({ length: 5 }, () => task('b')),
    ]);
    expect(results.filter((r) => r === 'a')).toHaveLength(20);
    expect(peak).toBe(3);
    expect(peakOf.a).toBe(2);
    expect(peakOf.b).toBeLessThanOrEqual(2);
  });

  it('lets another address start before a burst from one address has drained', async () => {
    const gate = new HashGate({ perAddress: 1, overall: 4 });
    const order: string[] = [];
    const burst = Array.from({ length: 30 }, (_, i) =>
      gate.run('burst', async () => {
        await tick();
        order.push(`burst${i}`);
      }),
    );
    const other = gate.run('other', async () => {
      order.push('other');
    });
    await Promise.all([...burst, other]);
    expect(order.indexOf('other')).toBeLessThan(3);
  });

  it('frees its slot when a task fails', async () => {
    const gate = new HashGate({ perAddress: 1, overall: 1 });
    await expect(gate.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run('a', async () => 'ok')).resolves.toBe('ok');
  });
});
