/**
 * The fields of a session summary of `GET /sessions`, in the API's order. Kept apart from the zod
 * schema (which `schemas/session.ts` checks against it) so that a program can name them without
 * building any schema.
 */
export const SESSION_SUMMARY_FIELDS = [
  'cart_id',
  'cart_key',
  'customers_name',
  'customers_email',
  'cart_created',
  'cart_expiry',
  'cart_source',
  'link',
] as const;

/** A field of a session summary. */
export type SessionSummaryField = (typeof SESSION_SUMMARY_FIELDS)[number];
