import { isInsecureHttp } from '@cocart-sessions/client';
import { CliError, EXIT } from '../errors.js';
import { shownUrl } from '../format/url.js';

/**
 * Refuses, before anything is asked or sent, a store URL that is not http(s), that carries credentials
 * (they would be shown wherever the URL is, and kept in shell history), or that would send a login in
 * clear to a host other than loopback without `--allow-insecure-http`.
 */
export function checkStoreUrl(url: string, opts: { login: boolean; allowInsecureHttp: boolean }): void {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new CliError(
      `"${shownUrl(url)}" is not an http(s) URL (expected e.g. https://shop.example or http://127.0.0.1:8080).`,
      EXIT.usage,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new CliError(
      `The store URL ${shownUrl(url)} must not hold a login: give it with --user (the password is asked for, or taken from COCART_PASSWORD or a profile) or --consumer-key.`,
      EXIT.usage,
    );
  }
  if (opts.login && !opts.allowInsecureHttp && isInsecureHttp(url)) {
    throw new CliError(
      `Refusing to send credentials over plain HTTP to ${parsed.host}: anyone on the network path could read them. Use https://, or pass --allow-insecure-http if that network is trusted (profiles add --allow-insecure-http saves the choice).`,
      EXIT.usage,
    );
  }
}
