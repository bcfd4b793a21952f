import { HTTPError, type NormalizedOptions } from 'ky';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, parseRetryAfter, retryPolicy } from './retry.js';

describe('retry policy', () => {
  it('retries only GET, on 408/429/5xx, honouring Retry-After on 429 and 503', () => {
    expect(DEFAULT_RETRY.methods).toEqual(['get']);
    expect(DEFAULT_RETRY.statusCodes).toEqual([408, 429, 500, 502, 503, 504]);
    expect(DEFAULT_RETRY.afterStatusCodes).toEqual([429, 503]);
  });

  it('a number sets the limit; an object is merged over the defaults', () => {
    expect(retryPolicy(5)).toMatchObject({ limit: 5, methods: ['get'] });
    expect(retryPolicy({ limit: 1, backoffLimit: 50 })).toMatchObject({
      limit: 1,
      backoffLimit: 50,
      methods: ['get'],
    });
  });

  it('parses Retry-After seconds and HTTP-dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('gives up on a Retry-After beyond maxRetryAfter (ky alone would wait maxRetryAfter), and lets the caller decide first', async () => {
    const error = (retryAfter: string, status = 429) =>
      new HTTPError(
        new Response('', { status, headers: { 'retry-after': retryAfter } }),
        new Request('http://x.test/wp-json/cocart/v2/sessions'),
        {} as NormalizedOptions,
      );
    const decide = retryPolicy(undefined).shouldRetry!;
    expect(await decide({ error: error('300'), retryCount: 1 })).toBe(false);
    // Within the limit, or a status without Retry-After handling: ky's own checks decide.
    expect(await decide({ error: error('1'), retryCount: 1 })).toBeUndefined();
    expect(await decide({ error: error('300', 500), retryCount: 1 })).toBeUndefined();
    const caller = retryPolicy({ shouldRetry: () => true }).shouldRetry!;
    expect(await caller({ error: error('300'), retryCount: 1 })).toBe(true);
  });
});
