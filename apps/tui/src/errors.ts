import {
  hasErrorCode,
  isCoCartApiError,
  isCoCartClientError,
  isCoCartNetworkError,
  isCoCartTimeoutError,
  isCoCartValidationError,
} from '@cocart-sessions/client';
import { CliError, EXIT, isCliError } from './cli-error.js';
import { shownUrl } from './format/url.js';

export { CliError, EXIT, isCliError } from './cli-error.js';

/** A message that says what to do, and the exit code, for anything a command or the UI may throw. */
export function describeError(e: unknown, ctx: { url?: string; cartKey?: string } = {}): CliError {
  if (isCliError(e)) return e;
  const where = ctx.url === undefined ? 'the store' : shownUrl(ctx.url);
  if (isCoCartApiError(e)) {
    const said = e.serverMessage || e.message;
    if (e.status === 401) {
      return new CliError(
        `${said} (401 ${e.code}). Check the credentials: --user/--password, COCART_USERNAME/COCART_PASSWORD or the API key.`,
        EXIT.auth,
      );
    }
    if (e.status === 403) {
      return new CliError(
        `${said} (403). This user is not allowed to manage sessions: use an administrator or shop manager.`,
        EXIT.auth,
      );
    }
    if (e.status === 429) {
      return new CliError(`${said} (429). Too many failed attempts: wait and try again.`, EXIT.auth);
    }
    // A 404 that is not a WordPress error came from something other than a CoCart store.
    if (hasErrorCode(e, 'rest_no_route') || (e.status === 404 && hasErrorCode(e, 'http_error'))) {
      return new CliError(`No CoCart Sessions API at ${where} (404 ${e.code}). Check --url.`, EXIT.network);
    }
    if (e.status === 404) {
      const cart = ctx.cartKey === undefined ? 'That cart' : `Cart ${ctx.cartKey}`;
      const gone = hasErrorCode(e, 'cocart_session_not_valid') ? 'is already gone' : 'was not found';
      return new CliError(`${cart} ${gone} (404 ${e.code}).`, EXIT.notFound);
    }
    if (e.status === 502 || e.status === 503 || e.status === 504) {
      return new CliError(
        `${where} is unavailable (${e.status} ${e.code}): ${said} Try again later.`,
        EXIT.network,
      );
    }
    return new CliError(`${where} answered ${e.status} ${e.code}: ${said}`, EXIT.failure);
  }
  if (isCoCartTimeoutError(e)) {
    return new CliError(`${where} did not answer in time. Is the server up? Check --url.`, EXIT.network);
  }
  if (isCoCartNetworkError(e)) {
    return new CliError(
      `Cannot reach ${where}: ${e.message}. Is the server running? Check --url.`,
      EXIT.network,
    );
  }
  if (isCoCartValidationError(e)) {
    return new CliError(`${where} sent an unexpected answer: ${e.message}`, EXIT.failure);
  }
  if (isCoCartClientError(e) && hasErrorCode(e, 'invalid_cart_key'))
    return new CliError(e.message, EXIT.usage);
  return new CliError(e instanceof Error ? e.message : String(e), EXIT.failure);
}
