import { ROLES } from '@cocart-sessions/core';

/** One schema step; applied once, in `version` order, and recorded in `schema_migrations`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The `role` column's `CHECK`, built from the core's ROLES so the database accepts exactly the roles
 * the code knows. Changing ROLES changes the text of shipped step 1: add a step that replaces the
 * constraint too (test/store/migrations.test.ts fails until the pinned list is updated with it).
 */
export const ROLE_CHECK = `CHECK (role IN (${ROLES.map((r) => `'${r}'`).join(', ')}))`;
