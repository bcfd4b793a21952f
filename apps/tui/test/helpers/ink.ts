import { setTimeout as sleep } from 'node:timers/promises';

/** Escape sequences a terminal sends for the keys the TUI uses. */
export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
} as const;

/** Polls `frame()` until `pred` holds; fails with the last frame after `timeoutMs`. */
export async function waitForFrame(
  frame: () => string | undefined,
  pred: (f: string) => boolean,
  timeoutMs = 8000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = frame() ?? '';
    if (pred(f)) return f;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the screen; last frame:\n${f}`);
    await sleep(15);
  }
}

/** Waits until `text` is on screen. */
export const waitForText = (frame: () => string | undefined, text: string, timeoutMs?: number) =>
  waitForFrame(frame, (f) => f.includes(text), timeoutMs);

/** Writes keys one at a time, leaving Ink time to parse each (a lone Esc waits 20 ms). */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    stdin.write(key);
    await sleep(key === KEYS.escape ? 60 : 25);
  }
}
