// Packs the four published packages with pnpm, as `pnpm publish` would (publishConfig applied,
// workspace:/catalog: rewritten), and unpacks each tarball so its manifest and files can be read.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The published packages, dependencies first. */
export const PACKAGES = [
  { name: '@cocart-sessions/core', dir: 'packages/core' },
  { name: '@cocart-sessions/client', dir: 'packages/client' },
  { name: '@cocart-sessions/server', dir: 'apps/server' },
  { name: '@cocart-sessions/tui', dir: 'apps/tui' },
];

/**
 * @param {string} destination an empty directory for the tarballs
 * @returns {Array<{ name: string, pkgDir: string, tarball: string, size: number, files: string[], manifest: Record<string, any>, unpacked: string }>}
 */
export function packAll(destination, root = repoRoot) {
  return PACKAGES.map(({ name, dir }) => {
    const pkgDir = join(root, dir);
    const out = execFileSync('pnpm', ['pack', '--json', '--pack-destination', destination], {
      cwd: pkgDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = JSON.parse(out.slice(out.indexOf('{')));
    const unpacked = join(destination, `${name.replace('@', '').replace('/', '-')}-unpacked`);
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['-xzf', result.filename, '-C', unpacked]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'));
    return {
      name,
      pkgDir,
      tarball: result.filename,
      size: statSync(result.filename).size,
      files: result.files.map((f) => f.path),
      manifest,
      unpacked: join(unpacked, 'package'),
    };
  });
}

export const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
