import type { RetryOptions, ShouldRetryState } from 'ky';
import { isHTTPError } from 'ky';

/**
 * What the client retries by default: only GET (safe and idempotent), on network errors and on
 * 408/429/500/502/503/504, with exponential backoff (300 ms, 600 ms, ... capped at 10 s) and
 * `Retry-After` honoured on 429/503. A `Retry-After` longer than `maxRetryAfter` (20 s) is not
 * waited for: the error surfaces at once (a 5-minute login lockout should not hang a CLI).
 */
export const DEFAULT_RETRY = {
  limit: 2,
  methods: ['get'],
  statusCodes: [408, 429, 500, 502, 503, 504],
  afterStatusCodes: [429, 503],
  maxRetryAfter: 20_000,
  backoffLimit: 10_000,
  retryOnTimeout: false,
} as const satisfies RetryOptions;

/** Milliseconds of a `Retry-After` value (delay-seconds or HTTP-date), `undefined` if unparsable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Merges the caller's `retry` option over {@link DEFAULT_RETRY}. */
export function retryPolicy(retry: number | RetryOptions | undefined): RetryOptions {
  const merged: RetryOptions = {
    ...DEFAULT_RETRY,
    methods: [...DEFAULT_RETRY.methods],
    ...(typeof retry === 'number' ? { limit: retry } : retry),
  };
  const maxRetryAfter = merged.maxRetryAfter ?? Number.POSITIVE_INFINITY;
  const afterStatusCodes = merged.afterStatusCodes ?? [];
  const userShouldRetry = merged.shouldRetry;
  merged.shouldRetry = async (state: ShouldRetryState) => {
    const decision = await userShouldRetry?.(state);
    if (decision !== undefined) return decision;
    const { error } = state;
    if (isHTTPError(error) && afterStatusCodes.includes(error.response.status)) {
      const wait = parseRetryAfter(error.response.headers.get('retry-after'));
      if (wait !== undefined && wait > maxRetryAfter) return false;
    }
    return undefined;
  };
  return merged;
}
