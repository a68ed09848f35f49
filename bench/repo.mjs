// The `repo` benchmark suite (`npm run bench -- repo`): `repo index DIR --url URL` over 50 and 500
// packaged charts, bosun side by side with the real helm (median wall time of whole processes,
// start-up included, each run a fresh process). Target: bosun <= 0.5x helm. The two indexes must
// also list the same entries: same names, versions in the same order, URLs and digests (only the
// times differ), which the suite checks and prints.
//
// The charts are `bosun create`'s scaffold under N/5 names with five versions each (one a
// pre-release), packaged in-process with bosun's archive writer. `node bench/repo.mjs --measure`
// runs the measurements alone (after a build).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { realTools } from '../scripts/real-tools.mjs';
import { table } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const helpers = path.join(root, '.cache', 'bench', 'repo-helpers.mjs');
const bosunBin = path.join(root, 'bin', 'bosun.js');

const SIZES = [50, 500];
const VERSIONS = ['0.1.0', '0.2.0-beta.1', '0.2.0', '1.0.0', '1.10.0'];
const URL = 'https://charts.example.com/stable';
const TARGET = 0.5;

/** Runs the suite: bundle the archive helpers, then measure in a fresh process. */
export function repoSuite() {
  buildSync({
    stdin: {
      contents:
        "export { writeChartArchive } from './src/chart/chart-archive.ts';\n" +
        "export { readChartDirectory } from './src/chart/chart-directory.ts';\n",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: helpers,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`repo benchmark failed (exit ${r.status})`);
}

/** Wall time in seconds of one fresh process. */
function wall(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const t1 = process.hrtime.bigint();
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(t1 - t0) / 1e9;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Median wall times of each command over `runs` rounds after `warmup` ones. The commands take
 * turns within a round, so a busy machine slows them alike and the ratio stays meaningful.
 */
function medianWalls(commands, { runs, warmup = 2 }) {
  const times = commands.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    commands.forEach(([cmd, args, env], k) => {
      const t = wall(cmd, args, env);
      if (i >= warmup) times[k].push(t);
    });
  }
  return times.map(median);
}

/** Writes `count` archives into `dir`: the scaffold as chart-<k>, five versions per name. */
async function packageCharts(dir, count, files, writeChartArchive) {
  mkdirSync(dir, { recursive: true });
  const chartYaml = files.find((f) => f.name === 'Chart.yaml').data.toString('utf8');
  for (let i = 0; i < count; i++) {
    const name = `chart-${String(Math.floor(i / VERSIONS.length)).padStart(3, '0')}`;
    const version = VERSIONS[i % VERSIONS.length];
    const text = chartYaml
      .replace(/^name: .*$/m, `name: ${name}`)
      .replace(/^version: .*$/m, `version: ${version}`);
    const own = files.map((f) => (f.name === 'Chart.yaml' ? { name: f.name, data: Buffer.from(text) } : f));
    writeFileSync(path.join(dir, `${name}-${version}.tgz`), await writeChartArchive(own, name));
  }
}

/** The index with its times blanked, and a summary of what it lists. */
function readIndex(dir) {
  const text = readFileSync(path.join(dir, 'index.yaml'), 'utf8').replace(
    /^(\s*(?:created|generated): ).*$/gm,
    '$1T',
  );
  const digests = text.match(/^ {4}digest: .*$/gm) ?? [];
  return { text, entries: digests.length };
}

async function measure() {
  const { writeChartArchive, readChartDirectory } = await import(pathToFileURL(helpers).href);
  const tools = realTools();
  const work = mkdtempSync(path.join(os.tmpdir(), 'bosun-bench-repo-'));
  const home = { BOSUN_HOME: path.join(work, 'home') };
  const helmEnv = {
    HELM_CACHE_HOME: path.join(work, 'hc'),
    HELM_CONFIG_HOME: path.join(work, 'hcfg'),
    HELM_DATA_HOME: path.join(work, 'hd'),
  };
  try {
    execFileSync(process.execPath, [bosunBin, 'create', 'base'], {
      cwd: work,
      env: { ...process.env, ...home },
    });
    const files = await readChartDirectory(path.join(work, 'base'));
    const rows = [['charts', 'bosun s', 'helm s', 'ratio', 'target', 'met', 'same entries as helm']];
    for (const count of SIZES) {
      const ours = path.join(work, `ours-${count}`);
      const theirs = path.join(work, `helm-${count}`);
      await packageCharts(ours, count, files, writeChartArchive);
      cpSync(ours, theirs, { recursive: true });
      const runs = count <= 50 ? 21 : 11;
      const commands = [[process.execPath, [bosunBin, 'repo', 'index', ours, '--url', URL], home]];
      if (tools) commands.push([tools.helm, ['repo', 'index', theirs, '--url', URL], helmEnv]);
      const [b, h = Number.NaN] = medianWalls(commands, { runs });
      let same = 'n/a';
      if (tools) {
        const a = readIndex(ours);
        const c = readIndex(theirs);
        same =
          a.text === c.text ? `yes (${a.entries} entries)` : `NO (bosun ${a.entries}, helm ${c.entries})`;
      }
      const ratio = b / h;
      rows.push([
        count,
        b.toFixed(3),
        tools ? h.toFixed(3) : 'n/a',
        tools ? ratio.toFixed(2) : 'n/a',
        `<= ${TARGET}`,
        tools ? (ratio <= TARGET ? 'yes' : 'NO') : '?',
        same,
      ]);
    }
    console.log('repo index DIR --url URL: median wall time of whole processes (start-up included)');
    table(rows);
    const [floor, version] = medianWalls(
      [
        [process.execPath, ['-e', '0'], {}],
        [process.execPath, [bosunBin, 'version'], home],
      ],
      { runs: 21 },
    );
    console.log(
      `node start-up floor (node -e 0): ${floor.toFixed(3)} s; bosun version: ${version.toFixed(3)} s`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--measure')) {
  await measure();
}
