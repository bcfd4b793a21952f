import * as z from 'zod';

/** `MM/DD/YYYY HH:mm:ss` (UTC), the plugin's `gmdate('m/d/Y H:i:s')`. */
const API_DATE = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/;

/** The row id as a string of digits (`"4038"`). */
const ROW_ID = /^\d+$/;

const ApiDateString = z.string().regex(API_DATE);

/** One entry of `GET /sessions`: the 8 fields of the seed, all strings. */
export const SessionSummarySchema = z.looseObject({
  /** The row id as a string of digits (`"4038"`). */
  cart_id: z.string().regex(ROW_ID),
  cart_key: z.string(),
  customers_name: z.string(),
  customers_email: z.string(),
  cart_created: ApiDateString,
  cart_expiry: ApiDateString,
  /** `"woocommerce"` or `"cocart"`; other strings are kept as given. */
  cart_source: z.string(),
  /** Absolute URL of `GET /session/<cart_key>`. */
  link: z.string(),
});

/** One session of the list. */
export type SessionSummary = z.output<typeof SessionSummarySchema>;

/**
 * True when {@link SessionSummarySchema} accepts `x` (a test holds the two to the same answers), at a
 * fraction of the cost and without copying `x`: for checking a list of a million sessions one by one.
 * The schema stays the one that says what is wrong (its issues) once this says something is.
 */
export function isSessionSummary(x: unknown): x is SessionSummary {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const s = x as Record<string, unknown>;
  const { cart_id, cart_created, cart_expiry } = s;
  return (
    typeof cart_id === 'string' &&
    ROW_ID.test(cart_id) &&
    typeof s.cart_key === 'string' &&
    typeof s.customers_name === 'string' &&
    typeof s.customers_email === 'string' &&
    typeof cart_created === 'string' &&
    API_DATE.test(cart_created) &&
    typeof cart_expiry === 'string' &&
    API_DATE.test(cart_expiry) &&
    typeof s.cart_source === 'string' &&
    typeof s.link === 'string'
  );
}
