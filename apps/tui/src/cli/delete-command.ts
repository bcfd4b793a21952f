import { isCartKey } from '@cocart-sessions/core';
import { CliError, EXIT } from '../errors.js';
import { type DeleteResult, deleteCarts, tally } from '../sessions/bulk-delete.js';
import type { SessionSource } from '../sessions/source.js';
import type { DeleteTarget } from './args.js';
import { expiredKeys, type ListSource } from './list-command.js';

/**
 * The cart keys of `delete -`: one per line, surrounding spaces ignored. A blank or invalid line is a
 * usage error naming its line number, so a mangled list deletes nothing.
 */
export function parseKeyList(text: string): string[] {
  const lines = text.split(/\r?\n/);
  // The newline that ends the last line does not start an empty one.
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new CliError('delete -: no cart keys on stdin.', EXIT.usage);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') throw new CliError(`delete -: line ${i + 1} of stdin is blank.`, EXIT.usage);
    const shown = line.slice(0, 50);
    if (!isCartKey(line)) {
      throw new CliError(
        `delete -: line ${i + 1} of stdin, "${shown}", is not a cart key (1 to 42 letters, digits or underscores).`,
        EXIT.usage,
      );
    }
  }
  return [...new Set(lines.map((l) => l.trim()))];
}

const OUTCOME_JSON: Record<DeleteResult['outcome'], string> = {
  deleted: 'deleted',
  gone: 'already_gone',
  failed: 'failed',
};

/** One line per cart then the summary; or the same as JSON. */
function report(results: readonly DeleteResult[], json: boolean): string {
  const t = tally(results);
  if (json) {
    return `${JSON.stringify(
      {
        dry_run: false,
        deleted: t.deleted,
        already_gone: t.gone,
        failed: t.failed,
        results: results.map((r) => ({
          cart_key: r.key,
          outcome: OUTCOME_JSON[r.outcome],
          ...(r.outcome === 'failed' ? { error: r.message } : {}),
        })),
      },
      null,
      2,
    )}\n`;
  }
  const lines = results.map((r) =>
    r.outcome === 'deleted'
      ? `Deleted cart ${r.key}.`
      : r.outcome === 'gone'
        ? `Cart ${r.key} was already gone.`
        : `Could not delete cart ${r.key}: ${r.message}`,
  );
  lines.push(`${t.deleted} deleted, ${t.gone} already gone, ${t.failed} failed.`);
  return `${lines.join('\n')}\n`;
}

/** What `--dry-run` prints: the carts that would be deleted, and nothing is. */
function dryRunReport(keys: readonly string[], json: boolean): string {
  if (json) {
    return `${JSON.stringify(
      {
        dry_run: true,
        would_delete: keys.length,
        results: keys.map((k) => ({ cart_key: k, outcome: 'would_delete' })),
      },
      null,
      2,
    )}\n`;
  }
  const lines = keys.map((k) => `Would delete cart ${k}.`);
  lines.push(
    `${keys.length} ${keys.length === 1 ? 'cart' : 'carts'} would be deleted (dry run: nothing was).`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `delete`: the keys given (or read from stdin by the caller), or every expired cart. Exit 0 only
 * when every cart was deleted or already gone; otherwise the failures' shared exit code, or 1.
 */
export async function runDelete(
  target: Exclude<DeleteTarget, { kind: 'stdin' }>,
  source: SessionSource & ListSource,
  opts: { json: boolean; dryRun: boolean; now: number; url: string },
): Promise<{ out: string; exitCode: number }> {
  // Expired carts are picked from the streamed list: only their keys are held, then deleted.
  const keys = target.kind === 'keys' ? target.keys : await expiredKeys(source, target.olderThanMs, opts.now);
  if (opts.dryRun) return { out: dryRunReport(keys, opts.json), exitCode: EXIT.ok };
  const results = await deleteCarts(keys, source, { url: opts.url });
  const codes = new Set(results.flatMap((r) => (r.outcome === 'failed' ? [r.exitCode] : [])));
  const exitCode =
    codes.size === 0 ? EXIT.ok : codes.size === 1 ? ([...codes][0] ?? EXIT.failure) : EXIT.failure;
  return { out: report(results, opts.json), exitCode };
}
