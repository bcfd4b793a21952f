import { CliError, EXIT } from '../cli-error.js';

/**
 * Text of `cocart-sessions --help`. Plain text with no import behind it, so `--help` loads nothing else
 * (usage.test.ts checks that it names every field `--fields` takes).
 */
export const USAGE = `Usage: cocart-sessions [command] [options]

Browse the carts in session of a CoCart store (interactive when run in a terminal).

Commands (non-interactive; also used when stdout is not a terminal):
  list                      all sessions
    --status <s>            only active, expiring (within 6 hours) or expired sessions
    --format <f>            table (default), json, ndjson or csv (RFC 4180, header row, UTF-8)
    --fields <a,b,...>      fields to print, among:
                            cart_id, cart_key, customers_name, customers_email,
                            cart_created, cart_expiry, cart_source, link, status;
                            and from each cart (one request per session, 8 at a time):
                            item_count, total (a plain decimal: 192.00), currency
  get <cart_key>            one cart: addresses, items, coupons, shipping, totals
  items <cart_key>          the items of a cart
  delete <cart_key>... --yes
                            delete carts (4 at a time; already gone counts as deleted)
  delete - --yes            delete the keys read from stdin, one per line
  delete --expired [--older-than 30d] --yes
                            delete every expired cart (expired at least 30d, 12h... ago)
    --dry-run               print what would be deleted and delete nothing
  profiles add <name> --url <url> (--user <login> | --consumer-key <ck>)
                            [--default] [--password-stdin]
                            [--allow-insecure-http]
                            save a connection (the secret is asked without echo,
                            or read from stdin with --password-stdin)
  profiles list | remove <name> | default <name>

Options:
  --profile <name>          saved connection to use (COCART_PROFILE; else the default profile)
  --url <url>               store URL (COCART_URL)
  -u, --user <name>         username or email (COCART_USERNAME)
  -p, --password <pw>       password (COCART_PASSWORD; asked for without echo when missing)
  --consumer-key <ck>       WooCommerce API key (COCART_CONSUMER_KEY)
  --consumer-secret <cs>    WooCommerce API secret (COCART_CONSUMER_SECRET)
  --allow-insecure-http     send the login over plain http:// to a host other than
                            localhost, 127.0.0.0/8 or ::1 (refused otherwise)
  --json                    machine-readable output (list: same as --format json)
  -y, --yes                 confirm delete
  --read-only               hide and refuse every destructive action
  --watch <seconds>         auto-refresh the list every <seconds>
  --no-color                no colours (also NO_COLOR)
  -h, --help                this help
  --version                 the version of cocart-sessions

Flags and environment variables win over the fields of a profile. Profiles are kept in
$XDG_CONFIG_HOME/cocart-sessions/profiles.json (default ~/.config/cocart-sessions/), mode 600.

Exit codes: 0 ok, 1 other failure, 2 usage, 3 authentication (401/403), 4 not found, 5 network.`;

/** A usage error: the message, then the whole usage text, exit 2. */
export const usageError = (message: string) => new CliError(`${message}\n\n${USAGE}`, EXIT.usage);
