import type { Connected } from './connection.js';
import { preferProductionReact } from './env.js';
import type { CliIo } from './io.js';

/** What the flags and environment say about the interactive browser. */
export interface InteractiveOptions {
  readOnly: boolean;
  /** Auto-refresh period in seconds (--watch). */
  watch: number | undefined;
  color: boolean;
}

/**
 * Runs the full-screen browser on `store` and resolves with its exit code. Everything it needs beyond
 * the CLI is imported here, when it runs, so that scripts never pay for React and Ink.
 */
export async function runInteractiveCli(
  store: Connected,
  options: InteractiveOptions,
  io: CliIo,
): Promise<number> {
  preferProductionReact(io.env);
  // The full list is fetched, parsed and held in a worker thread with a client of its own.
  const [{ startListWorker }, { deferredFeed, FIRST_PAGE_SIZE }, { firstPageOf }, { createClient }] =
    await Promise.all([
      import('../list-feed/worker-feed.js'),
      import('../list-feed/list-feed.js'),
      import('../list-feed/list-stream.js'),
      import('@cocart-sessions/client'),
    ]);
  // The first page is asked for now, while React and Ink load; the list's load reports failures.
  const firstPage = firstPageOf(createClient(store.options).apiUrl, store.options, FIRST_PAGE_SIZE);
  // The worker starts once the page has answered (see deferredFeed).
  const start = (page?: { total: number }) =>
    startListWorker({ client: store.options, url: store.url, sizeHint: page?.total });
  const listFeed = deferredFeed(firstPage.then(start, () => start()));
  try {
    // Loaded only now, so NODE_ENV is set before React loads.
    const { runInteractive } = await import('../ui/render.js');
    return await runInteractive(
      {
        source: store.sessions,
        listFeed,
        firstPage,
        url: store.url,
        ...options,
        exportDir: process.cwd(),
      },
      { stdout: io.stdout, stdin: io.stdin, stderr: io.stderr },
    );
  } finally {
    await listFeed.close();
  }
}
