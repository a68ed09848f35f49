/**
 * Builders for in-memory charts used by the values tests.
 */

import type { Chart, Dependency } from '../../src/chart/chart.js';
import type { PlainObject } from '../../src/internal/objects.js';

/** Options of `makeChart`. */
export interface ChartSpec {
  values?: PlainObject;
  /** Chart.yaml `dependencies`. */
  deps?: Dependency[];
  /** Loaded subcharts (`charts/`). */
  subcharts?: Chart[];
  /** `values.schema.json` text. */
  schema?: string;
}

/** Builds a chart named `name` with the given defaults, dependencies and subcharts. */
export function makeChart(name: string, spec: ChartSpec = {}): Chart {
  return {
    metadata: {
      apiVersion: 'v2',
      name,
      version: '1.0.0',
      ...(spec.deps ? { dependencies: spec.deps } : {}),
    },
    templates: [],
    values: spec.values ?? {},
    ...(spec.schema === undefined ? {} : { schema: spec.schema }),
    files: [],
    raw: [],
    dependencies: spec.subcharts ?? [],
  };
}

/** Names of a chart's subcharts, recursively, as `parent/sub` paths. */
export function chartTree(chart: Chart, prefix = ''): string[] {
  const here = prefix + chart.metadata.name;
  return [here, ...chart.dependencies.flatMap((c) => chartTree(c, `${here}/`))];
}

/** Whether anything polluted `Object.prototype`. */
export function prototypeIsClean(): boolean {
  const probe: Record<string, unknown> = {};
  return probe.polluted === undefined && Object.keys(Object.prototype).length === 0;
}
