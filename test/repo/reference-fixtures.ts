/**
 * Fixtures for chart-reference, search and pull tests: small packaged charts, an `index.yaml`
 * written by hand (so a test can give a wrong digest or none), and a loopback server serving
 * both, added to a fresh `$BOSUN_HOME` as a repository.
 */

import { createHash } from 'node:crypto';
import { afterEach } from 'vitest';
import { repoAdd } from '../../src/action/repo/repo-add.js';
import { writeChartArchive } from '../../src/chart/chart-archive.js';
import { tempDir } from '../helpers/chart-builder.js';
import { type Loopback, loopback, routes } from './loopback.js';

/** A chart version to package and list. */
export interface FixtureChart {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly keywords?: readonly string[];
  readonly appVersion?: string;
  /** The digest the index gives: the real one by default, `null` for none. */
  readonly digest?: string | null;
}

/** A packaged fixture chart: its archive and its real sha256. */
export interface PackagedChart extends FixtureChart {
  readonly data: Buffer;
  readonly sha256: string;
  readonly file: string;
}

/** The sha256 (hex) of `data`. */
export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Packages a small chart (a ConfigMap named after the release). */
export async function packageChart(chart: FixtureChart): Promise<PackagedChart> {
  const lines = [`apiVersion: v2`, `name: ${chart.name}`, `version: ${chart.version}`];
  if (chart.description) lines.push(`description: ${chart.description}`);
  if (chart.appVersion) lines.push(`appVersion: "${chart.appVersion}"`);
  const data = await writeChartArchive(
    [
      { name: 'Chart.yaml', data: Buffer.from(`${lines.join('\n')}\n`) },
      { name: 'values.yaml', data: Buffer.from(`greeting: hello from ${chart.name} ${chart.version}\n`) },
      {
        name: 'templates/cm.yaml',
        data: Buffer.from(
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-cm\ndata:\n  greeting: {{quote Values.greeting}}\n',
        ),
      },
    ],
    chart.name,
  );
  return { ...chart, data, sha256: sha256(data), file: `${chart.name}-${chart.version}.tgz` };
}

/** An `index.yaml` listing `charts` (relative URLs unless `base` is given), newest first per name. */
export function indexText(charts: readonly PackagedChart[], base?: string): string {
  const byName = new Map<string, PackagedChart[]>();
  for (const c of charts) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  let out = 'apiVersion: v1\nentries:\n';
  for (const [name, versions] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out += `  ${name}:\n`;
    for (const c of versions) {
      const digest = c.digest === undefined ? c.sha256 : c.digest;
      out += '  - apiVersion: v2\n';
      out += `    name: ${name}\n    version: ${c.version}\n`;
      if (c.description) out += `    description: ${JSON.stringify(c.description)}\n`;
      if (c.appVersion) out += `    appVersion: ${JSON.stringify(c.appVersion)}\n`;
      if (c.keywords) out += `    keywords: ${JSON.stringify(c.keywords)}\n`;
      if (digest !== null) out += `    digest: ${digest}\n`;
      out += `    created: "2026-01-01T00:00:00Z"\n    urls:\n    - ${base ? `${base}/` : ''}${c.file}\n`;
    }
  }
  return `${out}generated: "2026-01-01T00:00:00Z"\n`;
}

/** A loopback repository: the server, its charts, and a `$BOSUN_HOME` where it is added. */
export interface ServedCharts {
  readonly server: Loopback;
  readonly charts: readonly PackagedChart[];
  readonly home: string;
  /** Requests for archives (not the index) so far. */
  archiveRequests(): number;
  close(): Promise<void>;
}

/**
 * Serves `index.yaml` and the archives of `specs` on 127.0.0.1 and adds the server as the
 * repository `repoName` (default `local`) to a fresh `$BOSUN_HOME`. `serve` replaces the archive
 * bytes served for a file name (to serve something other than what the index describes).
 */
export async function serveCharts(
  specs: readonly FixtureChart[],
  options: { repoName?: string; serve?: Record<string, Buffer>; home?: string } = {},
): Promise<ServedCharts> {
  const charts = await Promise.all(specs.map(packageChart));
  const table: Record<string, string | Buffer> = { '/index.yaml': indexText(charts) };
  for (const c of charts) table[`/${c.file}`] = options.serve?.[c.file] ?? c.data;
  const server = await loopback(routes(table));
  const home = options.home ?? tempDir('bosun-home-');
  await repoAdd({ home, name: options.repoName ?? 'local', url: server.url });
  return {
    server,
    charts,
    home,
    archiveRequests: () => server.requests.filter((r) => r.url.endsWith('.tgz')).length,
    close: () => server.close(),
  };
}

/** `serveCharts` for one test file: every repository it serves is closed after the test that started it. */
export function chartsServedPerTest(): (...args: Parameters<typeof serveCharts>) => Promise<ServedCharts> {
  const open: ServedCharts[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  return async (...args) => {
    const s = await serveCharts(...args);
    open.push(s);
    return s;
  };
}

/**
 * The `t` search fixture: versions, pre-releases, keywords, a long and a non-ASCII description
 * (real helm's output for it is what the search tests expect).
 */
export const T_INDEX = `apiVersion: v1
entries:
  alpha:
  - name: alpha
    version: 1.0.0-beta.1
    appVersion: "2.0"
    description: A chart whose description is long enough to be truncated by the table writer, really
    keywords: [coins, demo]
    urls: [alpha-1.0.0-beta.1.tgz]
  - name: alpha
    version: 0.9.0
    appVersion: "1.9"
    description: Alpha chart
    keywords: [coins, demo]
    urls: [alpha-0.9.0.tgz]
  - name: alpha
    version: 0.8.0
    description: Alpha chart old
    urls: [alpha-0.8.0.tgz]
  dockercoins:
  - name: dockercoins
    version: 0.1.0
    appVersion: v0.1
    description: Mine DockerCoins
    urls: [dockercoins-0.1.0.tgz]
  zeta:
  - name: zeta
    version: 2.0.0
    description: something about dockercoins and ünïcode ααααααααααααααααααααααααααααααααααααααααα
    urls: [zeta-2.0.0.tgz]
  pre:
  - name: pre
    version: 0.2.0-beta.1
    description: only pre
    urls: [pre.tgz]
generated: "2026-01-01T00:00:00Z"
`;

/** The `b` search fixture: a chart matched by its keyword. */
export const B_INDEX = `apiVersion: v1
entries:
  coins:
  - name: coins
    version: 1.0.0
    description: x
    keywords: [dockercoins]
    urls: [c.tgz]
generated: "2026-01-01T00:00:00Z"
`;
