import { packageTestConfig } from '../../vitest.shared.ts';

// A login from another address during a burst of guesses must take under 0.5 s: timed alone.
export default packageTestConfig({}, ['test/deploy/throttle-burst.test.ts']);
