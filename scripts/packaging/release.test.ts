// A release rehearsal in a copy of the working tree (the tree itself is left as it was): a throwaway
// changeset, `changeset version`, a build, `changeset publish` to a verdaccio started here on
// 127.0.0.1 (storage in a temp dir; third-party packages proxied from the npm registry), then a fresh
// project installs @cocart-sessions/tui from that registry alone and runs it against a server.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  freePort,
  outsideEnv,
  run,
  SEED_KEYS,
  type Started,
  seedJsonLines,
  start,
} from './helpers.ts';
import { PACKAGES, repoRoot } from './pack.js';

const THROWAWAY = 'Release rehearsal: a throwaway changeset.';
const git = [
  '-c',
  'user.name=Release rehearsal',
  '-c',
  'user.email=rehearsal@127.0.0.1',
  '-c',
  'commit.gpgsign=false',
];

let work: string;
let copy: string;
let registry: string;
let verdaccio: Started | undefined;
let treeBefore: string;
let releaseEnv: NodeJS.ProcessEnv;
let version: string;

/** What `git status` and `git diff` say of the working tree, as one digest. */
async function treeState(): Promise<string> {
  const status = await run('git', ['status', '--porcelain=v1', '-uall'], { cwd: repoRoot, env: process.env });
  const diff = await run('git', ['diff', 'HEAD', '--binary'], { cwd: repoRoot, env: process.env });
  return `${status.stdout}\n${createHash('sha256').update(diff.stdout).digest('hex')}`;
}

/** The working tree as it is (tracked and untracked files, not ignored ones), in a new git repository. */
async function copyWorkingTree(to: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    env: process.env,
  });
  for (const file of stdout.split('\0').filter(Boolean)) {
    const from = join(repoRoot, file);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
  await run('git', ['init', '-q', '-b', 'main'], { cwd: to });
  await run('git', [...git, 'add', '-A'], { cwd: to });
  await run('git', [...git, 'commit', '-qm', 'Working tree before the release'], { cwd: to });
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

beforeAll(async () => {
  treeBefore = await treeState();
  work = mkdtempSync(join(tmpdir(), 'cocart-release-'));
  copy = join(work, 'repo');
  await copyWorkingTree(copy);
  // Hard links from pnpm's store: no download, and nothing shared with the real checkout.
  await run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], {
    cwd: copy,
    env: outsideEnv(),
    timeout: 240_000,
  });

  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const storage = join(work, 'verdaccio');
  mkdirSync(storage);
  writeFileSync(
    join(storage, 'config.yaml'),
    [
      `storage: ${join(storage, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(storage, 'htpasswd')}`,
      '    max_users: 1',
      'uplinks:',
      '  npmjs:',
      '    url: https://registry.npmjs.org/',
      'packages:',
      // Ours live here alone: never looked up upstream.
      "  '@cocart-sessions/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: npmjs',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  verdaccio = await start(
    join(repoRoot, 'node_modules/.bin/verdaccio'),
    ['--config', join(storage, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    { cwd: storage, ready: /http address - (http:\/\/\S+)/ },
  );
  const user = await fetch(`${registry}-/user/org.couchdb.user:rehearsal`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'rehearsal', password: 'rehearsal-password' }),
  });
  expect(user.status).toBe(201);
  const { token } = (await user.json()) as { token: string };
  // The copy's .npmrc, an empty user config and the environment all name the local registry, so a
  // slip can never publish to the real one.
  const npmrc = `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`;
  writeFileSync(join(copy, '.npmrc'), npmrc);
  writeFileSync(join(work, 'empty-userconfig'), '');
  releaseEnv = outsideEnv({
    npm_config_registry: registry,
    npm_config_userconfig: join(work, 'empty-userconfig'),
    CI: 'true',
  });
}, 420_000);

afterAll(async () => {
  if (verdaccio) expect((await verdaccio.stop()).survivors).toBe(false);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('release rehearsal', () => {
  it('changeset version bumps the four packages together and writes their CHANGELOGs', async () => {
    const before = PACKAGES.map(({ dir }) => readJson(join(copy, dir, 'package.json')).version as string);
    writeFileSync(
      join(copy, '.changeset/release-rehearsal.md'),
      `---\n"@cocart-sessions/core": patch\n---\n\n${THROWAWAY}\n`,
    );
    await run('pnpm', ['exec', 'changeset', 'version'], { cwd: copy, env: releaseEnv });

    const after = PACKAGES.map(({ dir }) => readJson(join(copy, dir, 'package.json')).version as string);
    version = after[0]!;
    // The fixed group: one changeset on the core moves all four to one version.
    expect(new Set(after)).toEqual(new Set([version]));
    expect(version).not.toBe(before[0]);
    for (const { name, dir } of PACKAGES) {
      const changelog = readFileSync(join(copy, dir, 'CHANGELOG.md'), 'utf8');
      expect(changelog.startsWith(`# ${name}\n\n## ${version}\n`)).toBe(true);
    }
    expect(readFileSync(join(copy, 'packages/core/CHANGELOG.md'), 'utf8')).toContain(THROWAWAY);
    expect(readFileSync(join(copy, 'apps/tui/CHANGELOG.md'), 'utf8')).toContain(
      `@cocart-sessions/client@${version}`,
    );
    expect(existsSync(join(copy, '.changeset/release-rehearsal.md'))).toBe(false);
    await run('git', [...git, 'add', '-A'], { cwd: copy });
    await run('git', [...git, 'commit', '-qm', 'Version Packages'], { cwd: copy });
  });

  it('changeset publish puts the four on the local registry with concrete dependency ranges', async () => {
    await run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
      cwd: copy,
      env: releaseEnv,
      timeout: 240_000,
    });
    await run('pnpm', ['exec', 'changeset', 'publish'], { cwd: copy, env: releaseEnv, timeout: 240_000 });
    const tags = await run('git', ['tag', '--list'], { cwd: copy });
    expect(tags.stdout.trim().split('\n').sort()).toEqual(
      PACKAGES.map(({ name }) => `${name}@${version}`).sort(),
    );

    const workspaceCatalog = readFileSync(join(copy, 'pnpm-workspace.yaml'), 'utf8');
    for (const { name, dir } of PACKAGES) {
      const response = await fetch(`${registry}${name.replace('/', '%2f')}`);
      expect(response.status).toBe(200);
      const doc = (await response.json()) as {
        'dist-tags': Record<string, string>;
        versions: Record<string, { dependencies?: Record<string, string>; exports?: unknown }>;
      };
      expect(doc['dist-tags'].latest).toBe(version);
      const published = doc.versions[version]!;
      const source = readJson(join(copy, dir, 'package.json'));
      expect(Object.keys(published.dependencies ?? {}).sort()).toEqual(
        Object.keys(source.dependencies ?? {}).sort(),
      );
      for (const [dep, range] of Object.entries(published.dependencies ?? {})) {
        if (dep.startsWith('@cocart-sessions/')) {
          expect(range, `${name} → ${dep}`).toBe(version);
        } else {
          // catalog: became the catalog's own range.
          const catalogRange = new RegExp(`^\\s+"?${dep.replace('/', '\\/')}"?: (\\S+)$`, 'm').exec(
            workspaceCatalog,
          )?.[1];
          expect(range, `${name} → ${dep}`).toBe(catalogRange);
        }
      }
      expect(JSON.stringify(published.exports)).not.toContain('source');
    }
  });

  it('a fresh project installs @cocart-sessions/tui from that registry alone and runs it', async () => {
    const project = join(work, 'fresh');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "fresh", "private": true }\n');
    writeFileSync(join(project, '.npmrc'), `registry=${registry}\n`);
    const env = outsideEnv({ npm_config_userconfig: join(work, 'empty-userconfig') });
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', `@cocart-sessions/tui@${version}`],
      {
        cwd: project,
        env,
        timeout: 240_000,
      },
    );
    const lock = readFileSync(join(project, 'package-lock.json'), 'utf8');
    const resolved = [...lock.matchAll(/"resolved": "([^"]+)"/g)].map((m) => m[1]!);
    expect(resolved.length).toBeGreaterThan(10);
    expect(resolved.filter((url) => !url.startsWith(registry))).toEqual([]);
    for (const name of ['@cocart-sessions/tui', '@cocart-sessions/client', '@cocart-sessions/core']) {
      expect(readJson(join(project, 'node_modules', name, 'package.json')).version).toBe(version);
    }

    const help = await run('npx', ['--no-install', 'cocart-sessions', '--help'], { cwd: project, env });
    expect(help.stdout).toMatch(/^Usage: cocart-sessions /);

    // A server built by the release, seeded with the seed's sessions, for the TUI to read.
    const serverCli = join(copy, 'apps/server/dist/cli.js');
    const db = join(work, 'release.sqlite');
    writeFileSync(join(work, 'seed.jsonl'), seedJsonLines());
    await run('node', [serverCli, 'import', join(work, 'seed.jsonl'), '--db', db], { cwd: work });
    const server = await start('node', [serverCli, 'serve', '--port', '0', '--db', db], {
      cwd: work,
      env: outsideEnv({ COCART_ADMIN_USER: ADMIN.username, COCART_ADMIN_PASSWORD: ADMIN.password }),
      ready: /listening on (http:\/\/\S+)/,
    });
    try {
      const list = await run(
        'npx',
        ['--no-install', 'cocart-sessions', 'list', '--json', '--url', server.match],
        {
          cwd: project,
          env: { ...env, COCART_USERNAME: ADMIN.username, COCART_PASSWORD: ADMIN.password },
        },
      );
      const sessions = JSON.parse(list.stdout) as Array<{ cart_key: string }>;
      expect(sessions.map((s) => s.cart_key).sort()).toEqual(SEED_KEYS);
    } finally {
      expect(await server.stop()).toEqual({ code: 0, survivors: false });
    }
  });

  it('leaves the working tree as it was', async () => {
    // Untracked files count too: a CHANGELOG.md or a .changeset file left behind would show here.
    expect(await treeState()).toBe(treeBefore);
  });
});
