import { describe, it } from 'vitest';
import { defineHttpSuite } from './api-suite.js';
import { PG_URL, postgresReachable } from './harness.js';

const reachable = await postgresReachable();
if (!reachable && process.env.CI) throw new Error(`PostgreSQL is unreachable at ${PG_URL} (CI is set).`);

if (reachable) {
  defineHttpSuite('postgres');
} else {
  describe('HTTP API on postgres', () => {
    it.skip(`skipped: PostgreSQL unreachable at ${PG_URL}`, () => {});
  });
}
