// Bundles the CLI into dist/ with esbuild: one CommonJS file, dist/cli.cjs, which bin/bosun.js
// runs through a V8 code cache (see there), and dist/build-id, the bundle's sha256, which names
// that cache. One file rather than lazily loaded chunks: with the code cache, start-up reads
// compiled code instead of compiling what it runs, which saves more than loading less.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// Start clean: old bundles and their code caches must not linger.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/index.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
  // better-sqlite3 loads its native addon relative to its own package.
  external: ['better-sqlite3'],
  plugins: [jsonAsText],
  // The sources are ESM: `import.meta.url` becomes the bundle's own URL.
  define: { 'import.meta.url': '__bosunModuleUrl' },
  banner: { js: 'const __bosunModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
const bundle = readFileSync('dist/cli.cjs');
// bin/bosun.js reads the bundle as latin1 (one byte per character): esbuild escapes non-ASCII
// text in strings but not in regular expression literals, so those must use \u escapes.
const wide = bundle.findIndex((byte) => byte > 0x7f);
if (wide >= 0) {
  const around = bundle.subarray(Math.max(0, wide - 60), wide + 20).toString('utf8');
  throw new Error(`dist/cli.cjs has a non-ASCII character (write it as a \\u escape): …${around}…`);
}
writeFileSync('dist/build-id', `${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}\n`);
