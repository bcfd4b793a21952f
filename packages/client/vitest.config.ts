import { packageTestConfig } from '../../vitest.shared.ts';

// The event-loop stall test (test/big-lists.test.ts) times the client against a bound, so it runs
// alone. Its worst stall is V8's scavenge of the young generation full of kept sessions, whose length
// follows the young generation's size, which the host sets: Node 24 on a machine with much memory
// grows it to 64 MB semi-spaces, and the README recommends 16 MB (about a browser's) to keep the
// pauses short.
export default packageTestConfig({ test: { execArgv: ['--max-semi-space-size=16'] } }, [
  'test/big-lists.test.ts',
]);
