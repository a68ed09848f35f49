/**
 * `bosun template`: render a chart locally and return the manifests as Helm prints them.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Chart } from '../chart/chart.js';
import { InvalidArgumentError } from '../internal/errors.js';
import { makeCapabilities } from '../template/capabilities.js';
import { globToRegExp } from '../template/files.js';
import type { FunctionOptions } from '../template/functions/index.js';
import { mergeValueOptions, type ValueOptions, type ValueSources } from '../values/index.js';
import { type ChartRepositoryOptions, loadChartRef } from './release/chart-ref.js';
import { validateReleaseName } from './release-name.js';
import { type RenderedRelease, renderRelease } from './render-release.js';

/** Options of `TemplateAction`; defaults match the CLI's. */
export interface TemplateOptions {
  /** @default 'release-name' */
  releaseName?: string;
  /** @default 'default' */
  namespace?: string;
  values?: ValueOptions;
  valueSources?: ValueSources;
  kubeVersion?: string;
  apiVersions?: string[];
  /** Only print manifests whose path (without the chart name) matches one of these globs. */
  showOnly?: string[];
  includeCrds?: boolean;
  skipTests?: boolean;
  isUpgrade?: boolean;
  skipSchemaValidation?: boolean;
  /** Clock and seed for `now` and the random functions. */
  functions?: FunctionOptions;
  /** Directory relative chart paths are resolved against. */
  cwd?: string;
  /** Resolves repository references (`stable/dockercoins`, `--repo`, `--version`). */
  repository?: ChartRepositoryOptions;
}

/** The result of a template run. */
export interface TemplateResult {
  /** The text `helm template` prints. */
  readonly output: string;
  /** The documents that went into `output`, in order. */
  readonly documents: readonly { readonly path: string; readonly content: string }[];
  readonly rendered: RenderedRelease;
}

/** The files of `crds/` across the chart tree, verbatim (never templated), as Helm prints them. */
function crdDocuments(chart: Chart): { path: string; content: string }[] {
  const out: { path: string; content: string }[] = [];
  const visit = (c: Chart, prefix: string) => {
    for (const f of c.files) {
      if (f.name.startsWith('crds/') && /\.(ya?ml|json)$/.test(f.name)) {
        out.push({ path: `${prefix}/${f.name}`, content: f.data.toString('utf8') });
      }
    }
    for (const sub of c.dependencies) visit(sub, `${prefix}/charts/${sub.metadata.name}`);
  };
  visit(chart, chart.metadata.name);
  return out;
}

/** Renders a chart without a cluster, as `helm template` does. */
export class TemplateAction {
  constructor(private readonly options: TemplateOptions = {}) {}

  /** Loads `chartRef` (a directory, an archive or a repository reference) and renders it. */
  async run(chartRef: string): Promise<TemplateResult> {
    const chart = await loadChartRef(chartRef, {
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      ...(this.options.repository ? { repository: this.options.repository } : {}),
    });
    return this.runWithChart(chart);
  }

  /** Renders an already-loaded chart. */
  async runWithChart(chart: Chart): Promise<TemplateResult> {
    const o = this.options;
    const releaseName = o.releaseName ?? 'release-name';
    validateReleaseName(releaseName);
    const userValues = await mergeValueOptions(o.values ?? {}, o.valueSources ?? { readFile: noFiles });
    const rendered = await renderRelease({
      chart,
      userValues,
      release: {
        Name: releaseName,
        Namespace: o.namespace ?? 'default',
        Revision: 1,
        IsInstall: !o.isUpgrade,
        IsUpgrade: Boolean(o.isUpgrade),
        Service: 'Helm',
      },
      capabilities: makeCapabilities(o.kubeVersion, o.apiVersions ?? []),
      ...(o.functions ? { functions: o.functions } : {}),
      ...(o.skipSchemaValidation ? { skipSchemaValidation: true } : {}),
      // Only the documents' text and heads are printed.
      lazyObjects: true,
    });
    const hooks = rendered.hooks.filter((h) => !(o.skipTests && h.events.includes('test')));
    let documents = [
      ...(o.includeCrds ? crdDocuments(rendered.chart) : []),
      ...rendered.manifests.map((m) => ({ path: m.path, content: m.content })),
      ...hooks.map((h) => ({ path: h.path, content: h.content })),
    ];
    if (o.showOnly && o.showOnly.length > 0) documents = selectShowOnly(documents, o.showOnly);
    const joined = documents.map((d) => `---\n# Source: ${d.path}\n${d.content}\n`).join('');
    // Helm trims the end of the whole stream (a verbatim CRD file's trailing blank lines).
    // (`trimEnd` removes what `\s+$` matches, without trying every whitespace run of the text.)
    const trimmed = joined.trimEnd();
    const output = joined === '' ? '' : trimmed.length === joined.length ? joined : `${trimmed}\n`;
    return { output, documents, rendered };
  }
}

function noFiles(p: string): never {
  throw new InvalidArgumentError(`cannot read "${p}": no file access configured`);
}

/** Keeps the documents whose chart-relative path matches a `--show-only` glob; each glob must match. */
export function selectShowOnly<T extends { path: string }>(
  docs: readonly T[],
  patterns: readonly string[],
): T[] {
  const relative = (p: string) => p.slice(p.indexOf('/') + 1);
  const out: T[] = [];
  // Helm prints pattern by pattern, each pattern's matches in document order.
  for (const pattern of patterns) {
    const re = globToRegExp(pattern.replace(/\\/g, '/'));
    const matches = docs.filter((d) => re.test(relative(d.path)));
    if (matches.length === 0) throw new InvalidArgumentError(`could not find template ${pattern} in chart`);
    for (const m of matches) if (!out.includes(m)) out.push(m);
  }
  return out;
}

/**
 * Writes documents under `outputDir` as Helm does (`<dir>/<chart path>`, documents of one
 * template appended in order). Returns the files written.
 */
export async function writeOutputDir(
  outputDir: string,
  documents: readonly { path: string; content: string }[],
): Promise<string[]> {
  const byFile = new Map<string, string>();
  for (const d of documents) {
    byFile.set(d.path, `${byFile.get(d.path) ?? ''}---\n# Source: ${d.path}\n${d.content}\n`);
  }
  const root = path.resolve(outputDir);
  const written: string[] = [];
  for (const [rel, text] of byFile) {
    const target = path.resolve(root, rel);
    if (!target.startsWith(root + path.sep))
      throw new InvalidArgumentError(`refusing to write outside ${outputDir}: ${rel}`);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text);
    written.push(target);
  }
  return written;
}
