// The `release` benchmark suite (`npm run bench -- release`):
//
// 1. install DockerCoins to Ready: `bosun install coins charts/dockercoins --wait` as a user runs
//    it (a fresh process on a cluster that already exists), median wall time; target <= 300 ms.
// 2. 1,000 upgrades of one release, each a full CLI invocation in one process (the cluster is
//    opened, the upgrade applied and settled, the cluster closed, as a command does), alternating
//    the worker's replicas so every upgrade changes pods. Upgrade #1000 must take <= 1.5x upgrade
//    #1: history is pruned (--history-max 10) and nothing else may grow with the revision count.
//    Single upgrades are noisy, so the first and last 25 are compared by their medians.
//
// `node bench/release.mjs --measure [UPGRADES]` runs the measurements alone (after a build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { median, table } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, '.cache', 'bench', 'release-cli.mjs');
const bosunBin = path.join(root, 'bin', 'bosun.js');
const chart = path.join(root, 'charts', 'dockercoins');

const INSTALL_RUNS = 11;
const UPGRADES = 1_000;
const WINDOW = 25;
const TARGET_INSTALL_MS = 300;
const TARGET_RATIO = 1.5;

/** Runs the suite: bundle the CLI, then measure in a fresh process. */
export function releaseSuite() {
  buildSync({
    entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __bosunCreateRequire } from 'node:module'; const require = __bosunCreateRequire(import.meta.url);",
    },
  });
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`release benchmark failed (exit ${r.status})`);
}

function cli(args, home) {
  const r = spawnSync(process.execPath, [bosunBin, ...args], {
    env: { ...process.env, BOSUN_HOME: home },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bosun ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Median wall time of `install --wait` in a fresh process, each on a fresh bootstrapped cluster. */
function measureInstall() {
  const times = [];
  for (let i = 0; i < INSTALL_RUNS + 1; i++) {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bosun-bench-release-'));
    try {
      cli(['kubectl', 'get', 'pods', '-A'], home); // bootstrap and settle outside the measurement
      const t0 = process.hrtime.bigint();
      const out = cli(['install', 'coins', chart, '--wait'], home);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!out.includes('STATUS: deployed')) throw new Error(`install did not deploy:\n${out}`);
      if (i > 0) times.push(ms); // the first run warms the file cache
      const pods = JSON.parse(cli(['kubectl', 'get', 'pods', '-o', 'json'], home)).items;
      const ready = pods.filter((p) =>
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      if (ready.length !== pods.length || pods.length < 6)
        throw new Error(`not Ready: ${ready.length}/${pods.length}`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  return median(times);
}

/** Times `count` upgrades of one release through the CLI, in this process. */
async function measureUpgrades(count) {
  const { run } = await import(pathToFileURL(bundle).href);
  const home = mkdtempSync(path.join(os.tmpdir(), 'bosun-bench-release-'));
  const io = () => {
    let err = '';
    return {
      stdout: { write: () => true },
      stderr: { write: (s) => (err += s) },
      env: { BOSUN_HOME: home },
      cwd: root,
      isTTY: false,
      readStdin: async () => '',
      err: () => err,
    };
  };
  const invoke = async (args) => {
    const sink = io();
    const code = await run(args, sink);
    if (code !== 0) throw new Error(`bosun ${args.join(' ')} failed: ${sink.err()}`);
  };
  try {
    await invoke(['install', 'coins', chart]);
    const times = [];
    for (let i = 1; i <= count; i++) {
      const t0 = process.hrtime.bigint();
      await invoke(['upgrade', 'coins', chart, '--set', `worker.replicas=${(i % 3) + 1}`]);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (i % 100 === 0) process.stderr.write(`  ${i} upgrades\n`);
    }
    return times;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function measure() {
  const count = Number(process.argv[3] ?? UPGRADES);
  console.log('release: install DockerCoins to Ready, 1,000 upgrades of one release');
  const install = measureInstall();
  const times = await measureUpgrades(count);
  const first = median(times.slice(0, WINDOW));
  const last = median(times.slice(-WINDOW));
  const ratio = last / first;
  table([
    ['case', 'median', 'target', 'met'],
    [
      `install --wait (fresh process, ${INSTALL_RUNS} runs)`,
      `${install.toFixed(0)} ms`,
      `<= ${TARGET_INSTALL_MS} ms`,
      install <= TARGET_INSTALL_MS ? 'yes' : 'no',
    ],
    [`upgrades 1-${WINDOW}`, `${first.toFixed(1)} ms`, '', ''],
    [`upgrades ${count - WINDOW + 1}-${count}`, `${last.toFixed(1)} ms`, '', ''],
    [`ratio last/first`, `${ratio.toFixed(2)}x`, `<= ${TARGET_RATIO}x`, ratio <= TARGET_RATIO ? 'yes' : 'no'],
  ]);
}

if (process.argv[2] === '--measure') await measure();
