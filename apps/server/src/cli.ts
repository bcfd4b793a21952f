#!/usr/bin/env node
import { runCli } from './commands.js';

// Until the command settles: an event loop that empties before (a lost await) must not look like success.
process.exitCode = 70;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // The reader went away (`export | head`): stop quietly, as Unix tools do.
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
