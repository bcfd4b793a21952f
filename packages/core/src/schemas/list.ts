import * as z from 'zod';
import { SessionSummarySchema } from './session.js';

/** `GET /sessions` as CoCart 3.x (the seed) answers: a bare array of summaries. */
export const SessionListV3Schema = z.array(SessionSummarySchema);

/** The 3.x list. */
export type SessionListV3 = z.output<typeof SessionListV3Schema>;

/** `GET /sessions` as CoCart 4.x answers: a page object. */
export const SessionListV4Schema = z.looseObject({
  sessions: z.array(SessionSummarySchema),
  page: z.number().int(),
  total_pages: z.number().int(),
  total_sessions: z.number().int(),
  prev: z.string().optional(),
  next: z.string().optional(),
});

/** The 4.x list. */
export type SessionListV4 = z.output<typeof SessionListV4Schema>;

/** `GET /sessions` in either generation's form. */
export const SessionListSchema = z.union([SessionListV3Schema, SessionListV4Schema]);

/** Either list form. */
export type SessionList = z.output<typeof SessionListSchema>;
