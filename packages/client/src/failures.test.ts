import { NetworkError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { CoCartNetworkError, CoCartTimeoutError } from './errors.js';
import { translateKyError } from './failures.js';

const SECRET = 'cs_0123456789abcdef0123456789abcdef01234567';
const WITH_KEYS = `http://127.0.0.1:8080/wp-json/cocart/v2/sessions?consumer_key=ck_1&consumer_secret=${SECRET}`;
const REDACTED =
  'http://127.0.0.1:8080/wp-json/cocart/v2/sessions?consumer_key=REDACTED&consumer_secret=REDACTED';

describe('translateKyError', () => {
  it("names the request's URL without its keys, for timeouts and network errors", async () => {
    const request = new Request(WITH_KEYS);
    const timeout = await translateKyError(new TimeoutError(request), 'GET', 'unused', 150);
    expect(timeout).toBeInstanceOf(CoCartTimeoutError);
    expect((timeout as Error).message).toBe(`GET ${REDACTED} timed out after 150 ms`);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' });
    const cause = new TypeError('fetch failed', { cause: refused });
    const network = await translateKyError(new NetworkError(request, { cause }), 'GET', 'unused', 150);
    expect(network).toBeInstanceOf(CoCartNetworkError);
    expect((network as Error).message).toBe(
      `GET ${REDACTED} failed: fetch failed: connect ECONNREFUSED 127.0.0.1:8080 (ECONNREFUSED)`,
    );
  });

  it("a custom fetch's TypeError is a network error of the fallback URL, with URLs in its message masked", async () => {
    const error = new TypeError(`Failed to fetch ${WITH_KEYS}`);
    const e = (await translateKyError(error, 'GET', REDACTED, false)) as CoCartNetworkError;
    expect(e).toBeInstanceOf(CoCartNetworkError);
    expect(e.url).toBe(REDACTED);
    expect(e.message).toBe(`GET ${REDACTED} failed: Failed to fetch ${REDACTED}`);
    expect(e.message).not.toContain(SECRET);
  });

  it('gives back what it does not know (an abort, a bug) as it is', async () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(await translateKyError(abort, 'GET', REDACTED, 150)).toBe(abort);
  });
});
