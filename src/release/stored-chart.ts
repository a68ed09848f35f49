/**
 * The chart inside a release record (`pkg/chart/v2/chart.go` as JSON): what Helm keeps of a
 * chart when it stores a revision, and the chart rebuilt from it when an old revision is rendered
 * again.
 */

import type { Chart, ChartFile, ChartLock, ChartMetadata } from '../chart/chart.js';
import { deepCopy, type PlainObject } from '../internal/objects.js';
import { toYamlDocument } from '../internal/yaml.js';
import type { StoredChart, StoredFile } from './release.js';

const b64 = (data: Buffer): string => data.toString('base64');
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The chart as a release stores it: the parent only (Helm's `Chart.dependencies` is unexported,
 * so subcharts never reach the JSON). Files follow Helm's loader: everything that is not
 * `Chart.yaml`, `Chart.lock`, `values.yaml`, `values.schema.json`, a template or a subchart
 * under `charts/` (provenance files there stay); an apiVersion v1 chart also keeps its
 * `requirements.yaml`/`requirements.lock` as files.
 */
export function storedChart(chart: Chart): StoredChart {
  const files: ChartFile[] = chart.files.filter(
    (f) => !f.name.startsWith('charts/') || f.name.endsWith('.prov'),
  );
  if (chart.metadata.apiVersion === 'v1') {
    for (const f of chart.raw) {
      if (f.name === 'requirements.yaml' || f.name === 'requirements.lock') files.push(f);
    }
  }
  return {
    metadata: deepCopy(chart.metadata as unknown as PlainObject) as unknown as ChartMetadata,
    lock: chart.lock ? (deepCopy(chart.lock as unknown as PlainObject) as PlainObject) : null,
    templates: chart.templates.map((f) => ({ name: f.name, data: b64(f.data) })),
    values: deepCopy(chart.values),
    schema: chart.schema === undefined ? null : b64(Buffer.from(chart.schema, 'utf8')),
    files: files.sort(byName).map((f) => ({ name: f.name, data: b64(f.data) })),
  };
}

/**
 * A chart rebuilt from a stored one, so an old revision can be rendered again (`--reuse-values`,
 * NOTES): no subcharts (they were never stored), and `raw` rebuilt from what is stored
 * (Chart.yaml and values.yaml written out as YAML, not the original text).
 */
export function chartFromStored(stored: StoredChart): Chart {
  const file = (f: StoredFile): ChartFile => ({ name: f.name, data: Buffer.from(f.data, 'base64') });
  const templates = stored.templates.map(file).sort(byName);
  const files = stored.files.map(file).sort(byName);
  const metadata = deepCopy(stored.metadata as unknown as PlainObject) as unknown as ChartMetadata;
  const values = deepCopy(stored.values ?? {});
  const schema = stored.schema ? Buffer.from(stored.schema, 'base64').toString('utf8') : undefined;
  let lock: ChartLock | undefined;
  if (stored.lock) {
    lock = {
      generated: String(stored.lock['generated'] ?? ''),
      digest: String(stored.lock['digest'] ?? ''),
      dependencies: Array.isArray(stored.lock['dependencies'])
        ? (deepCopy(stored.lock['dependencies']) as ChartLock['dependencies'])
        : [],
    };
  }
  const raw: ChartFile[] = [
    { name: 'Chart.yaml', data: Buffer.from(toYamlDocument(metadata)) },
    ...(Object.keys(values).length > 0
      ? [{ name: 'values.yaml', data: Buffer.from(toYamlDocument(values)) }]
      : []),
    ...(schema !== undefined ? [{ name: 'values.schema.json', data: Buffer.from(schema) }] : []),
    ...(lock ? [{ name: 'Chart.lock', data: Buffer.from(toYamlDocument(lock)) }] : []),
    ...templates,
    ...files,
  ];
  return {
    metadata,
    templates,
    values,
    files,
    raw: raw.sort(byName),
    dependencies: [],
    ...(lock ? { lock } : {}),
    ...(schema !== undefined ? { schema } : {}),
  };
}
