import * as z from 'zod';

/** `DELETE /session/<key>`: a JSON string ("Cart successfully deleted!" in 3.x, "Session successfully deleted!" in 4.x). */
export const DeleteResponseSchema = z.string();

/** The delete answer. */
export type DeleteResponse = z.output<typeof DeleteResponseSchema>;
