/**
 * Rendered templates → ordered manifests and hooks, as Helm's `SortManifests` does: split each
 * file on `---`, drop empty documents, read each document's head (kind, name, hook annotations),
 * separate hooks, sort by kind.
 */

import { YamlError } from '../internal/errors.js';
import { isPlainObject } from '../internal/objects.js';
import { parseYamlStream } from '../internal/yaml.js';
import { INSTALL_ORDER, sortByKind } from './install-order.js';

/** Hook events (annotation `helm.sh/hook`). */
export type HookEvent =
  | 'pre-install'
  | 'post-install'
  | 'pre-delete'
  | 'post-delete'
  | 'pre-upgrade'
  | 'post-upgrade'
  | 'pre-rollback'
  | 'post-rollback'
  | 'test'
  | 'test-success';

/** The identifying part of a manifest document. */
export interface ManifestHead {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One document of the release manifest. */
export interface Manifest {
  /** The template path, e.g. `mychart/templates/service.yaml`. */
  readonly path: string;
  /** The document text, trimmed. */
  readonly content: string;
  readonly head: ManifestHead;
  /** The parsed document. */
  readonly object: Record<string, unknown>;
}

/** A hook document. */
export interface HookManifest extends Manifest {
  readonly events: readonly HookEvent[];
  readonly weight: number;
  readonly deletePolicies: readonly string[];
}

/** The result of sorting rendered templates. */
export interface SortedManifests {
  readonly manifests: readonly Manifest[];
  readonly hooks: readonly HookManifest[];
}

const SEPARATOR = /^---[ \t]*(?:#.*)?$/m;

/**
 * Splits a rendered file into trimmed, non-empty documents (Helm's `SplitManifests`, but a
 * separator is a whole `---` line, so `---` lines in a row never leak into a document).
 */
export function splitManifests(text: string): string[] {
  // Most rendered files hold one document: no separator, nothing to split.
  if (!text.includes('---')) {
    const doc = text.trim();
    return doc === '' ? [] : [doc];
  }
  return text
    .split(SEPARATOR)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

function head(obj: Record<string, unknown>): ManifestHead {
  const meta = isPlainObject(obj['metadata']) ? obj['metadata'] : {};
  const ann = isPlainObject(meta['annotations']) ? meta['annotations'] : {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(ann)) annotations[k] = String(v);
  return {
    apiVersion: typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '',
    kind: typeof obj['kind'] === 'string' ? obj['kind'] : '',
    name: typeof meta['name'] === 'string' ? meta['name'] : '',
    ...(typeof meta['namespace'] === 'string' ? { namespace: meta['namespace'] } : {}),
    annotations,
  };
}

const HOOK_EVENTS: ReadonlySet<string> = new Set([
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
  'test-success',
]);

/** The documents of one rendered template file, parsed, in file order. */
export interface ParsedFile {
  readonly path: string;
  readonly manifests: readonly Manifest[];
  readonly hooks: readonly HookManifest[];
}

/**
 * With `keep` false, turns `object` (the last field of a manifest, as `parseRenderedFile`
 * builds them) into a getter that parses `content` again when first read: callers that only
 * print the documents (`template`) then keep no parsed trees alive.
 */
function lazyObject<T extends Manifest>(manifest: T, keep: boolean): T {
  if (keep) return manifest;
  const { path, content } = manifest;
  let object: Record<string, unknown> | undefined;
  return Object.defineProperty(manifest, 'object', {
    enumerable: true,
    get: () => (object ??= parseYamlStream(content, path)[0] as Record<string, unknown>),
  });
}

/**
 * Splits and parses one rendered template file. Throws `YamlError` naming the template when a
 * document is not valid YAML. Partials (`_*`) and empty files give no documents. With
 * `keepObjects` false, each manifest's `object` is parsed again when read (see `lazyObject`).
 */
export function parseRenderedFile(path: string, text: string, keepObjects = true): ParsedFile {
  const manifests: Manifest[] = [];
  const hooks: HookManifest[] = [];
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base.startsWith('_') || text.trim() === '') return { path, manifests, hooks };
  for (const content of splitManifests(text)) {
    let parsed: unknown;
    try {
      parsed = parseYamlStream(content, path)[0];
    } catch (err) {
      if (err instanceof YamlError) {
        const detail = err.message.slice(err.source.length + 2);
        throw new YamlError(`YAML parse error on ${path}`, detail, undefined, { cause: err });
      }
      throw err;
    }
    if (parsed === null || parsed === undefined) continue;
    if (!isPlainObject(parsed)) throw new YamlError(`YAML parse error on ${path}`, 'document is not a map');
    const h = head(parsed);
    const hookAnnotation = h.annotations['helm.sh/hook'];
    if (hookAnnotation === undefined) {
      manifests.push(lazyObject({ path, content, head: h, object: parsed }, keepObjects));
      continue;
    }
    const events = hookAnnotation.split(',').map((e) => e.trim().toLowerCase()) as HookEvent[];
    // An unknown event makes Helm skip the whole document ("skipping unknown hooks"): it is
    // neither a hook nor part of the manifest.
    if (events.some((e) => !HOOK_EVENTS.has(e))) continue;
    const weight = Number.parseInt(h.annotations['helm.sh/hook-weight'] ?? '0', 10);
    const policies = (h.annotations['helm.sh/hook-delete-policy'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const hook: HookManifest = {
      path,
      content,
      head: h,
      object: parsed,
      events,
      weight: Number.isNaN(weight) ? 0 : weight,
      deletePolicies: policies,
    };
    hooks.push(lazyObject(hook, keepObjects));
  }
  return { path, manifests, hooks };
}

/** Orders parsed files as Helm does: files by path, then documents by kind (stable). */
export function orderParsedFiles(files: readonly ParsedFile[]): SortedManifests {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    manifests: sortByKind(
      sorted.flatMap((f) => f.manifests),
      (m) => m.head.kind,
      INSTALL_ORDER,
    ),
    hooks: sortByKind(
      sorted.flatMap((f) => f.hooks),
      (m) => m.head.kind,
      INSTALL_ORDER,
    ),
  };
}

/**
 * Sorts rendered templates (path → text) into manifests and hooks in Helm's install order.
 * Throws `YamlError` naming the template when a document is not valid YAML.
 */
export function sortManifests(files: ReadonlyMap<string, string>): SortedManifests {
  const paths = [...files.keys()].sort();
  return orderParsedFiles(paths.map((path) => parseRenderedFile(path, files.get(path)!)));
}

/**
 * `sortManifests` one file at a time, as the templates are rendered: each text is parsed while
 * it is fresh (its garbage dies young). An error is kept until `finish`, which throws the one
 * `sortManifests` would throw (the first file in path order).
 */
export class ManifestSorter {
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly failures = new Map<string, unknown>();

  /** See `parseRenderedFile`. */
  constructor(private readonly keepObjects = true) {}

  /** Parses one rendered file; a later text for the same path replaces the earlier one. */
  add(path: string, text: string): void {
    this.parsed.delete(path);
    this.failures.delete(path);
    try {
      this.parsed.set(path, parseRenderedFile(path, text, this.keepObjects));
    } catch (err) {
      this.failures.set(path, err);
    }
  }

  /** The manifests and hooks in Helm's order; throws the first file's error in path order. */
  finish(): SortedManifests {
    if (this.failures.size > 0) {
      const first = [...this.failures.keys()].sort()[0]!;
      throw this.failures.get(first);
    }
    return orderParsedFiles([...this.parsed.values()]);
  }
}

/** Formats manifests as Helm prints them: `---\n# Source: PATH\nCONTENT\n` per document. */
export function formatManifests(manifests: readonly Manifest[]): string {
  let out = '';
  for (const m of manifests) out += `---\n# Source: ${m.path}\n${m.content}\n`;
  return out;
}
