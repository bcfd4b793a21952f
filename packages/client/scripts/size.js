// Prints the minified and minified+gzipped size of the browser bundle of src/index.ts.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

for (const [label, entryPoints, stdin] of [
  ['everything (import * from client)', [entry], undefined],
  [
    'createClient only (tree-shaken)',
    undefined,
    { contents: `export { createClient } from ${JSON.stringify(entry)};`, resolveDir: '.', loader: 'ts' },
  ],
]) {
  const result = await build({
    ...(entryPoints ? { entryPoints } : { stdin }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    conditions: ['source'],
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  console.log(`${label}: ${kb(code.length)} minified, ${kb(gzipSync(code).length)} minified+gzipped`);
}
