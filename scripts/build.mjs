// Bundles the CLI into dist/ with esbuild: one ESM entry plus lazily loaded chunks, so start-up
// reads a few files instead of hundreds of modules.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: start clean so old chunks do not pile up.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    // Bundled CommonJS dependencies may call require().
    js: "import { createRequire as __bosunCreateRequire } from 'node:module'; const require = __bosunCreateRequire(import.meta.url);",
  },
});
