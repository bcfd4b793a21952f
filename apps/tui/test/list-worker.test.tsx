import { createClient } from '@cocart-sessions/client';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../src/errors.js';
import { applyDelta } from '../src/list-feed/list-delta.js';
import type { ListFeed, ListUpdate } from '../src/list-feed/list-feed.js';
import type { PlainClientOptions } from '../src/list-feed/protocol.js';
import type { SessionRow } from '../src/sessions/session-row.js';
import { App } from '../src/ui/app.js';
import { buildCli } from './helpers/build.js';
import { waitForFrame, waitForText } from './helpers/ink.js';
import { ADMIN, putSessions, startTestServer, type TestServer } from './helpers/server.js';

// The worker runs the built files (dist/list-feed/list-worker.js beside worker-feed.js), as the CLI does.
type WorkerFeedModule = typeof import('../src/list-feed/worker-feed.js');
const distFeed = new URL('../dist/list-feed/worker-feed.js', import.meta.url).href;

let server: TestServer;
let startListWorker: WorkerFeedModule['startListWorker'];
const feeds: ListFeed[] = [];

beforeAll(async () => {
  buildCli();
  ({ startListWorker } = (await import(distFeed)) as WorkerFeedModule);
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await Promise.all(feeds.map((f) => f.close()));
  await server?.stop();
});

function start(password = ADMIN.password, url = server.url): { feed: ListFeed; options: PlainClientOptions } {
  const options: PlainClientOptions = {
    url,
    auth: { username: ADMIN.login, password },
    retry: 0,
    timeout: 5000,
  };
  const feed = startListWorker({ client: options, url });
  feeds.push(feed);
  return { feed, options };
}

const changed = (u: ListUpdate) => {
  if (u.unchanged) throw new Error('expected a changed list');
  return u;
};

describe('the list worker against the real server', () => {
  it('loads the whole list, then answers 304s as unchanged and a change as a delta the rows take in', async () => {
    await putSessions(server, [
      { key: 'lw_keep', first: 'Lee', last: 'Keep' },
      { key: 'lw_drop', first: 'Lee', last: 'Drop' },
      { key: 'lw_edit', first: 'Lee', last: 'Edit' },
    ]);
    const { feed, options } = start();
    const progress: number[] = [];
    const first = changed(await feed.load({ base: -1, onProgress: (p) => progress.push(p.loaded) }));
    const listed = await createClient(options).sessions.list();
    expect(first.full).toBe(true);
    expect(first.removed).toEqual([]);
    expect(first.upserted.map((r) => r.summary)).toEqual(listed);
    let rows = (await applyDelta([], first)) as SessionRow[];
    expect(rows.map((r) => r.key)).toEqual(listed.map((s) => s.cart_key));

    // Nothing changed since: the server answered 304 to the tag the worker holds.
    expect(await feed.load({ base: first.version })).toEqual({ unchanged: true });

    await server.store.sessions.deleteSession('lw_drop');
    await putSessions(server, [
      { key: 'lw_edit', first: 'Lee', last: 'Edited' },
      { key: 'lw_new', first: 'Lee', last: 'New' },
    ]);
    const next = changed(await feed.load({ base: first.version }));
    expect(next.full).toBe(false);
    expect(next.version).toBeGreaterThan(first.version);
    expect(next.removed).toEqual(['lw_drop']);
    expect(next.upserted.map((r) => [r.key, r.summary.customers_name]).sort()).toEqual([
      ['lw_edit', 'Lee Edited'],
      ['lw_new', 'Lee New'],
    ]);
    const kept = rows.find((r) => r.key === 'lw_keep');
    rows = (await applyDelta(rows, next)) as SessionRow[];
    expect(rows.map((r) => r.key)).toEqual(
      (await createClient(options).sessions.list()).map((s) => s.cart_key),
    );
    expect(rows.find((r) => r.key === 'lw_keep')).toBe(kept);

    // A caller that holds another version gets the whole list again.
    const again = changed(await feed.load({ base: first.version }));
    expect([again.full, again.upserted.length, again.removed]).toEqual([true, rows.length, []]);
  });

  it('sends a big list in chunks that add up to the whole list, and reports progress', async () => {
    const many = Array.from({ length: 4_500 }, (_, i) => ({ key: `lw_many_${i}`, first: `Many ${i}` }));
    await putSessions(server, many);
    const { feed, options } = start();
    const progress: number[] = [];
    const update = changed(await feed.load({ base: -1, onProgress: (p) => progress.push(p.loaded) }));
    const listed = await createClient(options).sessions.list();
    expect(listed.length).toBeGreaterThan(4_500);
    expect(update.upserted.map((r) => r.summary)).toEqual(listed);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('says what the screen said in-thread when the load fails', async () => {
    const { feed, options } = start('wrong password');
    const inThread = await createClient(options)
      .sessions.list()
      .catch((e: unknown) => describeError(e, { url: server.url }));
    await expect(feed.load({ base: -1 })).rejects.toMatchObject({
      message: (inThread as Error).message,
      exitCode: 3,
    });
    expect((inThread as Error).message).toContain('Check the credentials');
  });

  it('fails its loads once closed', async () => {
    const { feed } = start();
    await feed.close();
    await expect(feed.load({ base: -1 })).rejects.toThrow('closed');
  });

  it('brings a deletion made elsewhere to the App on --watch, the cursor kept on its cart', async () => {
    // A store of its own that fits in the first page (ink-testing-library's stdout never reports a
    // frame as written, which the App waits for before loading a longer list): every full list of
    // this App, the first refresh's and the one after the deletion, comes through the worker.
    const small = await startTestServer([
      { key: 'lw_app_a', first: 'Ada', last: 'Watch' },
      { key: 'lw_app_b', first: 'Bea', last: 'Watch' },
      { key: 'lw_app_c', first: 'Cal', last: 'Watch' },
    ]);
    const { feed, options } = start(ADMIN.password, small.url);
    const client = createClient(options);
    const app = render(
      <App
        source={client.sessions}
        listFeed={feed}
        url={small.url}
        watch={0.2}
        size={{ columns: 100, rows: 30 }}
      />,
    );
    try {
      await waitForText(app.lastFrame, '3 sessions');
      app.stdin.write('G');
      await waitForFrame(app.lastFrame, (f) => /^› lw_app_c/m.test(f));
      await client.sessions.delete('lw_app_b');
      const f = await waitForFrame(app.lastFrame, (x) => !x.includes('lw_app_b'));
      expect(f).toMatch(/^› lw_app_c\s+Cal Watch/m);
      expect(f).toContain('lw_app_a');
      expect(f).toContain('2 sessions');
    } finally {
      app.unmount();
      await small.stop();
    }
  });
});
