import { packageTestConfig } from '../../vitest.shared.ts';

// Two test files at a time: most of their time is spent waiting on the servers, databases and child
// processes they start (vitest's default here ran one at a time), so a test gets more room than
// vitest's 5 s. The files that answer against a time bound run alone, after the others: a login
// from another address during a burst of guesses (under 0.5 s), and revocation across processes
// (within 1 s, each test several CLI runs and password hashes).
export default packageTestConfig({ test: { maxWorkers: 2, testTimeout: 20_000 } }, [
  'test/deploy/throttle-burst.test.ts',
  'test/deploy/revocation.test.ts',
]);
