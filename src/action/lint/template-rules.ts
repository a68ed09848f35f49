/**
 * Template rules (Helm's `rules/template.go`): render the chart as release `test-release` in
 * lint mode, then check each rendered YAML template document by document — indentation, YAML,
 * object names, deprecated APIs, workload selectors and List annotations.
 */

import type { Chart } from '../../chart/chart.js';
import { errorMessage } from '../../internal/errors.js';
import { isPlainObject, type PlainObject } from '../../internal/objects.js';
import { type Capabilities, makeCapabilities } from '../../template/capabilities.js';
import type { ReleaseInfo } from '../../template/render.js';
import { renderTemplates } from '../render-release.js';
import { deprecationWarning, type KubeRelease } from './deprecations.js';
import { metadataNameProblem } from './names.js';
import {
  decodeDocuments,
  Findings,
  goQuote,
  type LintMessage,
  type LintTarget,
  type ObjectHead,
  objectHead,
} from './support.js';
import type { LoadedChart } from './target.js';

const TEMPLATES_DIR = 'templates/';

/** The release name every lint render uses, as Helm does. */
export const LINT_RELEASE_NAME = 'test-release';

/** Template extensions lint accepts. */
export const VALID_TEMPLATE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.tpl', '.txt'];

/** Kinds whose rendered text must mention `matchLabels` or `matchExpressions`. */
const SELECTOR_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet']);

/** Options of `lintTemplates`. */
export interface TemplateLintOptions {
  /** The user's merged `-f`/`--set` values. */
  readonly userValues: PlainObject;
  /** `--kube-version`; also the version deprecations are judged against. @default DEFAULT_KUBE_VERSION */
  readonly kubeVersion?: string;
  /** @default 'default' */
  readonly namespace?: string;
  /** @default false */
  readonly skipSchemaValidation?: boolean;
}

/** Go's `filepath.Ext`: the suffix from the last dot of the base name, or `''`. */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot);
}

/** Renders `chart` as lint does: release `test-release`, lint mode (`required` does not fail). */
async function renderForLint(
  chart: Chart,
  options: TemplateLintOptions,
  caps: Capabilities,
): Promise<ReadonlyMap<string, string>> {
  // Library charts render nothing; their templates are still checked for extensions.
  if (chart.metadata.type === 'library') return new Map();
  const release: ReleaseInfo = {
    Name: LINT_RELEASE_NAME,
    Namespace: options.namespace ?? 'default',
    Revision: 1,
    IsInstall: true,
    IsUpgrade: false,
    Service: 'Helm',
  };
  const rendered = await renderTemplates({
    chart,
    userValues: options.userValues,
    release,
    capabilities: caps,
    functions: { lintMode: true },
    ...(options.skipSchemaValidation ? { skipSchemaValidation: true } : {}),
  });
  return rendered.files;
}

/** Helm's top-level indent check: the first non-blank line must not start with a space or tab. */
export function topIndentProblem(content: string): string | undefined {
  for (const raw of content.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      return `document starts with an illegal indent: ${goQuote(line)}, which may cause parsing problems`;
    }
    return undefined;
  }
  return undefined;
}

function selectorProblem(head: ObjectHead, fileContent: string): string | undefined {
  if (!SELECTOR_KINDS.has(head.kind)) return undefined;
  if (fileContent.includes('matchLabels') || fileContent.includes('matchExpressions')) return undefined;
  return `a ${head.kind} must contain matchLabels or matchExpressions, and ${goQuote(head.name)} does not`;
}

function listAnnotationProblem(head: ObjectHead, obj: Record<string, unknown>): string | undefined {
  if (head.kind !== 'List' || !Array.isArray(obj['items'])) return undefined;
  for (const item of obj['items']) {
    const meta = isPlainObject(item) && isPlainObject(item['metadata']) ? item['metadata'] : {};
    const annotations = isPlainObject(meta['annotations']) ? meta['annotations'] : {};
    if (Object.hasOwn(annotations, 'helm.sh/resource-policy')) {
      return "annotation 'helm.sh/resource-policy' within List objects are ignored";
    }
  }
  return undefined;
}

function kubeRelease(caps: Capabilities): KubeRelease {
  return [Number(caps.KubeVersion.Major), Number(caps.KubeVersion.Minor)];
}

/**
 * Lints the rendered templates. Returns early, as Helm does, when `templates/` is missing
 * (WARNING) or not a directory, the chart does not load or render (ERROR), or a template's
 * YAML does not parse (ERROR; the remaining templates are not checked).
 */
export async function lintTemplates(
  target: LintTarget,
  loaded: LoadedChart,
  options: TemplateLintOptions,
): Promise<LintMessage[]> {
  const f = new Findings();
  const entry = target.entry('templates');
  if (!f.check('WARNING', TEMPLATES_DIR, entry === undefined ? 'directory does not exist' : undefined))
    return f.messages;
  if (!f.check('ERROR', TEMPLATES_DIR, entry === 'directory' ? undefined : 'not a directory'))
    return f.messages;
  if ('error' in loaded) {
    f.check('ERROR', TEMPLATES_DIR, loaded.error);
    return f.messages;
  }
  const chart = loaded.chart;
  const caps = makeCapabilities(options.kubeVersion);
  let rendered: ReadonlyMap<string, string>;
  try {
    rendered = await renderForLint(chart, options, caps);
  } catch (err) {
    f.check('ERROR', TEMPLATES_DIR, errorMessage(err));
    return f.messages;
  }

  for (const template of chart.templates) {
    const name = template.name;
    const ext = extensionOf(name);
    f.check(
      'ERROR',
      name,
      VALID_TEMPLATE_EXTENSIONS.includes(ext)
        ? undefined
        : `file extension '${ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt`,
    );
    const lower = ext.toLowerCase();
    if (lower !== '.yaml' && lower !== '.yml') continue;
    const content = rendered.get(`${chart.metadata.name}/${name}`) ?? '';
    if (content.trim() === '') continue;
    f.check('WARNING', name, topIndentProblem(content));
    for (const doc of decodeDocuments(content, name)) {
      if (!doc.ok) {
        f.check('ERROR', name, `unable to parse YAML: ${doc.error}`);
        return f.messages;
      }
      if (!isPlainObject(doc.value)) continue;
      const head = objectHead(doc.value);
      f.check('WARNING', name, metadataNameProblem(head.kind, head.name));
      if (head.apiVersion !== '' && head.kind !== '') {
        f.check('WARNING', name, deprecationWarning(head.apiVersion, head.kind, kubeRelease(caps)));
      }
      f.check('ERROR', name, selectorProblem(head, content));
      f.check('ERROR', name, listAnnotationProblem(head, doc.value));
    }
  }
  return f.messages;
}
