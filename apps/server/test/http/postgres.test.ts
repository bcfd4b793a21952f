import { describe, it } from 'vitest';
import { defineHttpSuite } from './api-suite.js';
import { PG_URL, postgresForTests } from './harness.js';

const reachable = await postgresForTests();

if (reachable) {
  defineHttpSuite('postgres');
} else {
  describe('HTTP API on postgres', () => {
    it.skip(`skipped: PostgreSQL unreachable at ${PG_URL}`, () => {});
  });
}
