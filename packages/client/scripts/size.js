// Prints the minified and minified+gzipped size of the browser bundle of src/index.ts, or, with
// `--from <project dir>`, of the client as installed in that project (the published build).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const fromIndex = process.argv.indexOf('--from');
const from = fromIndex === -1 ? undefined : resolve(process.argv[fromIndex + 1] ?? '.');
const entry = from ? '@cocart-sessions/client' : fileURLToPath(new URL('../src/index.ts', import.meta.url));
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

for (const [label, contents] of [
  ['everything (import * from client)', `export * from ${JSON.stringify(entry)};`],
  ['createClient only (tree-shaken)', `export { createClient } from ${JSON.stringify(entry)};`],
]) {
  const result = await build({
    stdin: { contents, resolveDir: from ?? '.', loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    // The workspace bundles its sources; an installed package has only its build (no `source`).
    conditions: from ? [] : ['source'],
    logLevel: 'error',
    metafile: true,
  });
  const code = result.outputFiles[0].contents;
  console.log(`${label}: ${kb(code.length)} minified, ${kb(gzipSync(code).length)} minified+gzipped`);
  if (from) {
    const files = Object.keys(result.metafile.inputs).filter((f) => f.includes('/@cocart-sessions/client/'));
    const root = files[0]
      ? resolve(files[0].slice(0, files[0].indexOf('/@cocart-sessions/client/')))
      : '(none)';
    console.log(`  ${files.length} files of the client, from ${root}/@cocart-sessions/client`);
  }
}
