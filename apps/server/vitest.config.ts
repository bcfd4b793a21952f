import { packageTestConfig } from '../../vitest.shared.ts';

// Two test files at a time: most of their time is spent waiting on the servers, databases and child
// processes they start (vitest's default here ran one at a time). A login from another address
// during a burst of guesses must take under 0.5 s: timed alone.
export default packageTestConfig({ test: { maxWorkers: 2 } }, ['test/deploy/throttle-burst.test.ts']);
