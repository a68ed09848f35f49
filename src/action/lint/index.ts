/**
 * `bosun lint`: examine charts for possible issues, with Helm's rules, severities and wording
 * (`pkg/chart/v2/lint`). One file per rule area, run in Helm's order: Chart.yaml, values,
 * templates, dependencies, CRDs. The action returns findings; it never prints.
 */

import { type Dirent, promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../internal/errors.js';
import { deepCopy, type PlainObject } from '../../internal/objects.js';
import { DEFAULT_KUBE_VERSION, parseKubeVersion } from '../../template/capabilities.js';
import { mergeValueOptions, type ValueOptions, type ValueSources } from '../../values/index.js';
import { lintChartfile } from './chartfile-rules.js';
import { lintCrds } from './crd-rules.js';
import { lintDependencies } from './dependency-rules.js';
import type { LintMessage } from './support.js';
import { isArchivePath, loadForLint, openTarget } from './target.js';
import { lintTemplates } from './template-rules.js';
import { lintValues } from './values-rules.js';

export type { LintMessage, Severity } from './support.js';

/** Options of `LintAction`; defaults match the CLI's. */
export interface LintOptions {
  /** Fail a chart on warnings too. @default false */
  strict?: boolean;
  /** The user's `-f`/`--set` flags. */
  values?: ValueOptions;
  /** Where `-f` and `--set-file` files are read from. */
  valueSources?: ValueSources;
  /** Kubernetes version for `.Capabilities` and the deprecation checks. @default DEFAULT_KUBE_VERSION */
  kubeVersion?: string;
  /** Also lint every chart found under each chart's `charts/`. @default false */
  withSubcharts?: boolean;
  /** Leave INFO messages out of the result. @default false */
  quiet?: boolean;
  /** Skip `values.schema.json` validation. @default false */
  skipSchemaValidation?: boolean;
  /** Namespace of the lint render (`.Release.Namespace`). @default 'default' */
  namespace?: string;
  /** Directory relative chart paths are resolved against. @default process.cwd() */
  cwd?: string;
}

/** The findings for one chart path. */
export interface ChartLintResult {
  /** The chart as given (or found under `charts/` with `withSubcharts`). */
  readonly path: string;
  readonly messages: readonly LintMessage[];
  /** Set when the path could not be linted at all (not a chart, unreadable archive). */
  readonly error?: string;
  /** Whether this chart failed: an ERROR, a WARNING with `strict`, or `error`. */
  readonly failed: boolean;
}

/** The result of a lint run. */
export interface LintResult {
  readonly charts: readonly ChartLintResult[];
  /** How many chart paths were linted. */
  readonly linted: number;
  /** How many of them failed. */
  readonly failed: number;
}

function noFiles(p: string): never {
  throw new InvalidArgumentError(`cannot read "${p}": no file access configured`);
}

/**
 * Charts under `<chart>/charts/`, depth first in name order, as Helm's `--with-subcharts` walk
 * finds them: every directory holding a Chart.yaml, and every `.tgz`/`.tar.gz`.
 */
async function findSubcharts(chartPath: string, cwd: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(path.resolve(cwd, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = path.join(rel, e.name);
      if (e.name === 'Chart.yaml') found.push(rel);
      else if (e.isDirectory()) await walk(child);
      else if (isArchivePath(e.name)) found.push(child);
    }
  };
  if (!isArchivePath(chartPath)) await walk(path.join(chartPath, 'charts'));
  return found;
}

/** Lints charts, as `helm lint` does. */
export class LintAction {
  constructor(private readonly options: LintOptions = {}) {}

  /** Lints each of `paths` (directories or archives; `.` when empty). */
  async run(paths: readonly string[]): Promise<LintResult> {
    const o = this.options;
    const cwd = o.cwd ?? process.cwd();
    // Validate the flag before any chart is read, so a typo is one clear error.
    const kubeVersion = parseKubeVersion(o.kubeVersion ?? DEFAULT_KUBE_VERSION).Version;
    const userValues = await mergeValueOptions(o.values ?? {}, o.valueSources ?? { readFile: noFiles });
    const all = paths.length > 0 ? [...paths] : ['.'];
    if (o.withSubcharts) {
      for (const p of [...all]) all.push(...(await findSubcharts(p, cwd)));
    }
    const charts: ChartLintResult[] = [];
    for (const p of all) charts.push(await this.lintOne(p, cwd, kubeVersion, deepCopy(userValues)));
    return { charts, linted: all.length, failed: charts.filter((c) => c.failed).length };
  }

  private async lintOne(
    chartPath: string,
    cwd: string,
    kubeVersion: string,
    userValues: PlainObject,
  ): Promise<ChartLintResult> {
    const o = this.options;
    const opened = await openTarget(chartPath, cwd);
    if ('error' in opened) return { path: chartPath, messages: [], error: opened.error, failed: true };
    const target = opened.target;
    const chartfile = lintChartfile(target);
    const chartName =
      typeof chartfile.raw?.['name'] === 'string'
        ? chartfile.raw['name']
        : path.basename(path.resolve(cwd, chartPath));
    const skipSchemaValidation = Boolean(o.skipSchemaValidation);
    const loaded = await loadForLint(target, chartfile.raw);
    let messages: LintMessage[] = [
      ...chartfile.messages,
      ...(await lintValues(target, { userValues, chartName, skipSchemaValidation })),
      ...(await lintTemplates(target, loaded, {
        userValues,
        kubeVersion,
        namespace: o.namespace ?? 'default',
        skipSchemaValidation,
      })),
      ...lintDependencies(target, chartfile.raw, loaded),
      ...lintCrds(target, loaded),
    ];
    const failed = messages.some((m) => m.severity === 'ERROR' || (o.strict && m.severity === 'WARNING'));
    if (o.quiet) messages = messages.filter((m) => m.severity !== 'INFO');
    return { path: chartPath, messages, failed };
  }
}
