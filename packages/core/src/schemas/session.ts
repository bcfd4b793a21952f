import * as z from 'zod';

/** `MM/DD/YYYY HH:mm:ss` (UTC), the plugin's `gmdate('m/d/Y H:i:s')`. */
const ApiDateString = z.string().regex(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);

/** One entry of `GET /sessions`: the 8 fields of the seed, all strings. */
export const SessionSummarySchema = z.looseObject({
  /** The row id as a string of digits (`"4038"`). */
  cart_id: z.string().regex(/^\d+$/),
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
