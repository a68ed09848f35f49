/**
 * A YAML emitter for plain data that writes exactly what Helm's `toYaml` writes
 * (sigs.k8s.io/yaml → go-yaml v2 → libyaml): keys in go-yaml's natural order, block style,
 * sequences not indented under their key, strings plain where YAML 1.1 reads them back as the
 * same string, double-quoted when they would read as another type, single-quoted when plain is
 * not allowed, literal blocks for multi-line text, and long plain or single-quoted text folded
 * after column 80 at a space.
 *
 * It is the hot path of rendering (every `toYaml` in a template), hence hand-written rather than
 * built on a document model.
 */

/** go-yaml v2's preferred line width. */
const BEST_WIDTH = 80;

const isLetter = (c: string) => c.toLowerCase() !== c.toUpperCase() || /\p{L}/u.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** go-yaml v2's key order (`sorter.go`): letters after other characters, digit runs compared as numbers. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + (ar[ai]!.charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + (br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

const SIMPLE_KEY = /^[a-z][a-z0-9]*$/i;

function sortKeys(keys: string[]): string[] {
  // Plain ASCII word keys compare the same in both orders; only sort specially when needed.
  if (keys.every((k) => SIMPLE_KEY.test(k) && !/[0-9]/.test(k))) return sortStrings(keys);
  if (keys.length < 2) return keys;
  return keys.sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0));
}

/**
 * Sorts strings in place as `Array.prototype.sort()` does (by UTF-16 code units). Maps hold few
 * keys: an insertion sort then spares the allocations of the built-in sort.
 */
export function sortStrings(keys: string[]): string[] {
  if (keys.length > 12) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

// YAML 1.1 scalars that go-yaml would read back as something other than a string.
const RESOLVES_NON_STRING =
  /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;

function isPrintable(code: number): boolean {
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    code === 0x85 ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) ||
    code >= 0x10000
  );
}

type Style = 'plain' | 'single' | 'double';

/** Printable ASCII without any character the analysis below looks for: plain (most strings). */
const PLAIN_SAFE = /^[A-Za-z0-9_/][A-Za-z0-9_./=+-]*$/;

/** libyaml's `yaml_emitter_analyze_scalar` + `select_scalar_style` for a one-line string. */
function scalarStyle(s: string, isKey: boolean): Style {
  if (s === '' || RESOLVES_NON_STRING.test(s)) return 'double';
  if (PLAIN_SAFE.test(s)) return isKey && s.length > 128 ? 'double' : 'plain';
  let blockIndicators = false;
  let special = false;
  if (s.startsWith('---') || s.startsWith('...')) blockIndicators = true;
  const first = s[0]!;
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const code = c.codePointAt(0)!;
    const next = chars[i + 1];
    const followedByBlank = next === undefined || next === ' ' || next === '\t';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      if ((c === '?' || c === ':' || c === '-') && followedByBlank) blockIndicators = true;
    } else {
      if (c === ':' && followedByBlank) blockIndicators = true;
      if (c === '#' && (chars[i - 1] === ' ' || chars[i - 1] === '\t')) blockIndicators = true;
    }
    if (!isPrintable(code)) special = true;
  }
  if (special) return 'double';
  if (/[\u0085\u2028\u2029]/.test(s)) return 'single';
  const leadingSpace = first === ' ';
  const trailingSpace = s.endsWith(' ');
  if (blockIndicators || leadingSpace || trailingSpace) return 'single';
  if (isKey && s.length > 128) return 'double';
  return 'plain';
}

const ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\x85': '\\N',
  '\xa0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

function doubleQuoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    const esc = ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (!isPrintable(code)) {
      out +=
        code <= 0xff
          ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
          : code <= 0xffff
            ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
            : `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}

/**
 * Writes text that may be folded at spaces once past the width (libyaml's plain and single
 * quoted writers): a space is replaced by a line break plus `indent` when the column is already
 * past 80 and the next character is not a space.
 */
function folded(text: string, column: number, indent: string, allowBreaks: boolean): string {
  if (!allowBreaks || column + text.length <= BEST_WIDTH) return text;
  let out = '';
  let col = column;
  let prevSpace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (
      c === ' ' &&
      allowBreaks &&
      !prevSpace &&
      col > BEST_WIDTH &&
      i + 1 < text.length &&
      text[i + 1] !== ' '
    ) {
      out += `\n${indent}`;
      col = indent.length;
      prevSpace = true;
      continue;
    }
    out += c;
    col++;
    prevSpace = c === ' ';
  }
  return out;
}

function literalBlock(s: string, indent: string): string {
  const chomp = s.endsWith('\n') ? (s.endsWith('\n\n') || s === '\n' ? '+' : '') : '-';
  const body = chomp === '' ? s.slice(0, -1) : chomp === '+' ? s.slice(0, -1) : s;
  const indicator = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  return `|${indicator}${chomp}\n${lines.join('\n')}`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Number.POSITIVE_INFINITY) return '.inf';
  if (n === Number.NEGATIVE_INFINITY) return '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n === 0 ? 0 : n);
  // Go's 'g' formatting writes exponents with at least two digits (1e-07).
  return String(n).replace(/e([-+])(\d)$/, 'e$10$2');
}

/** A string as a scalar at `column`, continuation lines at `indent`. */
function stringScalar(s: string, column: number, indent: string, isKey: boolean): string {
  if (!isKey && s.includes('\n')) {
    // libyaml refuses block styles for text with other special characters or a space before a break.
    const blockAllowed =
      !s.includes(' \n') && [...s].every((c) => c === '\n' || isPrintable(c.codePointAt(0)!));
    return blockAllowed ? literalBlock(s, indent) : doubleQuoted(s);
  }
  const style = isKey && s.includes('\n') ? 'double' : scalarStyle(s, isKey);
  if (style === 'plain') return folded(s, column, indent, !isKey);
  if (style === 'single') {
    // libyaml writes an indentation after a Unicode line break inside single quotes.
    const text = folded(s.replace(/'/g, "''"), column + 1, indent, !isKey);
    return `'${text.replace(/([\u0085\u2028\u2029])(?=.)/gu, `$1${indent}`)}'`;
  }
  return doubleQuoted(s);
}

function scalar(v: unknown, column: number, indent: string): string | undefined {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return stringScalar(v, column, indent, false);
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    default:
      if (v instanceof Date) return v.toISOString();
      if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
      return Object.keys(v as object).length === 0 ? '{}' : undefined;
  }
}

/** Emitter options. */
export interface EmitOptions {
  /** Indent sequences under their key (`toYamlPretty`, go-yaml v3 with indent 2). @default false */
  readonly indentSequences?: boolean;
}

function emitMap(
  obj: Record<string, unknown>,
  indent: string,
  out: string[],
  firstPrefix: string,
  options: EmitOptions,
): void {
  let prefix = firstPrefix;
  const keys = sortKeys(Object.keys(obj));
  for (let n = 0; n < keys.length; n++) {
    const key = keys[n];
    const k = stringScalar(key, prefix.length, indent, true);
    const v = obj[key];
    const head = `${prefix}${k}:`;
    const simple = scalar(v, head.length + 1, `${indent}  `);
    if (simple !== undefined) out.push(`${head} ${simple}`);
    else if (Array.isArray(v)) {
      out.push(head);
      emitSeq(v, options.indentSequences ? `${indent}  ` : indent, out, options);
    } else {
      out.push(head);
      emitMap(v as Record<string, unknown>, `${indent}  `, out, `${indent}  `, options);
    }
    prefix = indent;
  }
}

function emitSeq(list: readonly unknown[], indent: string, out: string[], options: EmitOptions): void {
  for (let n = 0; n < list.length; n++) {
    const item = list[n];
    const prefix = `${indent}- `;
    const itemIndent = `${indent}  `;
    const simple = scalar(item, prefix.length, itemIndent);
    if (simple !== undefined) out.push(`${prefix}${simple}`);
    else if (Array.isArray(item)) {
      const nested: string[] = [];
      emitSeq(item, itemIndent, nested, options);
      out.push(`${prefix}${nested[0]!.slice(itemIndent.length)}`, ...nested.slice(1));
    } else emitMap(item as Record<string, unknown>, itemIndent, out, prefix, options);
  }
}

/** Formats plain data as Helm's `toYaml` does, without the trailing newline. */
export function emitYaml(value: unknown, options: EmitOptions = {}): string {
  const simple = scalar(value, 0, '  ');
  if (simple !== undefined) return simple;
  const out: string[] = [];
  if (Array.isArray(value)) emitSeq(value, '', out, options);
  else emitMap(value as Record<string, unknown>, '', out, '', options);
  return out.join('\n');
}
