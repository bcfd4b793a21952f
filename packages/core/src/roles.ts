/** Every role a user may have, as WordPress names them. */
export const ROLES = ['administrator', 'shop_manager', 'customer'] as const;

/** A value of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** Roles that may use the Sessions API, as in the plugin. */
export const STAFF_ROLES: readonly Role[] = ['administrator', 'shop_manager'];
