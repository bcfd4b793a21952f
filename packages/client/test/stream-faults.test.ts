import { afterEach, describe, expect, it } from 'vitest';
import { CoCartValidationError, createClient } from '../src/index.js';
import { type FaultServer, sendRaw, startFaultServer } from './helpers/fault-server.js';

const API = '/wp-json/cocart/v2';

describe('stream() and a bad session in the middle of a 3.x list', () => {
  let server: FaultServer;
  afterEach(() => server.close());
  const good = (i: number) => ({
    cart_id: String(i),
    cart_key: `k${i}`,
    customers_name: '',
    customers_email: '',
    cart_created: '04/25/2021 12:14:09',
    cart_expiry: '05/02/2021 12:14:05',
    cart_source: 'cocart',
    link: `http://x${API}/session/k${i}`,
  });

  it("strict: the sessions before it are yielded, then CoCartValidationError with that chunk's text", async () => {
    const before = Array.from({ length: 3000 }, (_, i) => good(i + 1));
    const body = JSON.stringify([...before, { ...good(3001), cart_created: 'yesterday' }, good(3002)]);
    server = await startFaultServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // In pieces, so the bad session is not in the first chunk the client reads.
      const half = Math.floor(body.length / 2);
      res.write(body.slice(0, half));
      setTimeout(() => res.end(body.slice(half)), 20);
    });
    const got: string[] = [];
    let error: unknown;
    try {
      for await (const s of createClient({ url: server.url }).sessions.stream()) got.push(s.cart_key);
    } catch (e) {
      error = e;
    }
    expect(got.slice(0, 3)).toEqual(['k1', 'k2', 'k3']);
    expect(got.length).toBeGreaterThan(0);
    expect(got).not.toContain('k3001');
    expect(error).toBeInstanceOf(CoCartValidationError);
    const v = error as CoCartValidationError;
    expect(v.issues[0]?.path).toEqual([3000, 'cart_created']);
    expect(v.body).toContain('"yesterday"');
    expect(v.body.length).toBeLessThan(body.length);
  });

  it('a body cut off inside the array is malformed JSON, after the sessions that were whole', async () => {
    server = await startFaultServer((_req, res) =>
      sendRaw(res, 200, `[${JSON.stringify(good(1))},{"cart_id":"2"`),
    );
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const s of createClient({ url: server.url }).sessions.stream()) got.push(s.cart_key);
      })(),
    ).rejects.toBeInstanceOf(CoCartValidationError);
    expect(got).toEqual(['k1']);
  });
});
