// Bundles the CLI into dist/ with esbuild: one ESM entry plus lazily loaded chunks, so start-up
// reads a few files instead of hundreds of modules.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Large JSON data (the OpenAPI definitions) as `JSON.parse` of a string instead of an object
 * literal: V8 reads JSON text faster than it parses the same data as code, and every command that
 * opens the cluster loads it.
 */
const jsonAsText = {
  name: 'json-as-text',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (text.length < 64 * 1024) return undefined;
      return {
        contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`,
        loader: 'js',
      };
    });
  },
};

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
  plugins: [jsonAsText],
  banner: {
    // Bundled CommonJS dependencies may call require().
    js: "import { createRequire as __bosunCreateRequire } from 'node:module'; const require = __bosunCreateRequire(import.meta.url);",
  },
});
