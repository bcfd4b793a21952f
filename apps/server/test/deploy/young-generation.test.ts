import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEMI_SPACE_MB, youngGenerationSized } from '../../src/young-generation.js';
import { buildServerCli, tempDatabase } from '../http/harness.js';
import { type ServedProcess, serveProcess, waitFor } from './deploy-harness.js';

const FLAG = `--max-semi-space-size=${SEMI_SPACE_MB}`;
// /proc shows what a process was started with; process.execve is Node 22.15+ and POSIX only.
const observable = process.platform === 'linux' && typeof process.execve === 'function';
const commandLine = (pid: number): string[] =>
  readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

describe('the young generation a user did not size', () => {
  it('is sized when a flag or NODE_OPTIONS names it, in either spelling, and not otherwise', () => {
    expect(youngGenerationSized([], '')).toBe(false);
    expect(youngGenerationSized(['--inspect'], '--enable-source-maps --max-old-space-size=4096')).toBe(false);
    expect(youngGenerationSized(['--max-semi-space-size=8'], '')).toBe(true);
    expect(youngGenerationSized([], '--trace-gc  --max_semi_space_size=32')).toBe(true);
    expect(youngGenerationSized([], '--max-heap-size=512')).toBe(true);
    expect(youngGenerationSized(['--min-semi-space-size=4'], '')).toBe(true);
  });
});

describe.runIf(observable)('serve caps the young generation of its process', () => {
  const db = tempDatabase('sqlite');
  const started: ServedProcess[] = [];

  beforeAll(() => buildServerCli(), 180_000);
  afterAll(async () => {
    for (const s of started) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await db.dispose();
  });

  const serve = async (args: string[] = [], env: Record<string, string> = {}) => {
    const s = await serveProcess(db.url, { args, env });
    started.push(s);
    return s;
  };

  it('replaces itself, same pid, with the cap before its flags and arguments; SIGTERM still stops it with 0', async () => {
    const s = await serve(['--log-level', 'warn']);
    const argv = commandLine(s.child.pid!);
    expect(argv[1]).toBe(FLAG);
    expect(argv.slice(2, 4)).toEqual([expect.stringMatching(/dist\/cli\.js$/), 'serve']);
    expect(argv).toContain('warn');
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it("leaves the user's own choice alone", async () => {
    const s = await serve([], { NODE_OPTIONS: '--max-semi-space-size=8' });
    expect(commandLine(s.child.pid!)).not.toContain(FLAG);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('gives the cap to every worker of serve --workers 2', { timeout: 30_000 }, async () => {
    const s = await serve(['--workers', '2', '--log-level', 'info']);
    const workers = () =>
      s
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; pid?: number })
        .filter((l) => l.msg === 'listening' && l.pid !== undefined && l.pid !== s.child.pid)
        .map((l) => l.pid!);
    await waitFor(() => workers().length === 2);
    for (const pid of workers()) expect(commandLine(pid)).toContain(FLAG);
  });
});
