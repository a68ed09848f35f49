#!/usr/bin/env node
// The bosun command. Runs the bundled build (dist/cli.cjs, made by `npm run build` and on
// `npm install`) through a V8 code cache kept next to it: a run reads the bytecode earlier runs
// compiled instead of compiling it again, which is most of a short command's start-up. The cache
// is named by the bundle's build id, so a rebuilt bundle never runs with a stale cache; a cache
// V8 refuses (another Node version) is rewritten; a directory that cannot be written just means
// no cache. A run of a command no earlier run cached adds its code to the cache when it ends.
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
const cacheFile = `${bundle}.${buildId}.${process.version}.v8cache`;
const seenFile = `${cacheFile}.commands`;
const cachedData = cacheable ? read(cacheFile) : undefined;
const script = new vm.Script(Module.wrap(source), {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const cli = { exports: {} };
script.runInThisContext()(cli.exports, Module.createRequire(bundle), cli, bundle, dist);

const argv = process.argv.slice(2);
// The command path (`install`, `kubectl get`): what decides which code a run compiles.
const GROUPS = new Set([
  'kubectl',
  'k',
  'cluster',
  'repo',
  'get',
  'show',
  'inspect',
  'dependency',
  'dep',
  'diff',
]);
const [first = '', second = ''] = argv.filter((a) => !a.startsWith('-'));
const command = GROUPS.has(first) ? `${first} ${second}` : first;
const seen = new Set((read(seenFile, 'utf8') ?? '').split('\n').filter(Boolean));

cli.exports.main(argv).then((code) => {
  process.exitCode = code;
  if (!cacheable || (cachedData && !script.cachedDataRejected && seen.has(command))) return;
  try {
    // Everything compiled so far: what the cache brought plus what this command added.
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
    seen.add(command);
    writeFileSync(seenFile, `${[...seen].join('\n')}\n`);
  } catch {
    // A read-only installation: run without a cache.
  }
});
