import { describe, it } from 'vitest';
import { defineHttpSuite } from '../http/api-suite.js';
import { PG_URL, postgresForTests } from '../http/harness.js';

const reachable = await postgresForTests();

// The whole HTTP contract, answered by two worker processes behind one port.
defineHttpSuite('sqlite', { workers: 2 });
if (reachable) defineHttpSuite('postgres', { workers: 2 });
else {
  describe('HTTP API on postgres with serve --workers 2', () => {
    it.skip(`skipped: PostgreSQL unreachable at ${PG_URL}`, () => {});
  });
}
