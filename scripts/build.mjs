// Bundles the CLI into dist/ with esbuild: one CommonJS file, dist/cli.cjs, which bin/bosun.js
// runs through V8 code caches (see there), dist/build-id, the bundle's sha256, which names those
// caches, and dist/data/, the large JSON data the bundle reads when it needs it. One file rather
// than lazily loaded chunks: with the code cache, start-up reads compiled code instead of
// compiling what it runs, which saves more than loading less. What start-up does not need is
// still deferred inside the bundle: modules that only dynamic `import()`s reach are evaluated
// when first imported (esbuild's lazy module wrappers), so each command evaluates its own.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Large JSON data (the OpenAPI definitions and their descriptions, mime-db's table) in files of
 * their own next to the bundle, read and `JSON.parse`d when the module that imports them loads:
 * V8 reads JSON text faster than it parses the same data as code, and every run reads the whole
 * bundle before it starts, so a megabyte of data in it would slow every command, not only those
 * that use it. The file name carries a hash of the data, so it changes the bundle, hence the
 * build id, whenever the data changes. The module is CommonJS (`module.exports`), which serves
 * `import data from` and `require()` alike.
 */
const jsonAsFile = {
  name: 'json-as-file',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (text.length < 64 * 1024) return undefined;
      const json = JSON.stringify(JSON.parse(text));
      const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
      const file = `${path.basename(args.path, '.json')}.${hash}.json`;
      mkdirSync('dist/data', { recursive: true });
      writeFileSync(`dist/data/${file}`, json);
      const at = `require("node:path").join(__dirname, "data", ${JSON.stringify(file)})`;
      return {
        contents: `module.exports = JSON.parse(require("node:fs").readFileSync(${at}, "utf8"));`,
        loader: 'js',
      };
    });
  },
};

/**
 * commander loads node:child_process when it loads, only to run executable subcommands, which
 * bosun never has; with it come net and dgram. Give commander a stand-in that loads the module
 * on first use, so no command pays for it at start-up.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'node:child_process', namespace: 'lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, key) => require(${JSON.stringify(args.path)})[key] });`,
      loader: 'js',
    }));
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
  // No `import()` left in the bundle (esbuild keeps those of Node's modules): bin/bosun.js runs
  // it as a vm.Script, where a dynamic import fails once the script comes from a code cache.
  supported: { 'dynamic-import': false },
  // better-sqlite3 loads its native addon relative to its own package.
  external: ['better-sqlite3'],
  plugins: [jsonAsFile, lazyChildProcess],
  // The sources are ESM: `import.meta.url` becomes the bundle's own URL, worked out when a module
  // asks for it (few do, and not at start-up).
  define: { 'import.meta.url': '__bosunMeta.url' },
  banner: {
    js: 'const __bosunMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
  },
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
