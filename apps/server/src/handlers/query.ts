import { invalidParams } from '@cocart-sessions/core';
import type { Request } from 'express';

/** Parameters every route accepts: WooCommerce keys in the query string and WordPress's route form. */
const ALWAYS_ALLOWED = new Set(['consumer_key', 'consumer_secret', 'rest_route']);

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The query string as single string values; unknown or repeated parameters are a
 * `400 rest_invalid_param` naming each of them.
 */
export function readQuery(req: Request, allowed: ReadonlySet<string>): Readonly<Record<string, string>> {
  // Express 5 parses on every `req.query` read: skip it when there is nothing to parse.
  if (!req.url.includes('?')) return EMPTY;
  const query = req.query as Record<string, unknown>;
  const out: Record<string, string> = {};
  const bad: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.has(name) && !ALWAYS_ALLOWED.has(name)) bad[name] = `${name} is not a known parameter.`;
    else if (typeof value !== 'string') bad[name] = `${name} must be given once.`;
    // PostgreSQL refuses NUL in text and SQLite cuts a string at it: refused for both alike.
    else if (value.includes('\0')) bad[name] = `${name} must not contain a NUL character.`;
    else out[name] = value;
  }
  if (Object.keys(bad).length > 0) throw invalidParams(bad);
  return out;
}

/** Parse a boolean flag as WordPress does (`1`, `true`, `yes`, `0`, `false`, `no`, empty). */
export function parseFlag(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '' || v === '0' || v === 'false' || v === 'no') return false;
  throw invalidParams({ [name]: `${name} is not of type boolean.` });
}
