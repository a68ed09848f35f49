// The `store` benchmark suite: the cluster object store on SQLite (and in memory, for scale).
// 100,000 ConfigMaps created in batched transactions (as bulk applies write them), then
// single-object transactions, then a list of 10,000 of them by one label.
//
// `storeSuite()` bundles src/cluster/store into .cache/ and runs the measurements in a child
// process, so peak RSS is the store's own. `node bench/store.mjs` runs the suite alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { median, table } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, '.cache', 'bench', 'store.mjs');

const OBJECTS = 100_000;
const BATCH = 1_000;
const APPS = 10; // `app` label values: each selects OBJECTS / APPS = 10,000 objects
const NAMESPACES = 20; // consecutive blocks of 5,000, so one app has 500 objects per namespace
const SINGLE = 10_000;
const LIST_RUNS = 5;
const TARGET_WRITES = 5_000;
const TARGET_LIST_MS = 200;

/** Runs the suite: bundle, then measure in a fresh process. */
export function storeSuite() {
  buildSync({
    entryPoints: [path.join(root, 'src', 'cluster', 'store', 'index.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`store benchmark failed (exit ${r.status})`);
}

function configMap(i, generation = 0) {
  const name = `cm-${String(i).padStart(6, '0')}`;
  const namespace = `ns-${Math.floor(i / (OBJECTS / NAMESPACES))}`;
  return {
    key: { resource: 'configmaps', namespace, name },
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace,
        uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        creationTimestamp: '2024-01-01T00:00:00Z',
        labels: {
          app: `app-${i % APPS}`,
          'app.kubernetes.io/managed-by': 'bosun',
          release: `release-${i % 100}`,
        },
        annotations: { 'meta.helm.sh/release-name': `release-${i % 100}` },
      },
      data: { 'settings.yaml': `generation: ${generation}\nkey: value-${i}\npadding: ${'x'.repeat(160)}\n` },
    },
  };
}

function seconds(fn) {
  const t0 = process.hrtime.bigint();
  const result = fn();
  return { result, s: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const rate = (n, s) => Math.round(n / s).toLocaleString('en-US');
const ms = (s) => (s * 1000).toFixed(1);
const rssMiB = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

/** Measures one store; returns the table rows. */
function measure(label, store, { single }) {
  const rows = [];
  const batched = seconds(() => {
    for (let start = 0; start < OBJECTS; start += BATCH) {
      store.transaction((tx) => {
        for (let i = start; i < start + BATCH; i++) {
          const { key, object } = configMap(i);
          tx.create(key, object);
        }
      });
    }
  });
  const writes = OBJECTS / batched.s;
  rows.push([
    label,
    `create ${OBJECTS.toLocaleString('en-US')}, ${BATCH} per transaction`,
    `${rate(OBJECTS, batched.s)} writes/s`,
    `>= ${TARGET_WRITES.toLocaleString('en-US')}`,
    writes >= TARGET_WRITES ? 'yes' : 'NO',
  ]);
  const singles = seconds(() => {
    for (let i = 0; i < single; i++) {
      const { key, object } = configMap(i, 1);
      store.update(key, object);
    }
  });
  rows.push([
    label,
    `update ${single.toLocaleString('en-US')}, one per transaction`,
    `${rate(single, singles.s)} writes/s`,
    '',
    '',
  ]);
  const listTimes = [];
  let listed = 0;
  for (let run = 0; run < LIST_RUNS; run++) {
    const { result, s } = seconds(() =>
      store.list('configmaps', { labelEquals: { app: `app-${run % APPS}` } }),
    );
    listed = result.items.length;
    listTimes.push(s);
  }
  if (listed !== OBJECTS / APPS) throw new Error(`listed ${listed} objects, expected ${OBJECTS / APPS}`);
  const listMedian = median(listTimes);
  rows.push([
    label,
    `list ${listed.toLocaleString('en-US')} by label, median of ${LIST_RUNS}`,
    `${ms(listMedian)} ms`,
    `<= ${TARGET_LIST_MS} ms`,
    listMedian * 1000 <= TARGET_LIST_MS ? 'yes' : 'NO',
  ]);
  const narrow = Array.from({ length: LIST_RUNS }, () =>
    seconds(() => store.list('configmaps', { labelEquals: { app: 'app-3' }, namespace: 'ns-3' })),
  );
  const count = narrow[0].result.items.length.toLocaleString('en-US');
  rows.push([
    label,
    `list ${count} by label in one namespace`,
    `${ms(median(narrow.map((n) => n.s)))} ms`,
    '',
    '',
  ]);
  const gets = seconds(() => {
    for (let i = 0; i < 10_000; i++) store.get(configMap((i * 7919) % OBJECTS).key);
  });
  rows.push([label, 'get by key', `${((gets.s / 10_000) * 1e6).toFixed(1)} µs`, '', '']);
  const events = seconds(() => store.eventsSince(store.currentRevision() - 10_000).length);
  rows.push([
    label,
    `eventsSince (last ${events.result.toLocaleString('en-US')})`,
    `${ms(events.s)} ms`,
    '',
    '',
  ]);
  return rows;
}

async function main() {
  const { MemoryStore, SqliteStore } = await import(pathToFileURL(bundle).href);
  const work = mkdtempSync(path.join(os.tmpdir(), 'bosun-bench-store-'));
  try {
    const file = path.join(work, 'cluster.db');
    const rows = [['store', 'case', 'result', 'target', 'met']];
    const sqlite = new SqliteStore(file);
    rows.push(...measure('sqlite', sqlite, { single: SINGLE }));
    sqlite.close();
    const reopen = seconds(() => new SqliteStore(file));
    reopen.result.close();
    rows.push([
      'sqlite',
      `open a ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB database`,
      `${ms(reopen.s)} ms`,
      '',
      '',
    ]);
    const sqliteRss = rssMiB();
    const memory = new MemoryStore();
    rows.push(...measure('memory', memory, { single: SINGLE }));
    memory.close();
    console.log('store: the cluster object store (synchronous=NORMAL, WAL)');
    table(rows);
    console.log(`peak RSS: ${sqliteRss} MiB after the SQLite cases, ${rssMiB()} MiB after all`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  if (process.argv[2] === '--measure') await main();
  else storeSuite();
}
