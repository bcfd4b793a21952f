#!/usr/bin/env node
// The bin `cocart-sessions`: the process's side of the CLI (its streams, compile cache and exit). What
// each command does is in cli/commands.ts, which loads no Ink or React: the browser loads them itself.
import { enableCompileCache } from 'node:module';
import { runCli } from './cli/commands.js';

// V8 keeps the code it compiles for what loads from here on (Ink, React, the screens) in the OS temp
// directory, so later launches skip compiling it: the first rows come that much sooner.
enableCompileCache();
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // The reader went away (`list --json | head`): stop quietly, as Unix tools do.
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
// Idle keep-alive sockets and the TTY's stdin can hold the event loop open for seconds after the UI
// is gone; writes to a TTY are synchronous, so exiting now loses nothing. Pipes drain and exit alone.
if (process.stdout.isTTY) process.exit(code);
