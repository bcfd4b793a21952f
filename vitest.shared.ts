import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/** The vitest setup of every package: sources through the `source` condition, counts for scripts/test.sh. */
export function packageTestConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  const base = defineConfig({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results.json' },
    },
  });
  return mergeConfig(base, overrides);
}
