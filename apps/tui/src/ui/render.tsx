import { render } from 'ink';
import { App, type AppProps } from './app.js';

/** How long Ink may take to restore the terminal after `q` before the CLI moves on. */
const UNMOUNT_GRACE_MS = 300;

/** Renders the full-screen TUI on the given streams and resolves with the exit code it asks for. */
export async function runInteractive(
  props: AppProps,
  streams: { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream; stderr: NodeJS.WriteStream },
): Promise<number> {
  let quit: (code: number) => void = () => {};
  const quitting = new Promise<number>((resolve) => {
    quit = (code) => setTimeout(() => resolve(code), UNMOUNT_GRACE_MS).unref();
  });
  const instance = render(<App {...props} onQuit={(code) => quit(code)} />, {
    ...streams,
    alternateScreen: true,
    exitOnCtrlC: true,
    // The CLI only gets here with a terminal on stdout; Ink's own CI detection (CI=true) would
    // otherwise print nothing until exit.
    interactive: true,
    // Ink draws at most once per 1000/maxFps ms and holds later changes until then: at its default
    // (30) a key pressed just after another redraw (a load's progress, a tick) waited up to 33 ms more.
    maxFps: 60,
  });
  // Ink's exit promise waits on a stdout write barrier that, on a pty, sometimes never settles.
  const result = await Promise.race([instance.waitUntilExit(), quitting]);
  if (streams.stdin.isTTY) streams.stdin.setRawMode?.(false);
  streams.stdin.pause();
  streams.stdin.unref?.();
  return typeof result === 'number' ? result : 0;
}
