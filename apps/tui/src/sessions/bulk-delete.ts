import { hasErrorCode, isCoCartApiError, type SessionsResource } from '@cocart-sessions/client';
import pMap from 'p-map';
import { describeError } from '../errors.js';

/** What became of one cart of a bulk delete. */
export type DeleteResult =
  | { key: string; outcome: 'deleted' }
  /** Already deleted elsewhere, or expired and cleaned up: counts as done. */
  | { key: string; outcome: 'gone' }
  | { key: string; outcome: 'failed'; message: string; exitCode: number };

/** At most this many DELETE requests are in flight at once. */
export const DELETE_CONCURRENCY = 4;

/** True for the API's answer to deleting a session that no longer exists. */
export function isAlreadyGone(e: unknown): boolean {
  return (
    isCoCartApiError(e) &&
    e.status === 404 &&
    (hasErrorCode(e, 'cocart_session_not_valid') || hasErrorCode(e, 'cocart_cart_in_session_not_valid'))
  );
}

/**
 * Deletes `keys`, `concurrency` at a time; a failure never stops the others. Resolves with one result
 * per key, in the order of `keys`; `onResult` hears each as it lands.
 */
export async function deleteCarts(
  keys: readonly string[],
  source: Pick<SessionsResource, 'delete'>,
  opts: { url?: string; concurrency?: number; onResult?: (result: DeleteResult) => void } = {},
): Promise<DeleteResult[]> {
  const one = async (key: string): Promise<DeleteResult> => {
    try {
      await source.delete(key);
      return { key, outcome: 'deleted' };
    } catch (e) {
      if (isAlreadyGone(e)) return { key, outcome: 'gone' };
      const err = describeError(e, { url: opts.url, cartKey: key });
      return { key, outcome: 'failed', message: err.message, exitCode: err.exitCode };
    }
  };
  // `one` never rejects: every failure is a result, so p-map's stop on the first error never applies.
  return pMap(
    keys,
    async (key) => {
      const result = await one(key);
      opts.onResult?.(result);
      return result;
    },
    { concurrency: Math.max(1, opts.concurrency ?? DELETE_CONCURRENCY) },
  );
}

/** Counts of a finished bulk delete. */
export function tally(results: readonly DeleteResult[]): { deleted: number; gone: number; failed: number } {
  const count = (o: DeleteResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return { deleted: count('deleted'), gone: count('gone'), failed: count('failed') };
}
