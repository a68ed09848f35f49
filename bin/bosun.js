#!/usr/bin/env node
// The bosun command. Runs the bundled build (dist/cli.cjs, made by `npm run build` and on
// `npm install`) through a V8 code cache kept next to it: a run reads the bytecode an earlier run
// compiled instead of compiling it again, which is most of a short command's start-up.
// One cache per command (`cli.cjs.ID.NODE.kubectl.get.v8cache`), written by the first run of that
// command: it holds what that command runs and no more, so `bosun version` does not deserialise
// what `bosun install` compiled (reading a cache costs in proportion to its size). A command with
// no cache yet, help and usage errors read the shared cache (`cli.cjs.ID.NODE.v8cache`), which
// holds the bundle's top level only. The caches are named by the bundle's build id, so a rebuilt
// bundle never runs with a stale cache; a cache V8 refuses is rewritten; a directory that cannot
// be written just means no cache.
// CommonJS (bin/package.json), not ESM: Node starts a CommonJS entry a few milliseconds sooner.
'use strict';
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('Error: bosun is not built yet; run "npm run build" (or "npm install") first\n');
  process.exit(1);
}
const read = (file, encoding) => {
  try {
    return readFileSync(file, encoding);
  } catch {
    return undefined;
  }
};
const idFile = path.join(dist, 'build-id');
const buildId = (read(idFile, 'latin1') ?? '').trim();
// The bundle is ASCII (esbuild escapes the rest): read it straight into a one-byte string.
const source = readFileSync(bundle, 'latin1');
// A rebuild between the two reads would pair this bundle with another build's cache: no cache then.
const cacheable = buildId !== '' && (read(idFile, 'latin1') ?? '').trim() === buildId;
const cachePrefix = `${bundle}.${buildId}.${process.version}`;
const cacheFile = (words) => `${[cachePrefix, ...words].join('.')}.v8cache`;

const argv = process.argv.slice(2);
// The words that may name the command (`kubectl get`): the arguments that are not options, nor
// the value of -n/--namespace, which every command takes.
const words = [];
for (let i = 0; i < argv.length && words.length < 4; i++) {
  if (argv[i] === '-n' || argv[i] === '--namespace') i++;
  else if (/^[a-z][a-z0-9-]*$/.test(argv[i])) words.push(argv[i]);
  else if (!argv[i].startsWith('-')) break;
}
// The most specific cache there is: `kubectl get`, else `kubectl`, else the shared one.
let used = [];
let cachedData;
if (cacheable) {
  for (let n = words.length; n >= 0 && cachedData === undefined; n--) {
    used = words.slice(0, n);
    cachedData = read(cacheFile(used));
  }
}
// The bundle has no `import()` (scripts/build.mjs), so the script needs no dynamic import hook.
const script = new vm.Script(Module.wrap(source), {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});
const usable = cachedData !== undefined && !script.cachedDataRejected;
const write = (file, data) => {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // A read-only installation: run without a cache.
  }
};
// No shared cache (or V8 refused it): write one now, before anything runs, so that it holds the
// bundle's top level and no command's code.
if (cacheable && used.length === 0 && !usable) write(cacheFile([]), script.createCachedData());
const cli = { exports: {} };
script.runInThisContext()(cli.exports, Module.createRequire(bundle), cli, bundle, dist);

// The command that ran, when the words typed name it level by level (a typo names none).
let ran;
const onCommand = (names) => {
  if (names.length <= words.length && names.every((level, i) => level.includes(words[i]))) {
    ran = words.slice(0, names.length);
  }
};
cli.exports.main(argv, onCommand).then((code) => {
  process.exitCode = code;
  // The command's own cache, unless it was what this run read: everything compiled so far, which
  // is what the cache brought plus what this command added.
  if (cacheable && ran && !(usable && used.length === ran.length)) {
    write(cacheFile(ran), script.createCachedData());
  }
});
