import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server.js';
import { basic, buildServerCli, serverCli, tempDatabase } from './http/harness.js';

// Issue 22, item 9: `users add` read the password from a terminal with echo on, so it stood on the
// screen (and in any screen recording or shared session). Tried in a real terminal (tmux).

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasTmux && process.env.CI) throw new Error('tmux is missing (CI is set): .ci/run installs it.');

describe.runIf(hasTmux)('the server CLI asks for a password without echo', () => {
  const db = tempDatabase('sqlite');
  const socket = `cocart-server-pw-${process.pid}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', timeout: 10_000 });
  const screen = () => tmux('capture-pane', '-p', '-t', 'main');
  const until = async (predicate: (text: string) => boolean) => {
    for (let i = 0; i < 200 && !predicate(screen()); i++) await sleep(50);
    return screen();
  };

  beforeAll(() => buildServerCli(), 180_000);
  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {}
    await db.dispose();
  });

  it('users add: the typed password never appears, and it is the one stored', async () => {
    const argv = [
      process.execPath,
      serverCli,
      'users',
      'add',
      'ann',
      '--role',
      'shop_manager',
      '--db',
      db.url,
    ];
    const quoted = argv.map((a) => `'${a}'`).join(' ');
    tmux('new-session', '-d', '-s', 'main', '-x', '100', '-y', '10', `${quoted}; echo "exit=$?"; sleep 30`);
    await until((s) => s.includes('Password:'));
    tmux('send-keys', '-t', 'main', '-l', 'hunter2-typed-secret');
    await sleep(200);
    expect(screen()).not.toContain('hunter2');
    tmux('send-keys', '-t', 'main', 'Enter');
    const after = await until((s) => s.includes('exit='));
    expect(after).toContain('Added shop_manager "ann".');
    expect(after).toContain('exit=0');
    expect(after).not.toContain('hunter2');

    const server = await startServer({ databaseUrl: db.url });
    try {
      const res = await fetch(`${server.url}/wp-json/cocart/v2/sessions`, {
        headers: { Authorization: basic('ann', 'hunter2-typed-secret') },
      });
      // Authenticated as the shop manager: the empty store's answer, not 401.
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('cocart_no_carts_in_session');
    } finally {
      await server.close();
    }
  }, 60_000);
});
