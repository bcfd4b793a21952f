import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The packaging tests (consumer install, release rehearsal): slow, networked to the npm registry, one at a time. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 420_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
