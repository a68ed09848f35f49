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
 * Words separated by single blanks, like most descriptions: plain (no word of it can make the
 * whole read as anything but a string), and not folded at column 0 as long as they end before
 * the width (`toYaml` folds long plain text only past it).
 */
const PLAIN_TEXT = /^[A-Za-z][\w.,()/-]*(?: [\w.,()/-]+)+$/;
/** A version with two dots: neither a number nor a time to YAML 1.1, so plain. */
const PLAIN_VERSION = /^[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.+-]*)?$/;
/** A time as `formatIndexTime` writes it: a YAML 1.1 timestamp, so always double-quoted. */
const INDEX_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?Z$/;

/**
 * A string formatted as `toYaml` formats it at column 0: at once when it certainly stays plain
 * (most of an index: names, versions, URLs, digests, descriptions) or is a time, otherwise by
 * `toYaml`; cached, as an index repeats the same few strings (times, versions, descriptions).
 */
function formatted(s: string): string {
  if ((PLAIN_WORD.test(s) && !s.endsWith(':') && !SPECIAL_WORDS.has(s)) || PLAIN_HEX.test(s)) return s;
  let text = scalars.get(s);
  if (text === undefined) {
    if (PLAIN_VERSION.test(s) || (s.length <= BEST_WIDTH && PLAIN_TEXT.test(s))) text = s;
    else if (INDEX_TIME.test(s)) text = `"${s}"`;
    else text = toYaml(s);
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
  const start = out.length;
  const fail = () => {
    out.length = start;
    return false;
  };
  for (let k = 0; k < FIELD_ORDER.length; k++) {
    const key = FIELD_ORDER[k]!;
    let v = src[key];
    if (key === 'created') v ||= ZERO_TIME;
    else if (key === 'urls') v ??= [];
    else if (v === undefined || v === '' || v === false) continue;
    const prefix = out.length === start ? '  - ' : FIELD_INDENT;
    if (typeof v === 'string') {
      const text = inline(v, FIELD_INDENT.length + key.length + 2);
      if (text === undefined) return fail();
      out.push(`${prefix}${key}: ${text}`);
    } else if (v === true) {
      out.push(`${prefix}${key}: true`);
    } else if (Array.isArray(v)) {
      if (v.length === 0) {
        if (key === 'urls') out.push(`${prefix}${key}: []`);
        continue;
      }
      out.push(`${prefix}${key}:`);
      for (const item of v) {
        const text = typeof item === 'string' ? inline(item, FIELD_INDENT.length + 2) : undefined;
        if (text === undefined) return fail();
        out.push(`${FIELD_INDENT}- ${text}`);
      }
    } else if (!isPlainObject(v) || Object.keys(v).length > 0) return fail();
  }
  return true;
}

/** A name `toYaml` writes as it is as a map key: a word that is no YAML 1.1 boolean or null. */
const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** A map key as `toYaml` writes it. */
function keyText(key: string): string {
  if (key.length <= BEST_WIDTH && PLAIN_KEY.test(key) && !SPECIAL_WORDS.has(key)) return key;
  return toYaml({ [key]: null }).slice(0, -': null'.length);
}

const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * `goYamlKeyLess` for ASCII keys, comparing character codes where it splits the keys into
 * arrays of characters: the same steps, run hundreds of times to sort an index's chart names.
 */
export function asciiKeyLess(a: string, b: string): boolean {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const al = isAsciiLetter(x);
    const bl = isAsciiLetter(y);
    if (al && bl) return x < y;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (x === 0x30 || y === 0x30) {
      for (let j = i - 1; j >= 0 && isAsciiDigit(a.charCodeAt(j)); j--) {
        if (a.charCodeAt(j) !== 0x30) {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < a.length && isAsciiDigit(a.charCodeAt(ai)); ai++) an = an * 10 + (a.charCodeAt(ai) - 0x30);
    for (; bi < b.length && isAsciiDigit(b.charCodeAt(bi)); bi++) bn = bn * 10 + (b.charCodeAt(bi) - 0x30);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return a.length < b.length;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Keys in go-yaml's order. */
export function sortKeys(keys: string[]): string[] {
  const less = keys.every((k) => ASCII.test(k)) ? asciiKeyLess : goYamlKeyLess;
  return keys.sort((a, b) => (a === b ? 0 : less(a, b) ? -1 : 1));
}

/** A top-level `key: value` line, as `toYaml({[key]: value})` writes it. */
function field(key: string, value: string): string {
  const text = inline(value, key.length + 2);
  return text === undefined ? toYaml({ [key]: value }) : `${key}: ${text}`;
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
  const out = [field('apiVersion', index.apiVersion)];
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
  out.push(field('generated', generated));
  return `${out.join('\n')}\n`;
}
