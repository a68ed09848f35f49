/**
 * A reader for the simplest Chart.yaml files, the kind `helm create` and `bosun create` write:
 * top-level `key: scalar` lines, lists of scalars, blank lines and comments. Indexing a
 * repository reads one Chart.yaml per archive, and for hundreds of small files a full YAML
 * parser costs more than everything else put together.
 *
 * It answers only when the result is certainly what `parseYaml` gives: a scalar is taken only
 * when it cannot be anything but a string (a word starting with a letter that is not a YAML 1.1
 * boolean or null, or a version with two dots), and anything else (nested maps, flow
 * collections, block or multi-line scalars, anchors, tags, escapes, tabs, documents markers,
 * duplicate or unsafe keys) returns `undefined`, for the caller to use the full parser.
 */

import { isForbiddenKey } from '../internal/objects.js';

const KEY_LINE = /^([A-Za-z][A-Za-z0-9]*):(?: +(.*))?$/;
const ITEM_LINE = /^( *)- +(.*)$/;
/** Plain scalars that are strings whatever the schema: a word, or `1.2.3`-like versions. */
const LETTER_START = /^[A-Za-z]/;
const VERSION_LIKE = /^[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.+-]*)?$/;
/** YAML 1.1 words that read as booleans or null (`yaml-fast.ts`). */
const SPECIAL_WORDS: ReadonlySet<string> = new Set(
  ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'].flatMap((w) => [
    w,
    w.toUpperCase(),
    w[0]!.toUpperCase() + w.slice(1),
  ]),
);

/** A scalar value: the string, or `undefined` when only the full parser may say. */
function scalar(raw: string): string | undefined {
  let text = raw;
  const first = text[0];
  if (first === '"' || first === "'") {
    const end = text.indexOf(first, 1);
    if (end < 0) return undefined;
    const body = text.slice(1, end);
    if (first === '"' && body.includes('\\')) return undefined;
    const rest = text.slice(end + 1).trimEnd();
    if (rest !== '' && !rest.startsWith(' #')) return undefined;
    return body;
  }
  const comment = text.indexOf(' #');
  if (comment >= 0) text = text.slice(0, comment);
  text = text.trimEnd();
  if (text === '' || text.includes(': ') || text.endsWith(':') || text.includes('\t')) return undefined;
  if (LETTER_START.test(text)) return SPECIAL_WORDS.has(text) ? undefined : text;
  return VERSION_LIKE.test(text) ? text : undefined;
}

/**
 * The map a simple YAML document holds, or `undefined` when the document is not simple enough
 * to be sure (see the module comment). Values are strings, lists of strings, or `null` for a
 * key without value.
 */
export function parseSimpleYaml(text: string): Record<string, string | string[] | null> | undefined {
  if (text.includes('\r') || text.includes('\t')) return undefined;
  const out: Record<string, string | string[] | null> = {};
  let listKey: string | undefined;
  let listIndent: number | undefined;
  // Line by line without splitting: most lines of a Chart.yaml are comments, skipped unread.
  for (let start = 0, end = 0; start < text.length; start = end + 1) {
    end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end === start || text.charCodeAt(start) === 0x23 /* # */) continue;
    const line = text.slice(start, end);
    const first = line[0];
    if (first === ' ' || first === '-') {
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed[0] === '#') continue;
      const item = ITEM_LINE.exec(line);
      if (!item || listKey === undefined) return undefined;
      const indent = item[1]!.length;
      if (listIndent !== undefined && indent !== listIndent) return undefined;
      listIndent = indent;
      const value = scalar(item[2]!);
      if (value === undefined) return undefined;
      const list = out[listKey];
      if (Array.isArray(list)) list.push(value);
      else out[listKey] = [value];
      continue;
    }
    const m = KEY_LINE.exec(line);
    if (!m) return undefined;
    const key = m[1]!;
    if (isForbiddenKey(key) || Object.hasOwn(out, key)) return undefined;
    listKey = undefined;
    listIndent = undefined;
    const rest = m[2] ?? '';
    if (rest === '' || rest.startsWith('#')) {
      out[key] = null;
      listKey = key;
      continue;
    }
    const value = scalar(rest);
    if (value === undefined) return undefined;
    out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
