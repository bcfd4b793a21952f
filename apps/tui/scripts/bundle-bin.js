// Bundles the command line of `cocart-sessions` with esbuild into dist/cli/main.js, over tsc's own:
// one file instead of some two hundred modules for Node to resolve and load at every launch; the
// modules a command imports when it runs stay unevaluated until then (`--help` builds no zod schema).
// The bin dist/cli.js turns the compile cache on, then imports it. The interactive browser stays
// tsc's output (dist/cli/interactive.js and what it imports, its list worker included).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const apps = new URL('../', import.meta.url);

await build({
  absWorkingDir: fileURLToPath(apps),
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli',
  // Chunks beside main.js, which each command imports when it runs; tsc's output of the same
  // folder keeps its own names, so './interactive.js' is tsc's from any chunk.
  chunkNames: 'bundle-[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.13',
  logLevel: 'warning',
  plugins: [
    {
      name: 'interactive-from-tsc',
      setup(b) {
        b.onResolve({ filter: /^\.\/interactive\.js$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
// tsc's map and declarations of main.js describe the file the bundle replaced.
for (const stale of ['main.js.map', 'main.d.ts', 'main.d.ts.map']) {
  rmSync(new URL(`dist/cli/${stale}`, apps), { force: true });
}
