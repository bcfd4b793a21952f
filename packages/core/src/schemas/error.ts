import * as z from 'zod';

/** The WordPress REST error envelope: `{ code, message, data: { status, ... } }`. */
export const WpErrorSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  data: z.looseObject({ status: z.number().int() }),
});

/** A WordPress REST error body. */
export type WpError = z.output<typeof WpErrorSchema>;
