import { type SessionSummary, serializeCart, serializeItemsMap } from '@cocart-sessions/core';
import { cartLines, itemsLines } from './format/cart.js';
import { plainTable } from './format/text.js';
import type { SessionSource } from './hooks/use-sessions.js';
import { expiryOf, toSessionRow } from './state/session-row.js';

/** A non-interactive command and its argument. */
export type CliCommand =
  | { name: 'list' }
  | { name: 'get'; cartKey: string }
  | { name: 'items'; cartKey: string }
  | { name: 'delete'; cartKey: string };

/** Plain text table of sessions: what `cocart-sessions list` prints without --json. */
export function sessionsTable(sessions: readonly SessionSummary[], now: number): string {
  const rows = sessions.map((s) => {
    const { expires, status } = expiryOf(toSessionRow(s), now);
    return [
      s.cart_key,
      s.customers_name || '-',
      s.customers_email || '-',
      s.cart_created,
      expires,
      status ?? '?',
      s.cart_source,
    ];
  });
  return plainTable(['KEY', 'CUSTOMER', 'EMAIL', 'CREATED (UTC)', 'EXPIRES', 'STATUS', 'SOURCE'], rows);
}

/**
 * Runs one command and returns what goes to stdout (without the final newline).
 * Errors propagate as the client threw them; the caller maps them to exit codes.
 */
export async function runCommand(
  command: CliCommand,
  source: SessionSource,
  opts: { json: boolean; now: number; width?: number },
): Promise<string> {
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  switch (command.name) {
    case 'list': {
      const sessions = await source.list();
      if (opts.json) return json(sessions);
      return sessions.length === 0 ? 'No carts in session.' : sessionsTable(sessions, opts.now);
    }
    case 'get': {
      const cart = await source.get(command.cartKey);
      if (opts.json) return json(serializeCart(cart));
      return cartLines(cart, opts.width ?? 78)
        .map((l) => l.text)
        .join('\n');
    }
    case 'items': {
      if (opts.json) return json(serializeItemsMap(await source.items(command.cartKey)));
      const [items, cart] = await Promise.all([source.items(command.cartKey), source.get(command.cartKey)]);
      return itemsLines(command.cartKey, items, cart.currency, opts.width ?? 78)
        .map((l) => l.text)
        .join('\n');
    }
    case 'delete': {
      const message = await source.delete(command.cartKey);
      if (opts.json) return json({ cart_key: command.cartKey, deleted: true, message });
      return `Deleted cart ${command.cartKey}: ${message}`;
    }
  }
}
