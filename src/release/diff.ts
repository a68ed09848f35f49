/**
 * The difference between two release manifests, resource by resource, in the spirit of the
 * `helm-diff` plugin (`diff/diff.go`, `manifest/parse.go`): each document is keyed by
 * `NAMESPACE, NAME, KIND (GROUP)`; a resource is added, removed or changed (unchanged ones are
 * left out); a change carries a line diff of the document with hunks of N context lines. Secret
 * values are masked unless asked for, so a diff never prints them.
 *
 * Pure: no cluster, no storage, no printing. `renderDiff` turns the changes into text.
 */

import { diffArrays } from 'diff';
import { isPlainObject, type PlainObject } from '../internal/objects.js';
import { parseYamlStream, toYaml } from '../internal/yaml.js';
import { splitManifests } from './manifest.js';
import type { Release } from './release.js';

/** What happened to a resource between the two manifests. */
export type ChangeType = 'added' | 'removed' | 'changed';

/** One line of a document diff: `' '` common, `'-'` only in the old one, `'+'` only in the new. */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** A run of lines around changes, located as in a unified diff (1-based starts). */
export interface DiffHunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  /** Lines of the document diff left out before this hunk (printed as `...`). */
  readonly skippedBefore: number;
  readonly lines: readonly DiffLine[];
}

/** One added, removed or changed resource. */
export interface ResourceChange {
  /** helm-diff's key: `default, worker, Deployment (apps)`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  /** `apiVersion` without its version: `apps`, or `v1` for the core group (as helm-diff shows it). */
  readonly group: string;
  readonly change: ChangeType;
  /** The kind is suppressed (`--suppress`, `--suppress-secrets`): no lines are kept. */
  readonly suppressed: boolean;
  /** The hunks to show; empty when suppressed. */
  readonly hunks: readonly DiffHunk[];
  /** Lines left out after the last hunk (printed as `...`). */
  readonly skippedAfter: number;
}

/** Options of {@link diffManifests}. */
export interface DiffOptions {
  /**
   * Lines of context around each change; negative shows whole documents. helm-diff's
   * `--context` defaults to -1, so does this.
   * @default -1
   */
  readonly context?: number;
  /** Print Secret values as they are instead of masking them. @default false */
  readonly showSecrets?: boolean;
  /** Kinds whose changes are listed without their lines (helm-diff's `--suppress`). */
  readonly suppressedKinds?: readonly string[];
  /** Namespace of documents that name none: the release namespace. @default 'default' */
  readonly namespace?: string;
}

/** The result of {@link diffManifests}. */
export interface ManifestDiff {
  /** Changed resources, then removed, then added, each by key (helm-diff's order). */
  readonly changes: readonly ResourceChange[];
  /** Documents skipped because another one had the same key. */
  readonly warnings: readonly string[];
}

interface Resource {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly group: string;
  /** The document as stored, `# Source:` line included. */
  readonly content: string;
  readonly object: PlainObject;
  readonly source: string;
}

const SOURCE_LINE = /^# Source: (.*)$/m;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** helm-diff's group: everything of `apiVersion` before the last `/`, the whole of it without one. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(0, slash);
}

function resourceOf(object: PlainObject, content: string, source: string, namespace: string): Resource {
  const meta = isPlainObject(object['metadata']) ? object['metadata'] : {};
  const ns = str(meta['namespace']) || namespace;
  const name = str(meta['name']);
  const kind = str(object['kind']);
  const group = groupOf(str(object['apiVersion']));
  return {
    key: `${ns}, ${name}, ${kind} (${group})`,
    namespace: ns,
    name,
    kind,
    group,
    content,
    object,
    source,
  };
}

/** Parses a manifest into resources by key; a `List` gives one resource per item. */
function index(manifest: string, namespace: string, warnings: string[]): Map<string, Resource> {
  const out = new Map<string, Resource>();
  const add = (r: Resource) => {
    if (out.has(r.key)) warnings.push(`found duplicate key "${r.key}" in manifest (${r.source})`);
    else out.set(r.key, r);
  };
  for (const content of splitManifests(manifest)) {
    const source = SOURCE_LINE.exec(content)?.[1] ?? 'manifest';
    const parsed = parseYamlStream(content, source)[0];
    // Comment-only documents (a template that rendered nothing) are not resources.
    if (!isPlainObject(parsed) || (str(parsed['apiVersion']) === '' && str(parsed['kind']) === '')) continue;
    if (parsed['kind'] === 'List' && Array.isArray(parsed['items'])) {
      for (const item of parsed['items']) {
        if (isPlainObject(item))
          add(resourceOf(item, `# Source: ${source}\n${toYaml(item)}`, source, namespace));
      }
      continue;
    }
    add(resourceOf(parsed, content, source, namespace));
  }
  return out;
}

/** A Secret's values as bytes: `data` decoded, `stringData` laid over it as the API server does. */
function secretBytes(object: PlainObject): Map<string, Buffer> {
  const values = new Map<string, Buffer>();
  const data = isPlainObject(object['data']) ? object['data'] : {};
  const stringData = isPlainObject(object['stringData']) ? object['stringData'] : {};
  for (const [k, v] of Object.entries(data)) values.set(k, Buffer.from(v == null ? '' : String(v), 'base64'));
  for (const [k, v] of Object.entries(stringData))
    values.set(k, Buffer.from(v == null ? '' : String(v), 'utf8'));
  return values;
}

/**
 * The Secret document with each value replaced by a mask, helm-diff's wording: `REDACTED # (N
 * bytes)` when both sides hold the same value, `-------- # (N bytes)` on the old side and
 * `++++++++ # (N bytes)` on the new side when it differs (or exists on one side only).
 */
function maskSecret(r: Resource, other: Resource | undefined, side: '-' | '+'): string {
  const mine = secretBytes(r.object);
  const theirs = other ? secretBytes(other.object) : new Map<string, Buffer>();
  const masked: Record<string, string> = {};
  for (const key of [...mine.keys()].sort()) {
    const v = mine.get(key)!;
    const same = theirs.get(key)?.equals(v) ?? false;
    const mark = same ? 'REDACTED' : side === '-' ? '--------' : '++++++++';
    masked[key] = `${mark} # (${v.length} bytes)`;
  }
  const { data: _data, stringData: _stringData, ...rest } = r.object;
  const object: PlainObject = mine.size > 0 ? { ...rest, data: masked } : rest;
  const first = r.content.split('\n', 1)[0]!;
  return `${first.startsWith('#') ? `${first}\n` : ''}${toYaml(object)}`;
}

function shownContent(r: Resource | undefined, other: Resource | undefined, side: '-' | '+', o: DiffOptions) {
  if (r === undefined) return [];
  const text = r.kind === 'Secret' && !o.showSecrets ? maskSecret(r, other, side) : r.content;
  return text.split('\n');
}

function lineDiff(before: string[], after: string[]): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffArrays(before, after)) {
    const op = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of part.value) lines.push({ op, text });
  }
  return lines;
}

/** Groups lines into hunks: each line within `context` lines of a change; all of them when negative. */
export function hunksOf(
  lines: readonly DiffLine[],
  context: number,
): { hunks: DiffHunk[]; skippedAfter: number } {
  // Distance of each line to the nearest change, one pass each way.
  const distance = lines.map(() => Number.POSITIVE_INFINITY);
  let last = Number.NEGATIVE_INFINITY;
  lines.forEach((line, i) => {
    if (line.op !== ' ') last = i;
    distance[i] = i - last;
  });
  last = Number.POSITIVE_INFINITY;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.op !== ' ') last = i;
    distance[i] = Math.min(distance[i]!, last - i);
  }
  const near = distance.map((d) => context < 0 || d <= context);
  const hunks: DiffHunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let skipped = 0;
  let open: { oldStart: number; newStart: number; skippedBefore: number; lines: DiffLine[] } | undefined;
  const close = () => {
    if (!open) return;
    const oldLines = open.lines.filter((l) => l.op !== '+').length;
    const newLines = open.lines.filter((l) => l.op !== '-').length;
    hunks.push({ ...open, oldLines, newLines });
    open = undefined;
  };
  lines.forEach((line, i) => {
    if (near[i]) {
      open ??= { oldStart: oldLine, newStart: newLine, skippedBefore: skipped, lines: [] };
      open.lines.push(line);
      skipped = 0;
    } else {
      close();
      skipped++;
    }
    if (line.op !== '+') oldLine++;
    if (line.op !== '-') newLine++;
  });
  close();
  return { hunks, skippedAfter: skipped };
}

function changeOf(
  key: string,
  before: Resource | undefined,
  after: Resource | undefined,
  o: DiffOptions,
): ResourceChange | undefined {
  const r = (after ?? before)!;
  const change: ChangeType = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  const lines = lineDiff(shownContent(before, after, '-', o), shownContent(after, before, '+', o));
  // A Secret whose values changed only in form (stringData vs data) masks to the same text.
  if (!lines.some((l) => l.op !== ' ')) return undefined;
  const base = { key, namespace: r.namespace, name: r.name, kind: r.kind, group: r.group, change };
  if ((o.suppressedKinds ?? []).includes(r.kind))
    return { ...base, suppressed: true, hunks: [], skippedAfter: 0 };
  return { ...base, suppressed: false, ...hunksOf(lines, o.context ?? -1) };
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Compares two release manifests (`---\n# Source: PATH\n…` documents, as `Release.manifest`
 * holds them). Resources are matched by namespace, name, kind and group; documents whose text
 * is identical are unchanged. Throws `YamlError` for a document that does not parse.
 */
export function diffManifests(
  oldManifest: string,
  newManifest: string,
  options: DiffOptions = {},
): ManifestDiff {
  const namespace = options.namespace ?? 'default';
  const warnings: string[] = [];
  const before = index(oldManifest, namespace, warnings);
  const after = index(newManifest, namespace, warnings);
  const changes: ResourceChange[] = [];
  const push = (c: ResourceChange | undefined) => {
    if (c) changes.push(c);
  };
  for (const key of [...before.keys()].sort(byKey)) {
    const a = after.get(key);
    if (a !== undefined && a.content !== before.get(key)!.content)
      push(changeOf(key, before.get(key), a, options));
  }
  for (const key of [...before.keys()].sort(byKey))
    if (!after.has(key)) push(changeOf(key, before.get(key), undefined, options));
  for (const key of [...after.keys()].sort(byKey))
    if (!before.has(key)) push(changeOf(key, undefined, after.get(key), options));
  return { changes, warnings };
}

/**
 * The manifest of a release as the diff compares it: its resources, then its hooks under their
 * `# Source:` line as helm-diff does (`manifest.ParseRelease`), test hooks only when asked for.
 */
export function releaseManifest(release: Release, options: { includeTests?: boolean } = {}): string {
  let out = release.manifest;
  for (const hook of release.hooks ?? []) {
    const isTest = hook.events.some((e) => e === 'test' || e === 'test-success');
    if (isTest && !options.includeTests) continue;
    const body = hook.manifest.trim();
    const sourced = body.startsWith('# Source:') ? body : `# Source: ${hook.path}\n${body}`;
    out += `${out === '' || out.endsWith('\n') ? '' : '\n'}---\n${sourced}\n`;
  }
  return out;
}

/** Options of {@link renderDiff}. */
export interface RenderOptions {
  /** Colour with ANSI escapes: red `-`, green `+`, headers by change. @default false */
  readonly color?: boolean;
}

const HEADER: Record<ChangeType, { message: string; color: string }> = {
  added: { message: 'has been added:', color: '32' },
  removed: { message: 'has been removed:', color: '31' },
  changed: { message: 'has changed:', color: '33' },
};

/**
 * Formats changes as helm-diff prints them: `KEY has changed:` (or `has been added:`,
 * `has been removed:`), then `- `, `+ ` and two-space context lines, `...` where lines were left
 * out. Empty for no changes.
 */
export function renderDiff(changes: readonly ResourceChange[], options: RenderOptions = {}): string {
  const paint = (text: string, code: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const out: string[] = [];
  for (const c of changes) {
    out.push(paint(`${c.key} ${HEADER[c.change].message}`, HEADER[c.change].color));
    if (c.suppressed) {
      out.push(paint(`+ Changes suppressed on sensitive content of type ${c.kind}`, '33'));
      continue;
    }
    for (const hunk of c.hunks) {
      if (hunk.skippedBefore > 0) out.push('...');
      for (const line of hunk.lines) {
        if (line.op === '+') out.push(paint(`+ ${line.text}`, '32'));
        else if (line.op === '-') out.push(paint(`- ${line.text}`, '31'));
        else out.push(line.text === '' ? '' : `  ${line.text}`);
      }
    }
    if (c.skippedAfter > 0) out.push('...');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
