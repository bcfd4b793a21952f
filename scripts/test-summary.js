// Adds up the vitest results of every package and of the packaging tests into one closing line.
import { existsSync, readFileSync } from 'node:fs';

const packages = [
  'packages/core',
  'packages/client',
  'e2e/client',
  'apps/server',
  'apps/tui',
  'scripts/packaging',
];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of packages) {
  const file = new URL(`../${dir}/test-results.json`, import.meta.url);
  if (!existsSync(file)) {
    console.error(`test-summary: no results from ${dir}`);
    process.exitCode = 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  console.log(`${dir}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
