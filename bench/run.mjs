// Benchmarks (not tests): `npm run bench [-- SUITE...]`. Prints medians and ratios against the
// real helm where a suite compares with it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { realTools } from '../scripts/real-tools.mjs';
import { table } from './lib.mjs';
import { releaseSuite } from './release.mjs';
import { repoSuite } from './repo.mjs';
import { scaleSuite } from './scale.mjs';
import { storeSuite } from './store.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bosunBin = path.join(root, 'bin', 'bosun.js');

/** Runs a command `runs` times after `warmup` runs; returns the median wall time in seconds. */
function medianWall(cmd, args, { runs = 15, warmup = 2, cwd, env } = {}) {
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const t1 = process.hrtime.bigint();
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    if (i >= warmup) times.push(Number(t1 - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function templateSuite() {
  const tools = realTools();
  const work = mkdtempSync(path.join(os.tmpdir(), 'bosun-bench-'));
  const helmEnv = {
    HELM_CACHE_HOME: path.join(work, 'hc'),
    HELM_CONFIG_HOME: path.join(work, 'hcfg'),
    HELM_DATA_HOME: path.join(work, 'hd'),
  };
  try {
    execFileSync('node', [bosunBin, 'create', 'mychart'], { cwd: path.join(work) });
    mkdirSync(path.join(work, 'helm'));
    if (tools)
      execFileSync(tools.helm, ['create', 'mychart'], {
        cwd: path.join(work, 'helm'),
        env: { ...process.env, ...helmEnv },
      });
    // big1000: 1,000 copies of the scaffold's deployment.yaml, as in helm-behaviour.md §11.
    // distinct1000: the same with a different comment line in each, so no two templates have
    // the same text (bosun parses identical texts once).
    const big = (dir, comment) => {
      const source = readFileSync(path.join(dir, 'templates', 'deployment.yaml'), 'utf8');
      for (let i = 0; i < 1000; i++) {
        const text = comment ? `${comment(i)}\n${source}` : source;
        writeFileSync(path.join(dir, 'templates', `deployment-${i}.yaml`), text);
      }
    };
    const variants = [
      ['big1000', undefined, undefined],
      ['distinct1000', (i) => `{{!-- copy ${i} --}}`, (i) => `{{/* copy ${i} */}}`],
    ];
    for (const [name, ours, theirs] of variants) {
      execFileSync('cp', ['-r', path.join(work, 'mychart'), path.join(work, name)]);
      big(path.join(work, name), ours);
      if (tools) {
        execFileSync('cp', ['-r', path.join(work, 'helm', 'mychart'), path.join(work, 'helm', name)]);
        big(path.join(work, 'helm', name), theirs);
      }
    }
    const cases = [
      ['(a) create scaffold', 'mychart', 1.2],
      ['(b) 1,000 Deployment templates', 'big1000', 0.5],
      ["(b') 1,000 distinct templates", 'distinct1000', 0.5],
    ];
    const rows = [['case', 'bosun s', 'helm s', 'ratio', 'target', 'met']];
    for (const [label, chart, target] of cases) {
      const runs = chart === 'mychart' ? 21 : 9;
      const b = medianWall('node', [bosunBin, 'template', 'r', chart], { cwd: work, runs });
      const h = tools
        ? medianWall(tools.helm, ['template', 'r', chart], {
            cwd: path.join(work, 'helm'),
            env: helmEnv,
            runs,
          })
        : NaN;
      const ratio = b / h;
      rows.push([
        label,
        b.toFixed(3),
        tools ? h.toFixed(3) : 'n/a',
        tools ? ratio.toFixed(2) : 'n/a',
        `<= ${target}`,
        tools ? (ratio <= target ? 'yes' : 'NO') : '?',
      ]);
    }
    console.log('template: median wall time of whole processes (start-up included)');
    table(rows);
    const floor = medianWall('node', ['-e', '0'], { runs: 21 });
    console.log(`node start-up floor (node -e 0): ${floor.toFixed(3)} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const suites = {
  template: templateSuite,
  store: storeSuite,
  scale: scaleSuite,
  release: releaseSuite,
  repo: repoSuite,
};
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length > 0 ? wanted : Object.keys(suites)) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown benchmark suite "${name}" (have: ${Object.keys(suites).join(', ')})`);
    process.exit(1);
  }
  suite();
}
