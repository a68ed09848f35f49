/**
 * What every lint rule shares: messages and their severities, the chart being linted (its files
 * plus the few directory facts Helm's rules test), and Kubernetes-style YAML document decoding.
 */

import type { ChartFile } from '../../chart/chart.js';
import { errorMessage, YamlError } from '../../internal/errors.js';
import { isPlainObject } from '../../internal/objects.js';
import { parseYaml } from '../../internal/yaml.js';

/** Severity of a lint finding, with Helm's names. */
export type Severity = 'INFO' | 'WARNING' | 'ERROR';

/** One lint finding: `path` is the chart-relative file or directory it is about. */
export interface LintMessage {
  readonly severity: Severity;
  readonly path: string;
  readonly message: string;
}

/** What is at a chart-relative path. */
export type EntryKind = 'file' | 'directory';

/** The chart being linted: its files and the layout facts Helm's rules check on disk. */
export interface LintTarget {
  /** The chart as the user named it (a directory or an archive path). */
  readonly path: string;
  /** Every file, named relative to the chart root with `/` separators, sorted by name. */
  readonly files: readonly ChartFile[];
  /** What is at `name` (relative to the chart root), `undefined` when nothing is. */
  entry(name: string): EntryKind | undefined;
}

/** Builds a `LintTarget` whose layout is derived from its file list (archives, tests). */
export function targetFromFiles(chartPath: string, files: readonly ChartFile[]): LintTarget {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    path: chartPath,
    files: sorted,
    entry(name) {
      if (sorted.some((f) => f.name === name)) return 'file';
      if (sorted.some((f) => f.name.startsWith(`${name}/`))) return 'directory';
      return undefined;
    },
  };
}

/** The text of a chart file, or `undefined` when the chart has no such file. */
export function fileText(target: LintTarget, name: string): string | undefined {
  return target.files.find((f) => f.name === name)?.data.toString('utf8');
}

/** Collects the findings of one rule area, in the order the checks ran (Helm's `Linter`). */
export class Findings {
  readonly messages: LintMessage[] = [];

  /** Records `message` when it is defined; returns whether the check passed (no message). */
  check(severity: Severity, path: string, message: string | undefined): boolean {
    if (message === undefined) return true;
    this.messages.push({ severity, path, message });
    return false;
  }
}

/** Go's `%q` for the strings lint quotes (close enough: JSON escaping). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** A YAML error as lint prints it: `line N: detail`, without the internal source name. */
export function yamlErrorText(err: unknown): string {
  if (err instanceof YamlError) {
    const prefix = `${err.source}${err.line === undefined ? '' : `:${err.line}`}: `;
    const detail = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return err.line === undefined ? detail : `line ${err.line}: ${detail}`;
  }
  return errorMessage(err);
}

/** One document of a YAML stream, decoded, or why it could not be. */
export type DecodedDocument =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

const SEPARATOR = '---';

/**
 * Splits a YAML stream into document texts the way Kubernetes' YAML reader does: a line that
 * starts with `---` ends a document, and only spaces or a comment may follow the marker.
 */
function splitDocuments(text: string): Array<string | { error: string }> {
  const out: Array<string | { error: string }> = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(SEPARATOR)) {
      const rest = line.slice(SEPARATOR.length).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        out.push({ error: `invalid Yaml document separator: ${rest}` });
        return out;
      }
      if (current.length > 0) out.push(current.join('\n'));
      current = [];
      continue;
    }
    current.push(line);
  }
  if (current.length > 0) out.push(current.join('\n'));
  return out;
}

/**
 * Decodes every document of a rendered template or CRD file, in order, as Kubernetes objects:
 * empty documents decode to `null`; a document that is not a map, or not YAML, is an error.
 * Decoding stops at the first error, as Helm's decoder loop does.
 */
export function decodeDocuments(text: string, source: string): DecodedDocument[] {
  const out: DecodedDocument[] = [];
  for (const doc of splitDocuments(text)) {
    if (typeof doc !== 'string') {
      out.push({ ok: false, error: doc.error });
      return out;
    }
    let value: unknown;
    try {
      value = parseYaml(doc, source);
    } catch (err) {
      out.push({ ok: false, error: yamlErrorText(err) });
      return out;
    }
    if (value !== null && value !== undefined && !isPlainObject(value)) {
      out.push({
        ok: false,
        error: `a Kubernetes object must be a map, got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
      });
      return out;
    }
    out.push({ ok: true, value: value ?? null });
  }
  return out;
}

/** The identifying fields lint reads from a Kubernetes object (Helm's `k8sYamlStruct`). */
export interface ObjectHead {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** Reads `apiVersion`, `kind` and `metadata.name` from a decoded object. */
export function objectHead(obj: Record<string, unknown>): ObjectHead {
  const meta = isPlainObject(obj['metadata']) ? obj['metadata'] : {};
  return {
    apiVersion: scalarText(obj['apiVersion']),
    kind: scalarText(obj['kind']),
    name: scalarText(meta['name']),
  };
}
