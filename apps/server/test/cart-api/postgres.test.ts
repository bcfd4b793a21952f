import { describe, it } from 'vitest';
import { PG_URL, postgresForTests } from '../http/harness.js';
import { defineCartApiSuite } from './cart-api-suite.js';

const reachable = await postgresForTests();

if (reachable) {
  defineCartApiSuite('postgres');
} else {
  describe('cart API on postgres', () => {
    it.skip(`skipped: PostgreSQL unreachable at ${PG_URL}`, () => {});
  });
}
