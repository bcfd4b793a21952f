import * as z from 'zod';

/** What `DELETE /session/<key>` answers on CoCart 3.x (and our server). */
export const CART_DELETED_MESSAGE = 'Cart successfully deleted!';

/** `DELETE /session/<key>`: a JSON string ("Cart successfully deleted!" in 3.x, "Session successfully deleted!" in 4.x). */
export const DeleteResponseSchema = z.string();

/** The delete answer. */
export type DeleteResponse = z.output<typeof DeleteResponseSchema>;
