import { redactUrl } from '@cocart-sessions/client';

/**
 * `url` fit to show on screen, in messages and in `--json`: no password of userinfo, no API key of the
 * query string. A URL that carries neither is shown as typed, since the redacted form is normalised.
 */
export function shownUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The parser cannot tell where userinfo ends here: hide all that precedes the last "@".
    return url.includes('@') ? url.replace(/^([^:/?#@]*:\/*)?.*@/s, '$1***@') : url;
  }
  const redacted = redactUrl(url);
  return redacted === parsed.href ? url : redacted;
}
