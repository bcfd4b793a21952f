import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from './node-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A plain HTTP server on an ephemeral loopback port, answering with `handler`. */
async function serve(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The body of a big answer: long enough to come in many chunks. */
const BIG = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ i, name: `Zoë ${i}` })));

describe('nodeFetch answers as fetch does', () => {
  let main: { server: Server; url: string };
  let other: { server: Server; url: string };
  let stalled: ServerResponse | undefined;
  beforeAll(async () => {
    other = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
    });
    main = await serve((req, res, body) => {
      const path = req.url ?? '/';
      if (path === '/echo') {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-total', '3');
        res.end(
          JSON.stringify({ method: req.method, body, authorization: req.headers.authorization ?? null }),
        );
      } else if (path === '/big') {
        res.setHeader('content-type', 'application/json');
        res.end(BIG);
      } else if (path === '/gzip') {
        res.setHeader('content-encoding', 'gzip');
        res.end(gzipSync(BIG));
      } else if (path === '/redirect') {
        res.statusCode = 302;
        res.setHeader('location', '/echo');
        res.end();
      } else if (path === '/see-other') {
        res.statusCode = 303;
        res.setHeader('location', '/echo');
        res.end();
      } else if (path === '/away') {
        res.statusCode = 307;
        res.setHeader('location', `${other.url}/`);
        res.end();
      } else if (path === '/not-modified') {
        res.statusCode = 304;
        res.end();
      } else if (path === '/stall') {
        res.write('[1,');
        stalled = res;
      } else if (path === '/cut') {
        res.setHeader('content-length', '100');
        res.write('[1,2');
        setTimeout(() => res.socket?.destroy(), 20);
      } else {
        res.statusCode = 404;
        res.end('{"code":"none"}');
      }
    });
  });
  afterAll(async () => {
    stalled?.end();
    await close(main.server);
    await close(other.server);
  });

  /** What a response shows a caller: status, the headers that matter, and the text. */
  async function seen(response: Response) {
    return {
      status: response.status,
      ok: response.ok,
      type: response.headers.get('content-type'),
      total: response.headers.get('x-total'),
      text: await response.text(),
    };
  }

  it('the same status, headers and body as the global fetch, for GET, POST, 404 and a long body', async () => {
    const calls: Array<[string, RequestInit?]> = [
      [`${main.url}/echo`, { headers: { authorization: 'Basic eDp5' } }],
      [
        `${main.url}/echo`,
        { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } },
      ],
      [`${main.url}/missing`],
      [`${main.url}/big`],
      [`${main.url}/gzip`],
    ];
    for (const [url, init] of calls) {
      expect(await seen(await nodeFetch(url, init))).toEqual(await seen(await fetch(url, init)));
    }
    expect(JSON.parse(await (await nodeFetch(`${main.url}/big`)).text())).toHaveLength(20_000);
  });

  it('takes a Request as ky hands it over', async () => {
    const request = new Request(`${main.url}/echo`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer t' },
    });
    expect(await (await nodeFetch(request)).json()).toEqual({
      method: 'DELETE',
      body: '',
      authorization: 'Bearer t',
    });
  });

  it('follows redirects: 302 and 303 as GET, and drops Authorization when one leaves the origin', async () => {
    const auth = { authorization: 'Basic eDp5' };
    expect(await (await nodeFetch(`${main.url}/redirect`, { headers: auth })).json()).toEqual({
      method: 'GET',
      body: '',
      authorization: 'Basic eDp5',
    });
    expect(
      await (await nodeFetch(`${main.url}/see-other`, { method: 'POST', body: 'x', headers: auth })).json(),
    ).toMatchObject({ method: 'GET', body: '' });
    expect(await (await nodeFetch(`${main.url}/away`, { headers: auth })).json()).toEqual({
      authorization: null,
    });
    expect(await (await fetch(`${main.url}/away`, { headers: auth })).json()).toEqual({
      authorization: null,
    });
    const manual = await nodeFetch(`${main.url}/redirect`, { redirect: 'manual' });
    expect([manual.status, manual.headers.get('location')]).toEqual([302, '/echo']);
  });

  it('a 304 has no body', async () => {
    const response = await nodeFetch(`${main.url}/not-modified`);
    expect([response.status, response.body, await response.text()]).toEqual([304, null, '']);
  });

  it('rejects as fetch does when nothing answers: a TypeError whose cause names the failure', async () => {
    const { server, url } = await serve(() => {});
    await close(server);
    const failure = await nodeFetch(`${url}/echo`).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });
    const theirs = await fetch(`${url}/echo`).catch((e: unknown) => e);
    expect((theirs as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('an abort ends the request, and a body being read, with the signal reason', async () => {
    const early = new AbortController();
    early.abort();
    await expect(nodeFetch(`${main.url}/echo`, { signal: early.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const controller = new AbortController();
    const response = await nodeFetch(`${main.url}/stall`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('[1,');
    const pending = reader.read();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a body cut off mid-way fails the read with a TypeError, as fetch reports it', async () => {
    const response = await nodeFetch(`${main.url}/cut`);
    const failure = await response.text().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    const theirs = await (await fetch(`${main.url}/cut`)).text().catch((e: unknown) => e);
    expect(theirs).toBeInstanceOf(TypeError);
  });
});
