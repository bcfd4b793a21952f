import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('browser bundle', () => {
  it('bundles for platform=browser without any Node built-in, minified+gzipped under 49 kB', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      metafile: true,
      conditions: ['source'],
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter(
        (i) =>
          i.startsWith('node:') || /(^|\/)node_modules\/(fs|path|http|https|net|crypto|buffer)\//.test(i),
      ),
    ).toEqual([]);
    const code = result.outputFiles[0]!.contents;
    expect(new TextDecoder().decode(code)).not.toMatch(/from\s*["']node:|require\(["']node:/);
    // ~41 kB today, most of it zod; the core imports `* as z` so that unused parts of zod can be dropped.
    expect(gzipSync(code).length).toBeLessThan(49_000);
  });

  it('no source file imports a node: module', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = (await readdir(dir, { recursive: true })).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(await readFile(`${dir}/${f}`, 'utf8')).not.toMatch(/['"]node:/);
  });
});
