/** Different items (lines) one cart may hold; adding another is `403 cocart_cannot_add_to_cart`. */
export const MAX_CART_LINES = 50;

/** Largest quantity of one line; more is `405 cocart_quantity_invalid_amount`, as the plugin's maximum. */
export const MAX_LINE_QUANTITY = 999;

/** Entries of `variation` or `item_data` in one request (each part of the item key). */
export const MAX_ITEM_ATTRIBUTES = 16;

/** The plugin's default cart lifetime: a write sets the expiry this far ahead. */
export const CART_LIFETIME_SECONDS = 7 * 86_400;

/** The plugin's `cocart_cart_expiring`: a cart "starts to expire" this long before its expiry. */
export const CART_EXPIRING_BEFORE_SECONDS = 86_400;
