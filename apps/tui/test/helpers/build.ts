import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary the e2e tests run. */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Builds the binary and the packages it imports at run time (dist/ of core and client), so that a plain
 * `vitest run` tests the current sources. Under turbo (which sets TURBO_HASH on every task) the test
 * task's `dependsOn: ["build"]` has already built all three: building again would only repeat it.
 */
export function buildCli(): void {
  if (process.env.TURBO_HASH) return;
  execFileSync(
    'pnpm',
    [
      '--filter',
      '@cocart-sessions/core',
      '--filter',
      '@cocart-sessions/client',
      '--filter',
      '@cocart-sessions/tui',
      'run',
      'build',
    ],
    { cwd: repoRoot, stdio: 'pipe', timeout: 120_000 },
  );
}
