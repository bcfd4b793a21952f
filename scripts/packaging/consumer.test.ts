// The four packages as an npm user gets them: packed by pnpm, installed with plain npm from the
// tarballs into a fresh project outside the workspace, then used from there by import, require, tsc,
// npx and a bundler. Third-party dependencies come from the npm registry, as they would for a user.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  basicAuth,
  outsideEnv,
  run,
  SEED_CART,
  SEED_KEYS,
  type Started,
  seedJsonLines,
  start,
} from './helpers.ts';
import { packAll, repoRoot } from './pack.js';

let work: string;
let project: string;
let server: Started;
let url: string;

const bin = (name: string) => join(project, 'node_modules', '.bin', name);

beforeAll(async () => {
  await run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: repoRoot,
    env: process.env,
  });
  work = mkdtempSync(join(tmpdir(), 'cocart-consumer-'));
  project = join(work, 'project');
  const tarballs = packAll(join(work, 'tarballs'));
  cpSync(join(repoRoot, 'scripts/packaging/consumer'), project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const typesNode = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@types/node/package.json'), 'utf8'));
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...tarballs.map((t) => t.tarball),
      // A Node.js TypeScript project has Node's types; the packages bring every other type they use.
      `@types/node@${typesNode.version}`,
    ],
    { cwd: project, timeout: 240_000 },
  );
  writeFileSync(join(work, 'seed.jsonl'), seedJsonLines());
  const db = join(work, 'store.sqlite');
  await run(bin('cocart-sessions-server'), ['import', join(work, 'seed.jsonl'), '--db', db], {
    cwd: project,
  });
  server = await start(bin('cocart-sessions-server'), ['serve', '--port', '0', '--db', db], {
    cwd: project,
    env: outsideEnv({ COCART_ADMIN_USER: ADMIN.username, COCART_ADMIN_PASSWORD: ADMIN.password }),
    ready: /listening on (http:\/\/\S+)/,
  });
  url = server.match;
}, 360_000);

afterAll(async () => {
  if (server) expect(await server.stop()).toEqual({ code: 0, survivors: false });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('@cocart-sessions/core from the installed tarball', () => {
  it('formats the seed cart total by import', async () => {
    const { stdout } = await run('node', ['core.mjs', SEED_CART], { cwd: project });
    expect(stdout.trim()).toBe('£207.00');
  });

  it('formats the seed cart total by require (require(esm))', async () => {
    const { stdout } = await run('node', ['core.cjs', SEED_CART], { cwd: project });
    expect(stdout.trim()).toBe('£207.00');
  });
});

describe('export conditions of the installed packages', () => {
  it('a runtime honouring the `source` condition still loads each build', async () => {
    const { stdout } = await run('node', ['--conditions=source', 'conditions.mjs'], { cwd: project });
    expect(stdout.trim().split('\n')).toEqual(
      ['core', 'client', 'server', 'tui'].map(
        (p) => `@cocart-sessions/${p} node_modules/@cocart-sessions/${p}/dist/index.js true`,
      ),
    );
  });
});

describe('@cocart-sessions/client from the installed tarball, against the installed server', () => {
  const env = () =>
    outsideEnv({ COCART_URL: url, COCART_USERNAME: ADMIN.username, COCART_PASSWORD: ADMIN.password });

  it('lists the sessions and reads cart 1 by import', async () => {
    const { stdout } = await run('node', ['client.mjs'], { cwd: project, env: env() });
    expect(JSON.parse(stdout)).toEqual({ keys: SEED_KEYS, total: '£207.00' });
  });

  it('lists the sessions and reads cart 1 by require', async () => {
    const { stdout } = await run('node', ['client.cjs'], { cwd: project, env: env() });
    expect(JSON.parse(stdout)).toEqual({ keys: SEED_KEYS, total: '£207.00' });
  });
});

describe('types of the installed packages (skipLibCheck false)', () => {
  const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');

  for (const resolution of ['nodenext', 'bundler']) {
    // Concurrent: each tsc run checks every declaration file it reaches, the slowest part of this file.
    it.concurrent(`a file using every package's public API typechecks with ${resolution}`, async () => {
      const { stdout } = await run(tsc, ['-p', `tsconfig.${resolution}.json`], { cwd: project });
      expect(stdout).toBe('');
      const config = JSON.parse(readFileSync(join(project, `tsconfig.${resolution}.json`), 'utf8'));
      expect(config.compilerOptions).toMatchObject({ moduleResolution: resolution, skipLibCheck: false });
    });
  }
});

describe('the installed binaries through npx', () => {
  it('npx cocart-sessions --help prints the usage', async () => {
    const { stdout } = await run('npx', ['--no-install', 'cocart-sessions', '--help'], { cwd: project });
    expect(stdout).toMatch(/^Usage: cocart-sessions /);
  });

  it('npx cocart-sessions-server serve answers one authenticated request and stops cleanly', async () => {
    const db = join(work, 'npx.sqlite');
    await run(
      'npx',
      ['--no-install', 'cocart-sessions-server', 'import', join(work, 'seed.jsonl'), '--db', db],
      {
        cwd: project,
      },
    );
    const served = await start(
      'npx',
      ['--no-install', 'cocart-sessions-server', 'serve', '--port', '0', '--db', db],
      {
        cwd: project,
        env: outsideEnv({ COCART_ADMIN_USER: ADMIN.username, COCART_ADMIN_PASSWORD: ADMIN.password }),
        ready: /listening on (http:\/\/\S+)/,
      },
    );
    try {
      const anonymous = await fetch(`${served.match}/wp-json/cocart/v2/sessions`);
      expect(anonymous.status).toBe(401);
      const response = await fetch(`${served.match}/wp-json/cocart/v2/sessions`, {
        headers: { authorization: basicAuth(ADMIN.username, ADMIN.password) },
      });
      expect(response.status).toBe(200);
      const sessions = (await response.json()) as Array<{ cart_key: string }>;
      expect(sessions.map((s) => s.cart_key).sort()).toEqual(SEED_KEYS);
    } finally {
      // npm itself dies of the signal (143); the server must have shut down on its own terms.
      expect((await served.stop()).survivors).toBe(false);
    }
    expect(served.output()).toMatch(/"msg":"draining","signal":"SIGTERM"[^\n]*\n[^\n]*"msg":"stopped"/);
    await expect(fetch(`${served.match}/healthz`)).rejects.toThrow();
  });

  it('npx cocart-sessions list --json reads the installed server', async () => {
    const { stdout } = await run('npx', ['--no-install', 'cocart-sessions', 'list', '--json', '--url', url], {
      cwd: project,
      env: outsideEnv({ COCART_USERNAME: ADMIN.username, COCART_PASSWORD: ADMIN.password }),
    });
    const sessions = JSON.parse(stdout) as Array<{ cart_key: string }>;
    expect(sessions.map((s) => s.cart_key).sort()).toEqual(SEED_KEYS);
  });
});

describe('browser bundle of the installed client', () => {
  it('is built from the installed package and stays near its 47 kB gzipped', async () => {
    const { stdout } = await run(
      'node',
      [join(repoRoot, 'packages/client/scripts/size.js'), '--from', project],
      {
        cwd: project,
      },
    );
    expect(stdout).toContain(`files of the client, from ${project}/node_modules/@cocart-sessions/client`);
    const gzipped = [...stdout.matchAll(/([\d.]+) kB minified\+gzipped/g)].map((m) => Number(m[1]));
    expect(gzipped).toHaveLength(2);
    for (const size of gzipped) expect(size).toBeLessThan(49);
  });
});
