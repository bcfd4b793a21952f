/** Process exit codes of `cocart-sessions`. */
export const EXIT = {
  ok: 0,
  /** Anything else: a server error, an unexpected payload. */
  failure: 1,
  usage: 2,
  /** 401/403 (and 429 after too many failed logins). */
  auth: 3,
  notFound: 4,
  /** Unreachable server, timeout, or a URL with no CoCart API behind it. */
  network: 5,
} as const;

/** An error the CLI reports with a message and exits on. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * True for a CliError, also one made by another copy of this module: the bundled command line and
 * the interactive browser (tsc's output, which it imports) each have theirs.
 */
export function isCliError(e: unknown): e is CliError {
  return (
    e instanceof CliError ||
    (e instanceof Error && e.name === 'CliError' && typeof (e as CliError).exitCode === 'number')
  );
}
