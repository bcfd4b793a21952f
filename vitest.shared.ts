import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

const INCLUDE = ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'];

/**
 * The vitest setup of every package: sources through the `source` condition, counts for scripts/test.sh.
 * `alone` names test files that time answers against a bound: they run one at a time after every other
 * file has finished, so that they measure the code and not the other test files sharing the cores.
 */
export function packageTestConfig(overrides: ViteUserConfig = {}, alone: string[] = []): ViteUserConfig {
  const base = defineConfig({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results.json' },
      ...(alone.length === 0
        ? { include: INCLUDE }
        : {
            projects: [
              {
                extends: true,
                test: { name: 'parallel', include: INCLUDE, exclude: alone, sequence: { groupOrder: 0 } },
              },
              {
                extends: true,
                test: { name: 'alone', include: alone, fileParallelism: false, sequence: { groupOrder: 1 } },
              },
            ],
          }),
    },
  });
  return mergeConfig(base, overrides);
}
