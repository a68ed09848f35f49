/**
 * Renders a chart tree: builds each chart's template context (`Values`, `Release`, `Chart`,
 * `Capabilities`, `Template`, `Files`, `Subcharts`), registers every define across the tree
 * (parent defines win over subchart ones, as in Helm), renders every non-partial template and
 * NOTES.txt.
 */

import type { Chart, ChartFile } from '../chart/chart.js';
import { ChartInvalidError } from '../internal/errors.js';
import type { PlainObject } from '../internal/objects.js';
import type { Capabilities } from './capabilities.js';
import { TemplateEngine } from './engine/index.js';
import { filesFunctions } from './files.js';
import { createFunctionTable, type FunctionOptions } from './functions/index.js';
import { semverCompare } from './functions/semver.js';

/** `.Release` as templates see it. */
export interface ReleaseInfo {
  readonly Name: string;
  readonly Namespace: string;
  readonly Revision: number;
  readonly IsInstall: boolean;
  readonly IsUpgrade: boolean;
  readonly Service: string;
}

/** Options of `renderChart`. */
export interface RenderOptions {
  readonly release: ReleaseInfo;
  readonly capabilities: Capabilities;
  /** Clock, seed, lookup and lint mode for the function library. */
  readonly functions?: FunctionOptions;
  /** Also render subcharts' NOTES.txt. @default false */
  readonly renderSubchartNotes?: boolean;
  /** A subchart's `.Values` from its parent's (the values layer's `scopeValues`). */
  readonly scopeValues: (parentValues: PlainObject, subchartName: string) => PlainObject;
  /** Called with each rendered template (as it goes into `files`) right after its render. */
  readonly onRendered?: (path: string, text: string) => void;
}

/** What rendering a chart produces. */
export interface RenderResult {
  /** Rendered text per template path (`mychart/templates/x.yaml`), partials and NOTES excluded. */
  readonly files: ReadonlyMap<string, string>;
  /** The rendered NOTES.txt (root chart, plus subcharts when asked), '' when none. */
  readonly notes: string;
}

interface TemplateJob {
  readonly path: string;
  readonly basePath: string;
  readonly file: ChartFile;
  readonly context: PlainObject;
  readonly depth: number;
  readonly library: boolean;
  readonly root: boolean;
}

const NOTES = 'templates/NOTES.txt';

/** `.Chart`: Chart.yaml fields under Go's names. */
export function chartObject(chart: Chart, isRoot: boolean): PlainObject {
  const m = chart.metadata;
  return {
    Name: m.name,
    Version: m.version,
    AppVersion: m.appVersion ?? '',
    APIVersion: m.apiVersion,
    Description: m.description ?? '',
    Home: m.home ?? '',
    Icon: m.icon ?? '',
    Keywords: m.keywords ?? [],
    Maintainers: m.maintainers ?? [],
    Sources: m.sources ?? [],
    Annotations: m.annotations ?? {},
    KubeVersion: m.kubeVersion ?? '',
    Dependencies: m.dependencies ?? [],
    Type: m.type ?? '',
    Deprecated: m.deprecated ?? false,
    IsRoot: isRoot,
  };
}

function filesObject(chart: Chart): PlainObject {
  const out: PlainObject = {};
  for (const f of chart.files) out[f.name] = f.data.toString('utf8');
  return out;
}

function checkKubeVersion(chart: Chart, caps: Capabilities): void {
  const constraint = chart.metadata.kubeVersion;
  if (!constraint) return;
  const version = caps.KubeVersion.Version;
  // Helm checks with Masterminds' constraint rules, which semverCompare implements.
  let ok: boolean;
  try {
    ok = semverCompare(constraint, version);
  } catch (err) {
    throw new ChartInvalidError(
      `chart kubeVersion "${constraint}" is not a valid constraint: ${(err as Error).message}`,
    );
  }
  if (!ok) {
    throw new ChartInvalidError(
      `chart requires kubeVersion: ${constraint} which is incompatible with Kubernetes ${version}`,
    );
  }
}

/** Walks the chart tree, building one job per template with its chart's context. */
function collectJobs(chart: Chart, values: PlainObject, options: RenderOptions): TemplateJob[] {
  const jobs: TemplateJob[] = [];
  const visit = (c: Chart, vals: PlainObject, prefix: string, depth: number): PlainObject => {
    // Helm checks the root chart's kubeVersion only.
    if (depth === 0) checkKubeVersion(c, options.capabilities);
    const subcharts: PlainObject = {};
    const context: PlainObject = {
      Values: vals,
      Release: options.release,
      Chart: chartObject(c, depth === 0),
      Capabilities: options.capabilities,
      Files: filesObject(c),
      Subcharts: subcharts,
    };
    for (const sub of c.dependencies) {
      const name = sub.metadata.name;
      subcharts[name] = visit(sub, options.scopeValues(vals, name), `${prefix}/charts/${name}`, depth + 1);
    }
    const library = c.metadata.type === 'library';
    for (const file of c.templates) {
      // A library chart contributes only its partials; Helm ignores its other templates.
      if (library && !file.name.slice(file.name.lastIndexOf('/') + 1).startsWith('_')) continue;
      const path = `${prefix}/${file.name}`;
      jobs.push({
        path,
        basePath: `${prefix}/templates`,
        file,
        context,
        depth: path.split('/').length,
        library,
        root: depth === 0,
      });
    }
    return context;
  };
  visit(chart, values, chart.metadata.name, 0);
  return jobs;
}

/**
 * Renders every template of `chart` (already reduced to its enabled subcharts) with the
 * coalesced `values`. Throws `RenderError` naming the template file and line.
 */
export function renderChart(chart: Chart, values: PlainObject, options: RenderOptions): RenderResult {
  if (chart.metadata.type === 'library') {
    throw new ChartInvalidError('library charts are not installable');
  }
  const engine = new TemplateEngine({
    functions: { ...createFunctionTable(options.functions ?? {}), ...filesFunctions },
  });
  const jobs = collectJobs(chart, values, options);
  const parsed = jobs.map((job) => ({
    job,
    template: engine.parse(job.file.data.toString('utf8'), job.path),
  }));

  // Helm parses deepest paths first, then reverse name order; a later define wins, so parents
  // override subcharts and `_a.tpl` overrides `_b.tpl`.
  const defineOrder = [...parsed].sort(
    (a, b) => b.job.depth - a.job.depth || (a.job.path < b.job.path ? 1 : -1),
  );
  for (let k = 0; k < defineOrder.length; k++) engine.addDefines(defineOrder[k].template);

  const files = new Map<string, string>();
  let notes = '';
  for (let k = 0; k < parsed.length; k++) {
    const { job, template } = parsed[k];
    const base = job.path.slice(job.path.lastIndexOf('/') + 1);
    if (job.library || base.startsWith('_')) continue;
    const isNotes = job.file.name === NOTES;
    if (isNotes && !job.root && !options.renderSubchartNotes) continue;
    const context = { ...job.context, Template: { Name: job.path, BasePath: job.basePath } };
    const text = engine.render(template, context);
    if (isNotes) {
      if (text.trim() !== '') notes = notes === '' ? text : `${notes}\n${text}`;
    } else {
      files.set(job.path, text);
      options.onRendered?.(job.path, text);
    }
  }
  return { files, notes };
}
