import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig({
  // The e2e tests start servers and a binary in a pty: give them room.
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
});
