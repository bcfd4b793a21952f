import { createClient } from '@cocart-sessions/client';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../src/errors.js';
import type { ListFeed } from '../src/list-feed/list-feed.js';
import { createListService, type ListStatus } from '../src/list-feed/list-service.js';
import { streamSessions } from '../src/list-feed/list-stream.js';
import type { PlainClientOptions } from '../src/list-feed/protocol.js';
import type { ViewQuery } from '../src/list-feed/row-store.js';
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

const BY_ID: ViewQuery = { filter: '', column: 'id', descending: false };

/** Every session of a view, as the worker holds it. */
async function everything(feed: ListFeed, query: ViewQuery = BY_ID) {
  const answer = await feed.window({
    query,
    cursor: 0,
    offset: 0,
    pageSize: 1_000_000,
    margin: 0,
    countsAt: Date.now(),
  });
  return { ...answer, summaries: answer.rows.map((r) => r.summary) };
}

describe('the list worker against the real server', () => {
  it('loads the whole list, answers 304s as unchanged, and takes in a change', async () => {
    await putSessions(server, [
      { key: 'lw_keep', first: 'Lee', last: 'Keep' },
      { key: 'lw_drop', first: 'Lee', last: 'Drop' },
      { key: 'lw_edit', first: 'Lee', last: 'Edit' },
    ]);
    const { feed, options } = start();
    expect(await feed.load()).toMatchObject({ unchanged: false });
    const listed = await createClient(options).sessions.list();
    const first = await everything(feed);
    // Every field of every session, as the client lists them (rebuilt from the worker's columns).
    expect(first.summaries).toEqual(listed.map((s) => ({ ...s })));
    expect([first.size, first.viewLength]).toEqual([listed.length, listed.length]);

    // Nothing changed since: the server answered 304 to the tag the worker holds.
    expect(await feed.load()).toEqual({ unchanged: true });

    await server.store.sessions.deleteSession('lw_drop');
    await putSessions(server, [
      { key: 'lw_edit', first: 'Lee', last: 'Edited' },
      { key: 'lw_new', first: 'Lee', last: 'New' },
    ]);
    expect(await feed.load()).toMatchObject({ unchanged: false });
    const next = await everything(feed);
    expect(next.summaries).toEqual(await createClient(options).sessions.list());
    expect(next.summaries.find((s) => s.cart_key === 'lw_edit')?.customers_name).toBe('Lee Edited');
    expect(next.summaries.some((s) => s.cart_key === 'lw_drop')).toBe(false);
    // Filtered and sorted in the worker.
    const lees = await everything(feed, { filter: 'LEE', column: 'customer', descending: true });
    expect(lees.summaries.map((s) => s.customers_name)).toEqual(['Lee New', 'Lee Keep', 'Lee Edited']);
  });

  it('reads a big list as it streams, telling its progress, and the view takes every session', async () => {
    const many = Array.from({ length: 4_500 }, (_, i) => ({ key: `lw_many_${i}`, first: `Many ${i}` }));
    await putSessions(server, many);
    const { feed, options } = start();
    const heard: ListStatus[] = [];
    feed.onStatus((s) => heard.push(s));
    await feed.load();
    const listed = await createClient(options).sessions.list();
    expect(listed.length).toBeGreaterThan(4_500);
    expect((await everything(feed)).summaries).toEqual(listed);
    expect(heard.at(-1)).toMatchObject({ loading: false, size: listed.length });
    // The last window of the view, as `G` asks for it.
    const end = await feed.window({
      query: BY_ID,
      cursor: listed.length - 1,
      offset: 0,
      pageSize: 20,
      margin: 40,
      countsAt: Date.now(),
    });
    expect(end.cursor).toBe(listed.length - 1);
    expect(end.offset).toBe(listed.length - 20);
    expect(end.rows.at(-1)?.summary).toEqual(listed.at(-1));
    expect(end.rows).toHaveLength(60);
  });

  it('reads the list again by its runs: only the runs that changed are parsed', async () => {
    // Keys ending in 00 end a run (their link ends with the key).
    await putSessions(
      server,
      Array.from({ length: 3_000 }, (_, i) => ({ key: `lw_run_${i}`, first: `Run ${i}` })),
    );
    const { options } = start();
    let parsed = 0;
    const service = createListService(
      (opts) =>
        streamSessions(createClient(options), options, {
          ...opts,
          onBatch: (batch, digest) => {
            parsed += batch.count;
            return opts.onBatch(batch, digest);
          },
        }),
      () => {},
    );
    const client = createClient(options);
    const whole = async () =>
      (
        await service.window({ query: BY_ID, cursor: 0, offset: 0, pageSize: 1e6, margin: 0, countsAt: 0 })
      ).rows.map((r) => r.summary);
    await service.load();
    const first = await client.sessions.list();
    expect(parsed).toBe(first.length);
    expect(await whole()).toEqual(first);
    // The first load is not digested: the first that reads the list again parses it all, and
    // digests its runs.
    await putSessions(server, [{ key: 'lw_run_3', first: 'Run', last: 'Three' }]);
    parsed = 0;
    await service.load();
    expect(parsed).toBe(first.length);

    await server.store.sessions.deleteSession('lw_run_1234');
    await putSessions(server, [
      { key: 'lw_run_2222', first: 'Run', last: 'Renamed' },
      { key: 'lw_run_added', first: 'Run', last: 'Added' },
    ]);
    parsed = 0;
    expect(await service.load()).toMatchObject({ unchanged: false });
    const next = await client.sessions.list();
    expect(next).toHaveLength(first.length);
    expect(await whole()).toEqual(next);
    expect(next.find((s) => s.cart_key === 'lw_run_2222')?.customers_name).toBe('Run Renamed');
    // The runs around the three changes, not the thousands of sessions that stayed as they were.
    expect(parsed).toBeGreaterThan(0);
    expect(parsed).toBeLessThan(first.length / 4);

    // A session deleted here (the TUI's `d`) is listed again by nobody: its run is read afresh.
    await server.store.sessions.deleteSession('lw_run_500');
    await service.remove(['lw_run_500']);
    await service.load();
    expect(await whole()).toEqual(await client.sessions.list());
  });

  it('says what the screen said in-thread when the load fails', async () => {
    const { feed, options } = start('wrong password');
    const inThread = await createClient(options)
      .sessions.list()
      .catch((e: unknown) => describeError(e, { url: server.url }));
    await expect(feed.load()).rejects.toMatchObject({
      message: (inThread as Error).message,
      exitCode: 3,
    });
    expect((inThread as Error).message).toContain('Check the credentials');
  });

  it('fails its loads once closed', async () => {
    const { feed } = start();
    await feed.close();
    await expect(feed.load()).rejects.toThrow('closed');
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
