import { SESSION_SUMMARY_FIELDS, type SessionSummaryField } from '@cocart-sessions/core';
import { CliError, EXIT } from '../cli-error.js';

/** The fields of a session summary, in the API's order: what JSON and CSV carry by default. */
export const DEFAULT_FIELDS: readonly SessionSummaryField[] = SESSION_SUMMARY_FIELDS;

/** Fields read from each session's cart (`GET /session/<key>`), one request per session. */
export const CART_FIELDS = ['item_count', 'total', 'currency'] as const;
export type CartField = (typeof CART_FIELDS)[number];

/** Fields `list --fields` can pick: the API's own, the status the table shows, and the cart's. */
export const SESSION_FIELDS = [...DEFAULT_FIELDS, 'status', ...CART_FIELDS] as const;
export type SessionField = SessionSummaryField | 'status' | CartField;

/** Output formats of `list`. */
export const LIST_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** True when one of `fields` needs the session's cart. */
export const needsCart = (fields: readonly SessionField[]): boolean =>
  fields.some((f) => (CART_FIELDS as readonly string[]).includes(f));

/** Parses `--fields a,b`; throws a usage error naming the unknown field. */
export function parseFields(text: string): SessionField[] {
  const names = text.split(',').map((f) => f.trim());
  const known = new Set<string>(SESSION_FIELDS);
  const unknown = names.filter((n) => !known.has(n));
  if (names.length === 0 || unknown.length > 0 || names.some((n) => n === '')) {
    throw new CliError(
      `--fields: unknown field "${unknown[0] ?? ''}" (choose among ${SESSION_FIELDS.join(', ')}).`,
      EXIT.usage,
    );
  }
  return names as SessionField[];
}
