// `pnpm check:packages`: each published package, packed as `pnpm publish` packs it, must
// - ship a README.md and name its repository, homepage, bugs and keywords, so its npm page is not bare;
// - name only files its tarball holds (exports, bin, main, types), and no TypeScript sources: a
//   consumer whose bundler or tsc honours our `source` condition would otherwise break or compile
//   our sources under its own settings;
// - keep no workspace:/catalog: ranges;
// - ship the sources its .js.map and .d.ts.map files point at (stack traces, go-to-definition);
// - declare, as dependencies, every package its shipped .d.ts files import (with its @types/ package
//   when it has no types of its own), or a consumer with skipLibCheck false fails to typecheck;
// - pass publint with no warning and `attw` (node16 from ESM and bundler; ESM-only by design, Node's
//   require(esm) serves CommonJS callers, so the esm-only profile leaves out node10 and node16-cjs).
// Needs a build first (the root script runs one).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { kB, packAll, repoRoot } from './pack.js';

const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/** Every string target of an exports/bin value, whatever the nesting of conditions. */
function targetsOf(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targetsOf);
  return [];
}

function manifestProblems({ manifest, files }) {
  const problems = [];
  const shipped = new Set(files.map((f) => f.replace(/^\.\//, '')));
  shipped.add('package.json');
  const entries = [
    ['exports', targetsOf(manifest.exports)],
    ['bin', targetsOf(manifest.bin)],
    ['main', targetsOf(manifest.main)],
    ['types', targetsOf(manifest.types)],
  ];
  for (const [field, targets] of entries) {
    for (const target of targets) {
      if (!shipped.has(target.replace(/^\.\//, ''))) {
        problems.push(`${field} names ${target}, which the tarball does not contain`);
      } else if (/\.(c|m)?tsx?$/.test(target) && !/\.d\.(c|m)?ts$/.test(target)) {
        problems.push(`${field} names the TypeScript source ${target}: publish only built files`);
      }
    }
  }
  if (!shipped.has('README.md')) problems.push('the tarball has no README.md: its npm page would be bare');
  for (const field of ['repository', 'homepage', 'bugs']) {
    if (!manifest[field]) problems.push(`the manifest has no "${field}": its npm page would not link back`);
  }
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) {
    problems.push('the manifest has no "keywords": npm search would not find it');
  }
  for (const field of [...DEP_FIELDS, 'devDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog):/.test(range)) problems.push(`${field}.${dep} is still ${range}`);
    }
  }
  return problems;
}

function declarationFiles(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.d\.(c|m)?ts$/.test(f))
    .map((f) => join(dir, f));
}

const IMPORT_RE =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]|\/\/\/\s*<reference\s+types=['"]([^'"]+)['"]/g;

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Whether the installed package (as the workspace resolves it) ships its own declarations. */
function hasOwnTypes(pkgDir, name) {
  const file = join(pkgDir, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return false;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (manifest.types || manifest.typings) return true;
  if (JSON.stringify(manifest.exports ?? {}).includes('"types"')) return true;
  return existsSync(join(pkgDir, 'node_modules', name, 'index.d.ts'));
}

function typeDependencyProblems({ manifest, unpacked, pkgDir }) {
  const declared = new Set(DEP_FIELDS.flatMap((f) => Object.keys(manifest[f] ?? {})));
  const needed = new Map();
  for (const file of declarationFiles(unpacked)) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
      const specifier = m[1] ?? m[2];
      // node: built-ins come from @types/node, which every Node.js TypeScript project has already.
      if (!specifier || specifier.startsWith('.') || isBuiltin(specifier) || specifier === 'node') continue;
      const name = packageNameOf(specifier);
      if (name === manifest.name) continue;
      if (!needed.has(name)) needed.set(name, file.slice(unpacked.length + 1));
    }
  }
  const problems = [];
  for (const [name, file] of needed) {
    if (!declared.has(name)) {
      problems.push(`${file} imports ${name}, which is not a dependency`);
      continue;
    }
    const typesName = `@types/${name.replace('@', '').replace('/', '__')}`;
    if (!hasOwnTypes(pkgDir, name) && !declared.has(typesName)) {
      problems.push(
        `${file} imports ${name}, which has no types of its own: ${typesName} must be a dependency`,
      );
    }
  }
  return problems;
}

/**
 * Source maps and declaration maps must point at files the tarball has, or they lead nowhere. A map
 * whose source is gone from the workspace too is a stale build output (tsc never deletes those), which
 * would be published as a module of its own.
 */
function sourceMapProblems({ unpacked, files, pkgDir }) {
  const shipped = new Set(files.map((f) => f.replace(/^\.\//, '')));
  const unshipped = new Set();
  const stale = new Set();
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(unpacked, file), 'utf8'));
    for (const source of map.sources ?? []) {
      const target = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? '', source));
      if (shipped.has(target)) continue;
      if (existsSync(join(pkgDir, target))) unshipped.add(target);
      else stale.add(file.replace(/\.map$/, ''));
    }
  }
  const some = (set) => `${[...set].slice(0, 3).join(', ')}${set.size > 3 ? ', ...' : ''}`;
  const problems = [];
  if (unshipped.size > 0) {
    problems.push(`source maps name ${unshipped.size} file(s) that "files" leaves out (${some(unshipped)})`);
  }
  if (stale.size > 0) {
    problems.push(
      `${stale.size} stale build output(s) whose source is gone (${some(stale)}): delete dist/ and build again`,
    );
  }
  return problems;
}

async function publintProblems({ tarball }) {
  const { messages, pkg } = await publint({
    // A copy: a Buffer may be a view into a larger pooled ArrayBuffer.
    pack: { tarball: new Uint8Array(readFileSync(tarball)).buffer },
    level: 'suggestion',
  });
  const notes = [];
  const problems = [];
  for (const message of messages) {
    const text = `publint ${message.type}: ${formatMessage(message, pkg, { color: false })}`;
    (message.type === 'suggestion' ? notes : problems).push(text);
  }
  return { problems, notes };
}

function attwProblems({ tarball }) {
  const bin = join(repoRoot, 'node_modules', '.bin', 'attw');
  try {
    execFileSync(bin, [tarball, '--profile', 'esm-only', '--format', 'ascii'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return [];
  } catch (error) {
    return [`attw: ${String(error.stdout || error.message).trim()}`];
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cocart-check-packages-'));
let failed = 0;
try {
  for (const pkg of packAll(dir)) {
    const { problems: lint, notes } = await publintProblems(pkg);
    const problems = [
      ...manifestProblems(pkg),
      ...typeDependencyProblems(pkg),
      ...sourceMapProblems(pkg),
      ...lint,
      ...attwProblems(pkg),
    ];
    failed += problems.length;
    const verdict = problems.length === 0 ? 'ok' : `${problems.length} problem(s)`;
    console.log(`${pkg.name}: ${kB(pkg.size)} tarball, ${pkg.files.length} files: ${verdict}`);
    for (const line of [...problems, ...notes]) console.log(`  ${line.replaceAll('\n', '\n  ')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`check:packages: ${failed} problem(s)`);
  process.exitCode = 1;
}
