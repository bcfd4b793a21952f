// The process's side of the CLI: its streams and exit. What each command does is in commands.ts,
// which loads what a command needs only when it runs.
import { runCli } from './commands.js';

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
