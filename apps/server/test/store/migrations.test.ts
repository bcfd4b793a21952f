import { describe, expect, it } from 'vitest';
import { postgresMigrations } from '../../src/store/postgres/migrations.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations.js';

// Step 1 is shipped: its text must never change. Its role CHECK is built from the core's ROLES, so a
// new role needs a new step (replacing the constraint) and only then an update of this list.
const SHIPPED_ROLE_CHECK = "CHECK (role IN ('administrator', 'shop_manager', 'customer'))";

describe('shipped migrations', () => {
  it.each([
    ['sqlite', sqliteMigrations],
    ['postgres', postgresMigrations],
  ] as const)('%s step 1 keeps the role CHECK it shipped with', (_kind, steps) => {
    const first = steps.find((m) => m.version === 1);
    expect(first?.sql).toContain(
      `role ${_kind === 'sqlite' ? 'TEXT' : 'text'} NOT NULL ${SHIPPED_ROLE_CHECK},`,
    );
  });
});
