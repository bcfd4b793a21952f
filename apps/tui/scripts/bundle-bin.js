// Bundles `cocart-sessions` with esbuild over tsc's output: the command line (src/cli/main.ts) into
// dist/cli/main.js and chunks beside it, and the list worker into dist/cli/list-worker.js. Node then
// loads a few files instead of resolving and loading some hundreds of modules at every launch (Ink
// and React alone are many). A command's chunks are imported only when it runs: `--help` loads no
// zod schema, the plain commands never load React. The bin dist/cli.js turns the compile cache on,
// then imports main.js. tsc's output of the other folders stays for the package's library entry and
// the tests.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const apps = new URL('../', import.meta.url);

const common = {
  absWorkingDir: fileURLToPath(apps),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.13',
  logLevel: 'warning',
  // Ink loads React's devtools only when asked (DEV=true) and installed: left as the import it is.
  external: ['react-devtools-core'],
  // Some of Ink's dependencies are CommonJS and call `require` for Node's modules.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli',
  chunkNames: 'bundle-[name]-[hash]',
  splitting: true,
});
// The worker thread's script, where the bundled worker-feed looks for it: beside the chunks.
await build({
  ...common,
  entryPoints: ['src/list-feed/list-worker.ts'],
  outfile: 'dist/cli/list-worker.js',
});
// tsc's map and declarations of main.js describe the file the bundle replaced.
for (const stale of ['main.js.map', 'main.d.ts', 'main.d.ts.map']) {
  rmSync(new URL(`dist/cli/${stale}`, apps), { force: true });
}
