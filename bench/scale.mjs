// The `scale` benchmark suite: N nodes and one Deployment of M replicas, settled until every pod
// is Running, through the whole controller chain (deployment and replicaset controllers,
// scheduler, kubelet, endpoints). Reports wall time and peak RSS per case, on the SQLite store
// (what the CLI uses) and, for comparison, in memory.
//
// `scaleSuite()` bundles src/cluster into .cache/ and measures each case in a fresh process, so
// the peak RSS is that case's own. `node bench/scale.mjs [--quick]` runs the suite alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, '.cache', 'bench', 'cluster.mjs');

const CASES = [
  { nodes: 100, replicas: 10_000 },
  { nodes: 1_000, replicas: 100_000 },
];
const TARGET_S = 60;
const TARGET_RSS_MIB = 2048;

/** Runs the suite: bundle, then one process per case and store. */
export function scaleSuite(options = {}) {
  buildSync({
    entryPoints: [path.join(root, 'src', 'cluster', 'cluster.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
  const cases = options.quick ? [{ nodes: 20, replicas: 1_000 }] : CASES;
  const rows = [['store', 'nodes', 'pods', 'Running', 'settle wall', 'peak RSS', 'reconciles', 'target']];
  for (const store of ['sqlite', 'memory']) {
    for (const c of cases) {
      const r = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--measure', store, String(c.nodes), String(c.replicas)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (r.status !== 0) throw new Error(`scale benchmark failed (exit ${r.status}): ${r.stdout}`);
      const m = JSON.parse(r.stdout.trim().split('\n').at(-1));
      const ok = m.running === c.replicas && m.seconds <= TARGET_S && m.rssMiB <= TARGET_RSS_MIB;
      rows.push([
        store,
        c.nodes.toLocaleString('en-US'),
        c.replicas.toLocaleString('en-US'),
        m.running.toLocaleString('en-US'),
        `${m.seconds.toFixed(1)} s`,
        `${m.rssMiB} MiB`,
        m.reconciles.toLocaleString('en-US'),
        // The targets are the CLI's, which keeps the cluster in SQLite; memory is for comparison.
        store === 'sqlite'
          ? `<= ${TARGET_S} s, <= ${TARGET_RSS_MIB} MiB: ${ok ? 'yes' : 'NO'}`
          : `(comparison; all Running: ${m.running === c.replicas ? 'yes' : 'NO'})`,
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
}

/** One case, in this process: prints a JSON line. */
async function measure(store, nodes, replicas) {
  const { openCluster } = await import(pathToFileURL(bundle).href);
  const home = store === 'sqlite' ? mkdtempSync(path.join(os.tmpdir(), 'bosun-scale-')) : undefined;
  try {
    const cluster = openCluster({ ...(home ? { home } : {}), nodes });
    cluster.runtime.settle();
    const t0 = process.hrtime.bigint();
    cluster.api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.13.11', ports: [{ containerPort: 80 }] }] },
        },
      },
    });
    const result = cluster.runtime.settle();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const running = cluster.api.list('pods', {
      namespace: 'default',
      labelSelector: 'app=web',
      fieldSelector: 'status.phase=Running',
    }).items.length;
    cluster.close();
    console.log(
      JSON.stringify({
        seconds,
        running,
        reconciles: result.reconciles,
        rssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        errors: cluster.runtime.errors.slice(-3),
      }),
    );
  } finally {
    if (home) rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--measure') {
  await measure(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  scaleSuite({ quick: process.argv.includes('--quick') });
}
