import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real pseudo-terminal through tmux on a private socket: start a command at a fixed size,
 * send keys, read the screen as text. node-pty cannot build here; tmux gives the same thing.
 */
export class TmuxTerminal {
  readonly socket = `cocart-tui-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private started = false;
  /** The program's exit status lands in this file (tmux's own pane status is not always reported). */
  private readonly dir = mkdtempSync(join(tmpdir(), 'cocart-tui-pty-'));
  private readonly statusFile = join(this.dir, 'status');

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      env: { ...process.env, TERM: 'xterm-256color' },
      timeout: 10_000,
    });
  }

  /** Starts `argv` in an 80x24 (by default) terminal, with `env` added to the environment. */
  start(argv: string[], env: Record<string, string> = {}, size = { columns: 80, rows: 24 }): void {
    const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    const envPart = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
    const program = ['env', ...envPart, ...argv.map(quote)].join(' ');
    // The shell stays a while after the program: its pane, and so its last screen, outlive a program
    // that exits at once, whether or not tmux applied remain-on-exit in time (it did not, once, in CI).
    const command = `${program}; echo $? > ${quote(this.statusFile)}; sleep 60`;
    // Keep the pane after the program exits so that its last screen can be read. Set before the
    // session starts: a program that exits at once would otherwise take its pane, and its output, along.
    this.tmux(
      'start-server',
      ';',
      'set-option',
      '-g',
      'remain-on-exit',
      'on',
      ';',
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(size.columns),
      '-y',
      String(size.rows),
      command,
    );
    this.started = true;
  }

  /** Named keys in tmux's words: Enter, Escape, Down, Up, PageDown, ... */
  keys(...names: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...names);
  }

  /** Types text literally. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /** The visible screen, one string per row, trailing spaces removed. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n');
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
  }

  /** Waits until `pred` holds for the screen; fails with the screen after `timeoutMs`. */
  async waitFor(pred: string | RegExp | ((s: string) => boolean), timeoutMs = 20_000): Promise<string> {
    const test =
      typeof pred === 'string'
        ? (s: string) => s.includes(pred)
        : pred instanceof RegExp
          ? (s: string) => pred.test(s)
          : pred;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(pred)}; screen:\n${s}`);
      await sleep(50);
    }
  }

  /** The exit status once the program has ended, or undefined while it runs. */
  exitStatus(): number | undefined {
    try {
      const text = readFileSync(this.statusFile, 'utf8').trim();
      return text === '' ? undefined : Number(text);
    } catch {
      return undefined;
    }
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.exitStatus();
      if (status !== undefined) return status;
      if (Date.now() > deadline) throw new Error(`Program did not exit; screen:\n${this.screen()}`);
      await sleep(50);
    }
  }

  /** Kills the tmux server of this terminal and everything in it. */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
    if (!this.started) return;
    this.started = false;
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
