import { type SessionSummary, serializeCart, serializeItemsMap } from '@cocart-sessions/core';
import { cartLines, itemsLines } from '../format/cart.js';
import {
  DEFAULT_FIELDS,
  type ListFormat,
  type SessionField,
  sessionRecords,
  sessionsCsv,
  statusOf,
} from '../format/export.js';
import { plainTable } from '../format/text.js';
import type { SessionStatus } from '../format/time.js';
import { expiryOf, toSessionRow } from '../sessions/session-row.js';
import type { SessionSource } from '../sessions/source.js';
import type { CliCommand } from './args.js';

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

/** The sessions whose status at `now` is `status` (all of them without one). */
export function withStatus(
  sessions: readonly SessionSummary[],
  status: SessionStatus | undefined,
  now: number,
): SessionSummary[] {
  return status === undefined ? [...sessions] : sessions.filter((s) => statusOf(s, now) === status);
}

/** `list` in the chosen format; every format but the table ends with its own newline when not empty. */
export function formatSessions(
  sessions: readonly SessionSummary[],
  opts: { format: ListFormat; fields?: readonly SessionField[]; status?: SessionStatus; now: number },
): string {
  const fields = opts.fields ?? DEFAULT_FIELDS;
  switch (opts.format) {
    case 'json':
      return `${JSON.stringify(sessionRecords(sessions, fields, opts.now), null, 2)}\n`;
    case 'ndjson':
      return sessionRecords(sessions, fields, opts.now)
        .map((r) => `${JSON.stringify(r)}\n`)
        .join('');
    case 'csv':
      return sessionsCsv(sessions, fields, opts.now);
    case 'table': {
      if (sessions.length === 0) {
        return opts.status ? `No ${opts.status} carts in session.\n` : 'No carts in session.\n';
      }
      if (opts.fields === undefined) return `${sessionsTable(sessions, opts.now)}\n`;
      const records = sessionRecords(sessions, fields, opts.now);
      return `${plainTable(
        fields.map((f) => f.toUpperCase()),
        records.map((r) => fields.map((f) => r[f] ?? '')),
      )}\n`;
    }
  }
}

/**
 * Runs `list`, `get` or `items` and returns what goes to stdout, ending with a newline.
 * Errors propagate as the client threw them; the caller maps them to exit codes.
 */
export async function runCommand(
  command: Extract<CliCommand, { name: 'list' | 'get' | 'items' }>,
  source: SessionSource,
  opts: { json: boolean; now: number; width?: number },
): Promise<string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  switch (command.name) {
    case 'list': {
      const sessions = withStatus(await source.list(), command.status, opts.now);
      return formatSessions(sessions, { ...command, now: opts.now });
    }
    case 'get': {
      const cart = await source.get(command.cartKey);
      if (opts.json) return json(serializeCart(cart));
      return `${cartLines(cart, opts.width ?? 78)
        .map((l) => l.text)
        .join('\n')}\n`;
    }
    case 'items': {
      if (opts.json) return json(serializeItemsMap(await source.items(command.cartKey)));
      const [items, cart] = await Promise.all([source.items(command.cartKey), source.get(command.cartKey)]);
      return `${itemsLines(command.cartKey, items, cart.currency, opts.width ?? 78)
        .map((l) => l.text)
        .join('\n')}\n`;
    }
  }
}
