/**
 * Builders for lint tests: small charts on disk (Chart.yaml text, values, Handlebars templates)
 * and in memory (a `LintTarget` and a `Chart` model), plus a clean Deployment template.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { type LintTarget, targetFromFiles } from '../../../src/action/lint/support.js';
import type { Chart, ChartFile } from '../../../src/chart/chart.js';
import { tempDir } from '../../helpers/chart-builder.js';

/** A Chart.yaml that passes every Chart.yaml rule except the icon one. */
export const CHART_YAML =
  'apiVersion: v2\nname: mychart\ndescription: A test chart\nversion: 0.1.0\nappVersion: "1.0"\n';

/** A Deployment template that passes every template rule. */
export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{Release.Name}}-web
spec:
  replicas: {{Values.replicas}}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
`;

/** A chart to write: `null` leaves a file out; `templates: null` leaves out the directory. */
export interface LintChartSpec {
  readonly chartYaml?: string | null;
  readonly values?: string | null;
  /** Files under `templates/`, by name. */
  readonly templates?: Readonly<Record<string, string>> | null;
  /** Any other files, by chart-relative path. */
  readonly files?: Readonly<Record<string, string>>;
}

function write(root: string, rel: string, content: string): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

/** Writes a chart into `dir/<name>` (a fresh temporary directory by default); returns its path. */
export function buildChart(spec: LintChartSpec = {}, name = 'mychart', dir = tempDir('bosun-lint-')): string {
  const root = path.join(dir, name);
  mkdirSync(root, { recursive: true });
  const chartYaml = spec.chartYaml === undefined ? CHART_YAML.replace('mychart', name) : spec.chartYaml;
  if (chartYaml !== null) write(root, 'Chart.yaml', chartYaml);
  const values = spec.values === undefined ? 'replicas: 1\n' : spec.values;
  if (values !== null) write(root, 'values.yaml', values);
  const templates = spec.templates === undefined ? { 'deployment.yaml': DEPLOYMENT } : spec.templates;
  if (templates !== null) {
    mkdirSync(path.join(root, 'templates'), { recursive: true });
    for (const [file, content] of Object.entries(templates)) write(root, `templates/${file}`, content);
  }
  for (const [rel, content] of Object.entries(spec.files ?? {})) write(root, rel, content);
  return root;
}

/** Chart files from text. */
export function chartFiles(files: Readonly<Record<string, string>>): ChartFile[] {
  return Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text) }));
}

/** An in-memory lint target. */
export function memoryTarget(files: Readonly<Record<string, string>>, chartPath = 'mychart'): LintTarget {
  return targetFromFiles(chartPath, chartFiles(files));
}

/** A minimal chart model (for dependency and CRD rules). */
export function chartModel(
  name: string,
  options: {
    files?: Record<string, string>;
    dependencies?: Chart[];
    declared?: { name: string; alias?: string }[];
  } = {},
): Chart {
  return {
    metadata: {
      apiVersion: 'v2',
      name,
      version: '0.1.0',
      ...(options.declared ? { dependencies: options.declared } : {}),
    },
    templates: [],
    values: {},
    files: chartFiles(options.files ?? {}),
    raw: [],
    dependencies: options.dependencies ?? [],
  };
}

/** Asserts that `got` has one line per expected prefix, each starting with it. */
export function expectLinesStartWith(got: readonly string[], expected: readonly string[]): void {
  expect(got.length, got.join('\n')).toBe(expected.length);
  for (const [i, line] of got.entries()) {
    expect(line.startsWith(expected[i]!), `${line}\n  should start with\n${expected[i]}`).toBe(true);
  }
}
