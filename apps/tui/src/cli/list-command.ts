import { hasErrorCode, type SessionsResource } from '@cocart-sessions/client';
import { type Cart, fromMinorUnits, parseCartTotal, type SessionSummary } from '@cocart-sessions/core';
import { expiryMsOf, statusOf } from '../format/export.js';
import {
  type CartField,
  DEFAULT_FIELDS,
  type ListFormat,
  needsCart,
  type SessionField,
} from '../format/fields.js';
import {
  csvWriter,
  jsonArrayWriter,
  type ListRecord,
  type ListWriter,
  ndjsonWriter,
} from '../format/list-writers.js';
import type { SessionStatus } from '../format/time.js';
import type { TextSink } from './text-sink.js';

/** What `list` reads: the streamed list, and each cart when a cart field is asked for. */
export type ListSource = Pick<SessionsResource, 'streamBatches' | 'get'>;

/** Carts read at once for `--fields item_count,total,currency`. */
export const CART_CONCURRENCY = 8;

/** The options of `list`. */
export interface ListOptions {
  format: ListFormat;
  fields?: readonly SessionField[];
  status?: SessionStatus;
  now: number;
}

/** A session's cart fields; `null` each when the cart was deleted since the list was read. */
type CartValues = Record<CartField, string | number | null>;

/** A session as `list` writes it: the summary, and its cart fields when they were asked for. */
export interface ListedSession {
  session: SessionSummary;
  cart?: CartValues;
}

/** The cart's item count, its total as a plain decimal in major units, and its currency code. */
export function cartFields(cart: Cart): CartValues {
  let total: string;
  try {
    total = fromMinorUnits(parseCartTotal(cart.totals.total), cart.currency.currency_minor_unit);
  } catch {
    // A total the core cannot read (validation 'loose' or 'off') is shown as the store sent it.
    total = String(cart.totals.total);
  }
  return { item_count: cart.item_count, total, currency: cart.currency.currency_code };
}

const GONE: CartValues = { item_count: null, total: null, currency: null };

/** The sessions of the list, with status `status` if given, as they stream in. */
async function* listed(source: ListSource, opts: ListOptions): AsyncGenerator<ListedSession> {
  for await (const batch of source.streamBatches()) {
    for (const session of batch) if (keep(session, opts)) yield { session };
  }
}

const keep = (session: SessionSummary, opts: ListOptions): boolean =>
  opts.status === undefined || statusOf(session, opts.now) === opts.status;

/**
 * Each session with its cart fields, in list order, `CART_CONCURRENCY` carts read at once and no
 * more sessions read ahead than that.
 */
async function* withCarts(
  source: ListSource,
  sessions: AsyncIterable<ListedSession>,
): AsyncGenerator<ListedSession> {
  const { pMapIterable } = await import('p-map');
  yield* pMapIterable(
    sessions,
    async ({ session }): Promise<ListedSession> => {
      try {
        return { session, cart: cartFields(await source.get(session.cart_key)) };
      } catch (e) {
        if (hasErrorCode(e, 'cocart_cart_in_session_not_valid')) return { session, cart: GONE };
        throw e;
      }
    },
    { concurrency: CART_CONCURRENCY },
  );
}

/**
 * The record of the default fields, built as one literal: every record then has the same shape,
 * which keeps a listing of a million sessions quick to make and to stringify.
 */
export function summaryRecord(s: SessionSummary): ListRecord {
  return {
    cart_id: s.cart_id,
    cart_key: s.cart_key,
    customers_name: s.customers_name,
    customers_email: s.customers_email,
    cart_created: s.cart_created,
    cart_expiry: s.cart_expiry,
    cart_source: s.cart_source,
    link: s.link,
  };
}

const isDefault = (fields: readonly SessionField[]): boolean =>
  fields.length === DEFAULT_FIELDS.length && fields.every((f, i) => f === DEFAULT_FIELDS[i]);

export function recordOf(
  { session, cart }: ListedSession,
  fields: readonly SessionField[],
  now: number,
): ListRecord {
  const record: ListRecord = {};
  for (const f of fields) {
    if (f === 'status') record[f] = statusOf(session, now);
    else if (f === 'item_count' || f === 'total' || f === 'currency') record[f] = cart?.[f] ?? null;
    else record[f] = session[f];
  }
  return record;
}

/**
 * Runs `list`: reads the list as a stream and writes each session in the chosen format as it comes,
 * waiting for `sink` when the reader is behind, so memory stays the same whatever the store's size.
 */
export async function writeList(source: ListSource, sink: TextSink, opts: ListOptions): Promise<void> {
  const { format, now } = opts;
  const fields = opts.fields ?? DEFAULT_FIELDS;
  const put = async <T>(writer: ListWriter<T>, item: (s: ListedSession) => T) => {
    const sessions = needsCart(fields) ? withCarts(source, listed(source, opts)) : undefined;
    if (sessions) {
      for await (const s of sessions) {
        const wait = sink.write(writer.write(item(s)));
        if (wait) await wait;
      }
    } else {
      // The plain list goes from the client's batches to the writer, one write a batch, no
      // generator or promise per session between them.
      for await (const batch of source.streamBatches()) {
        let text = '';
        for (const session of batch) if (keep(session, opts)) text += writer.write(item({ session }));
        const wait = sink.write(text);
        if (wait) await wait;
      }
    }
    await sink.write(writer.end());
    await sink.flush();
  };
  const record = isDefault(fields)
    ? (s: ListedSession) => summaryRecord(s.session)
    : (s: ListedSession) => recordOf(s, fields, now);
  switch (format) {
    case 'ndjson':
      return put(ndjsonWriter(), record);
    case 'json':
      return put(jsonArrayWriter(), record);
    case 'csv':
      return put(csvWriter(fields), record);
    case 'table': {
      // Terminal widths (string-width and its tables) are loaded for the table only.
      const { defaultTableRow, TABLE_HEADERS, tableWriter } = await import('../format/table-writer.js');
      const empty = opts.status ? `No ${opts.status} carts in session.\n` : 'No carts in session.\n';
      if (opts.fields === undefined) {
        return put(tableWriter(TABLE_HEADERS, { empty }), (s) => defaultTableRow(s.session, now));
      }
      const headers = fields.map((f) => f.toUpperCase());
      return put(tableWriter(headers, { empty }), (s) => {
        const r = record(s);
        return fields.map((f) => String(r[f] ?? ''));
      });
    }
  }
}

/** The keys of the sessions expired at least `olderThanMs` before `now`, read from the stream. */
export async function expiredKeys(
  source: Pick<SessionsResource, 'streamBatches'>,
  olderThanMs: number,
  now: number,
): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of source.streamBatches()) {
    for (const s of batch) {
      const expiryMs = expiryMsOf(s);
      if (!Number.isNaN(expiryMs) && expiryMs <= now - olderThanMs) keys.push(s.cart_key);
    }
  }
  return keys;
}
