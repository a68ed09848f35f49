/**
 * Writes an index as YAML, byte for byte what `toYaml` (and so Helm, through sigs.k8s.io/yaml)
 * writes, but fast for the usual shape: entries whose fields are strings, `true` or lists of
 * strings are written line by line, each distinct string formatted once; any other entry
 * (maintainers, dependencies, annotations, long text that may fold) goes through `toYaml`
 * nested exactly as in the full document. An index is mostly the same few strings (apiVersion,
 * type, times, descriptions) repeated, and `repo index` over hundreds of charts spent most of
 * its time formatting them.
 */

import { isPlainObject } from '../internal/objects.js';
import { toYaml } from '../internal/yaml.js';
import { goYamlKeyLess } from '../internal/yaml-emit.js';
import { entryFields, ZERO_TIME } from './index-entry.js';
import type { ChartVersion, IndexFile } from './types.js';

/** libyaml's preferred width: text past it may be folded at spaces. */
const BEST_WIDTH = 80;
/** Indentation of an entry's fields (`entries:` → `  name:` → `  - field`). */
const FIELD_INDENT = '    ';

const scalars = new Map<string, string>();

/** Words YAML 1.1 reads as booleans or null: never written plain. */
const SPECIAL_WORDS: ReadonlySet<string> = new Set(
  ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'].flatMap((w) => [
    w,
    w.toUpperCase(),
    w[0]!.toUpperCase() + w.slice(1),
  ]),
);
/** A word, name, version or URL: starts with a letter, no blank, quote, `#` or indicator. */
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9._/:+-]*$/;
/** Lower-case hex with a letter other than `e` (a digest): cannot read as a number. */
const PLAIN_HEX = /^(?=[0-9a-f]*[a-df])[0-9a-f]+$/;

/**
 * A string formatted as `toYaml` formats it at column 0: plain at once when it certainly
 * stays plain (most of an index: names, versions, URLs, digests), otherwise by `toYaml`, cached.
 */
function formatted(s: string): string {
  if ((PLAIN_WORD.test(s) && !s.endsWith(':') && !SPECIAL_WORDS.has(s)) || PLAIN_HEX.test(s)) return s;
  let text = scalars.get(s);
  if (text === undefined) {
    text = toYaml(s);
    if (scalars.size > 100_000) scalars.clear();
    scalars.set(s, text);
  }
  return text;
}

/**
 * `s` as a value starting at `column`, when that is the same text as at column 0: a single line
 * that cannot be folded (no space, or short enough to end before the width).
 */
function inline(s: string, column: number): string | undefined {
  const text = formatted(s);
  if (text.includes('\n')) return undefined;
  if (s.includes(' ') && column + text.length > BEST_WIDTH) return undefined;
  return text;
}

/** Every field an entry may have, in the order `toYaml` sorts them. */
const FIELD_ORDER = [
  'annotations',
  'apiVersion',
  'appVersion',
  'checksum',
  'condition',
  'created',
  'dependencies',
  'deprecated',
  'description',
  'digest',
  'engine',
  'home',
  'icon',
  'keywords',
  'kubeVersion',
  'maintainers',
  'name',
  'removed',
  'sources',
  'tags',
  'tillerVersion',
  'type',
  'url',
  'urls',
  'version',
] as const;

/**
 * Appends an entry's lines (the first prefixed `  - `), with `entryFields`' rules (empty values
 * left out, `urls` and `created` always written), or returns false, having appended nothing,
 * for an entry the general path must write.
 */
function fastEntry(entry: ChartVersion, out: string[]): boolean {
  const src = entry as unknown as Record<string, unknown>;
  const lines: string[] = [];
  for (const key of FIELD_ORDER) {
    let v = src[key];
    if (key === 'created') v ||= ZERO_TIME;
    else if (key === 'urls') v ??= [];
    else if (v === undefined || v === '' || v === false) continue;
    const prefix = lines.length === 0 ? '  - ' : FIELD_INDENT;
    if (typeof v === 'string') {
      const text = inline(v, FIELD_INDENT.length + key.length + 2);
      if (text === undefined) return false;
      lines.push(`${prefix}${key}: ${text}`);
    } else if (v === true) {
      lines.push(`${prefix}${key}: true`);
    } else if (Array.isArray(v)) {
      if (v.length === 0) {
        if (key === 'urls') lines.push(`${prefix}${key}: []`);
        continue;
      }
      lines.push(`${prefix}${key}:`);
      for (const item of v) {
        const text = typeof item === 'string' ? inline(item, FIELD_INDENT.length + 2) : undefined;
        if (text === undefined) return false;
        lines.push(`${FIELD_INDENT}- ${text}`);
      }
    } else if (isPlainObject(v) && Object.keys(v).length === 0) {
    } else return false;
  }
  for (const line of lines) out.push(line);
  return true;
}

/** A map key as `toYaml` writes it. */
function keyText(key: string): string {
  return toYaml({ [key]: null }).slice(0, -': null'.length);
}

function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => (a === b ? 0 : goYamlKeyLess(a, b) ? -1 : 1));
}

/**
 * The YAML of an index as `toYaml({apiVersion, entries, generated, …})` plus a newline, which
 * is what `helm repo index` writes.
 */
export function indexYaml(index: IndexFile, generated: string): string {
  const hasExtras =
    (index.serverInfo && Object.keys(index.serverInfo).length > 0) ||
    (index.annotations && Object.keys(index.annotations).length > 0);
  const names = sortKeys(Object.keys(index.entries));
  if (hasExtras) {
    const entries: Record<string, unknown> = {};
    for (const n of names) entries[n] = (index.entries[n] ?? []).map(entryFields);
    const doc: Record<string, unknown> = { apiVersion: index.apiVersion, entries, generated };
    if (index.serverInfo && Object.keys(index.serverInfo).length > 0) doc['serverInfo'] = index.serverInfo;
    if (index.annotations && Object.keys(index.annotations).length > 0)
      doc['annotations'] = index.annotations;
    return `${toYaml(doc)}\n`;
  }
  const out = [toYaml({ apiVersion: index.apiVersion })];
  if (names.length === 0) out.push('entries: {}');
  else out.push('entries:');
  for (const name of names) {
    const versions: readonly ChartVersion[] = index.entries[name] ?? [];
    if (versions.length === 0) {
      out.push(`  ${keyText(name)}: []`);
      continue;
    }
    out.push(`  ${keyText(name)}:`);
    for (const entry of versions) {
      if (fastEntry(entry, out)) continue;
      // The general path, nested as in the whole document; drop the `entries:` and name lines.
      const text = toYaml({ entries: { [name]: [entryFields(entry)] } });
      out.push(text.slice(text.indexOf('\n', text.indexOf('\n') + 1) + 1));
    }
  }
  out.push(toYaml({ generated }));
  return `${out.join('\n')}\n`;
}
