import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@cocart-sessions/client';
import { type Cart, formatMoney, parseCartTotal } from '@cocart-sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI } from './helpers/build.js';
import { ADMIN, startTestServer, type TestServer } from './helpers/server.js';
import { TmuxTerminal } from './helpers/tmux.js';

// The pty tests need tmux; without it they are skipped with a message, except on CI where they must run.
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI) throw new Error('tmux is required for the pseudo-terminal tests on CI');
if (!hasTmux) console.warn('tmux not found: skipping the cart API pseudo-terminal test of cocart-sessions');

let server: TestServer;
const noProfiles = mkdtempSync(join(tmpdir(), 'cocart-tui-xdg-'));
beforeAll(async () => {
  buildCli();
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(noProfiles, { recursive: true, force: true });
});

/** The binary's environment: the test server's admin, no saved profile, nothing else of ours. */
function env(): Record<string, string> {
  return {
    XDG_CONFIG_HOME: noProfiles,
    COCART_URL: server.url,
    COCART_USERNAME: ADMIN.login,
    COCART_PASSWORD: ADMIN.password,
  };
}

/** The cart's total as the TUI's `Total` line shows it. */
const totalLine = (cart: Cart) =>
  new RegExp(
    `^\\s*Total\\s+${formatMoney(parseCartTotal(cart.totals.total), cart.currency).replace(/[.$]/g, '\\$&')}\\s*$`,
    'm',
  );

describe.runIf(hasTmux)('the TUI under --watch and the cart API', () => {
  it('shows a cart a storefront creates, and its new total once an item is added', async () => {
    const t = new TmuxTerminal();
    try {
      t.start([process.execPath, CLI, '--watch', '1'], env(), { columns: 100, rows: 60 });
      await t.waitFor('Clark Kent');
      // A storefront, without credentials: a new cart of 2 T-shirts (product 101 of the demo catalog).
      const shop = createClient({ url: server.url });
      const { cartKey, cart } = await shop.cart.addItem({ id: 101, quantity: 2 });
      await shop.cart.updateCustomer(cartKey, { first_name: 'Watched', last_name: 'Shopper' });
      // No key pressed: the watch refresh brings the new row.
      await t.waitFor('Watched Shopper', 10_000);
      // The newest cart_id is the last row; open it.
      t.type('G');
      await t.waitFor((s) => /^›.*Watched Shopper/m.test(s));
      t.keys('Enter');
      await t.waitFor(totalLine(cart));
      const { cart: grown } = await shop.cart.addItem({ id: 104, quantity: 1 }, { cartKey });
      expect(parseCartTotal(grown.totals.total)).toBeGreaterThan(parseCartTotal(cart.totals.total));
      // Back to the list, and the cart again: the new total.
      t.keys('Escape');
      await t.waitFor('Watched Shopper');
      t.keys('Enter');
      const screen = await t.waitFor(totalLine(grown));
      expect(screen).not.toMatch(totalLine(cart));
      expect(screen).toContain('Ceramic Coffee Mug');
      t.type('q');
      expect(await t.waitForExit()).toBe(0);
    } finally {
      t.close();
    }
  });
});
