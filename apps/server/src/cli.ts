#!/usr/bin/env node
// The bin. It imports the commands only once `serve` has replaced the process (if it does), so the
// server's modules are not loaded twice.
import { execWithSizedYoungGeneration } from './young-generation.js';

if (process.argv[2] === 'serve') execWithSizedYoungGeneration();
// Until the command settles: an event loop that empties before (a lost await) must not look like success.
process.exitCode = 70;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // The reader went away (`export | head`): stop quietly, as Unix tools do.
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { runCli } = await import('./commands.js');
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
