import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The packaging tests (consumer install, release rehearsal): slow, and networked to the npm registry. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['*.test.ts'],
    // The two files wait on the network (npm, the local registry's uplink) much of the time: overlap them.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 420_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
