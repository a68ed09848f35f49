/**
 * Helm's `--set` grammar (`pkg/strvals`): `a.b=1,list[0]=x,l={a,b}`, parsed into an existing
 * values map. One parser serves `--set`, `--set-string`, `--set-json`, `--set-file` and
 * `--set-literal`; they differ only in how a value is read.
 *
 * Where Helm silently ignores input (`=b`, `a[=1`, `a[0]`, `a.`) or accepts a stray `]` in a key,
 * this parser fails. Every error is one line: `--set "a[=1": <what is wrong>`.
 */

import { BosunError, errorMessage, InvalidArgumentError, IoError, LimitError } from '../internal/errors.js';
import {
  describeValue,
  isForbiddenKey,
  isPlainObject,
  ownProp,
  type PlainObject,
} from '../internal/objects.js';
import { parseJson } from '../internal/yaml.js';
import { mergeMaps } from './merge.js';
import { EOF, isSpace, Scanner, StopSet } from './scanner.js';

/** Largest list index accepted (Helm's `MaxIndex`). */
export const MAX_SET_INDEX = 65536;
/** Deepest key nesting accepted (Helm's `MaxNestedNameLevel`). */
export const MAX_SET_NESTING = 30;
/** Most `null` padding elements one expression may create (`a[0][65536]=1,a[1][65536]=1,…`). */
export const MAX_SET_PADDING = 16 * MAX_SET_INDEX;

/** Reads a file named by `--set-file`; the caller bounds its size and refuses devices. */
export type SetFileReader = (path: string) => Promise<string> | string;

const KEY_STOPS = new StopSet('=[,.]');
const LITERAL_KEY_STOPS = new StopSet('=[.]');
const ITEM_STOPS = new StopSet('[.=');
const INDEX_STOPS = new StopSet(']');
const VALUE_STOPS = new StopSet(',');
const LIST_STOPS = new StopSet(',}');

const EQUALS = 0x3d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const LBRACE = 0x7b;

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const INTEGER = /^([+-]?)(\d+)$/;

/** How values are read: typed (`--set`), as strings, as JSON, verbatim, or through a reader. */
interface Mode {
  readonly flag: string;
  readonly literal: boolean;
  readonly json: boolean;
  readonly read: (raw: string) => unknown;
}

/** A parse failure; `limit` marks a size or depth limit. */
class SetError extends Error {
  constructor(
    detail: string,
    readonly limit = false,
  ) {
    super(detail);
  }
}

/** Quotes user text for a one-line message, shortening very long text. */
function q(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 60)}…` : text);
}

function conversionError(key: string, found: unknown, want: 'map' | 'list'): SetError {
  return new SetError(`unable to parse key: ${q(key)} is ${describeValue(found)}, not a ${want}`);
}

/**
 * Types a `--set` scalar as Helm's `typedVal` does: `true`/`false`/`null` in any case, integers
 * that fit int64 and do not start with `0` (or are `0`), everything else a string. Integers past
 * 2^53 stay strings so no digit is lost.
 */
export function typedValue(text: string): unknown {
  if (text.length <= 5) {
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (text === '0') return 0;
  }
  if (text.length === 0 || text[0] === '0') return text;
  const m = INTEGER.exec(text);
  if (!m) return text;
  const digits = m[2]!.replace(/^0+/, '') || '0';
  if (digits.length > 19) return text;
  const big = BigInt(`${m[1]}${digits}`);
  if (big < MIN_INT64 || big > MAX_INT64) return text;
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : text;
}

class Parser {
  private readonly sc: Scanner;
  private padding = 0;

  constructor(
    expr: string,
    private readonly mode: Mode,
  ) {
    this.sc = new Scanner(expr, !mode.literal);
  }

  parse(data: PlainObject): void {
    while (this.key(data, 0, undefined)) {
      // One assignment per call; `key` returns false at the end of the input.
    }
  }

  /** Parses one `key…=value` assignment into `data`; `parent` names the enclosing map key. */
  private key(data: PlainObject, level: number, parent: string | undefined): boolean {
    const { text: k, last } = this.sc.until(this.mode.literal ? LITERAL_KEY_STOPS : KEY_STOPS);
    if (last === EOF) {
      if (k.length > 0) throw new SetError(`key ${q(k)} has no value`);
      if (parent !== undefined) throw new SetError(`key map ${q(parent)} has no value`);
      return false;
    }
    if (last === COMMA) throw new SetError(`key ${q(k)} has no value (cannot end with ,)`);
    if (last === RBRACKET) throw new SetError(`unexpected "]" after key ${q(k)}`);
    if (k.length === 0) {
      if (parent !== undefined) throw new SetError(`key map ${q(parent)} has no value`);
      throw new SetError(`missing key before "${String.fromCharCode(last)}"`);
    }
    if (isForbiddenKey(k)) throw new SetError(`key ${q(k)} is not allowed`);

    if (last === EQUALS) {
      data[k] = this.value();
    } else if (last === LBRACKET) {
      const i = this.index(k);
      const current = ownProp(data, k);
      if (current !== undefined && !Array.isArray(current)) throw conversionError(k, current, 'list');
      data[k] = this.listItem(current ?? [], i, level, `${k}[${i}]`);
    } else {
      this.checkLevel(level + 1);
      const current = ownProp(data, k);
      if (current !== undefined && !isPlainObject(current)) throw conversionError(k, current, 'map');
      const inner = current ?? {};
      this.key(inner, level + 1, k);
      data[k] = inner;
    }
    return true;
  }

  /** Parses what follows `name[i]`: `=value`, another `[j]`, or `.key…`. */
  private listItem(list: unknown[], i: number, level: number, label: string): unknown[] {
    const { text, last } = this.sc.until(ITEM_STOPS);
    if (text.length > 0) throw new SetError(`unexpected data at end of array index: ${q(text)}`);
    if (last === EOF) throw new SetError(`key ${q(label)} has no value`);
    const current = i < list.length ? list[i] : undefined;
    if (last === EQUALS) return this.setIndex(list, i, this.value());
    this.checkLevel(level + 1);
    if (last === LBRACKET) {
      const j = this.index(label);
      if (current != null && !Array.isArray(current)) throw conversionError(label, current, 'list');
      return this.setIndex(list, i, this.listItem(current ?? [], j, level + 1, `${label}[${j}]`));
    }
    // Helm replaces a non-map element here instead of failing ("indices out of order").
    const inner = isPlainObject(current) ? current : {};
    this.key(inner, level + 1, label);
    return this.setIndex(list, i, inner);
  }

  /** Reads `i]` after a `[`. */
  private index(key: string): number {
    const { text, last } = this.sc.until(INDEX_STOPS);
    if (last === EOF) throw new SetError(`missing "]" after index of key ${q(key)}`);
    if (!/^[+-]?\d+$/.test(text)) throw new SetError(`error parsing index: ${q(text)} is not an integer`);
    const negative = text.startsWith('-') && /[1-9]/.test(text);
    if (negative) {
      throw new SetError(`negative ${text.length > 20 ? q(text) : BigInt(text)} index not allowed`);
    }
    const digits = text.replace(/^[+-]?0*/, '');
    if (digits.length > 6 || Number(digits) > MAX_SET_INDEX) {
      const shown = digits.length > 20 ? q(digits) : digits;
      throw new SetError(
        `index of ${shown} is greater than maximum supported index of ${MAX_SET_INDEX}`,
        true,
      );
    }
    return Number(digits);
  }

  private setIndex(list: unknown[], i: number, value: unknown): unknown[] {
    if (i >= list.length) {
      this.padding += i - list.length;
      if (this.padding > MAX_SET_PADDING) {
        throw new SetError(`list indexes would add more than ${MAX_SET_PADDING} empty elements`, true);
      }
      while (list.length < i) list.push(null);
    }
    list[i] = value;
    return list;
  }

  private checkLevel(level: number): void {
    if (level > MAX_SET_NESTING) {
      throw new SetError(
        `value name nested level is greater than maximum supported nested level of ${MAX_SET_NESTING}`,
        true,
      );
    }
  }

  /** Reads the value after `=`, consuming the `,` that ends it. */
  private value(): unknown {
    if (this.mode.literal) return this.sc.rest();
    if (this.mode.json) return this.jsonValue();
    const c = this.sc.read();
    if (c === EOF) return '';
    if (c !== LBRACE) {
      this.sc.unread();
      return this.mode.read(this.sc.until(VALUE_STOPS).text);
    }
    const list: unknown[] = [];
    for (;;) {
      const { text, last } = this.sc.until(LIST_STOPS);
      if (last === EOF) throw new SetError("list must terminate with '}'");
      list.push(this.mode.read(text));
      if (last !== COMMA) {
        const next = this.sc.read();
        if (next !== COMMA && next !== EOF) this.sc.unread();
        return list;
      }
    }
  }

  /** Reads one JSON value (blank or missing = `null`) and the `,` after it. */
  private jsonValue(): unknown {
    if (this.skipBlanks()) return null;
    const start = this.sc.pos;
    const end = this.sc.jsonValueEnd();
    const text = this.sc.src.slice(start, end);
    this.sc.pos = end;
    const value = parseJsonText(text);
    if (!this.skipBlanks()) {
      throw new SetError(`unexpected data after JSON value: ${q(this.sc.src.slice(this.sc.pos))}`);
    }
    return value;
  }

  /** Skips blanks; true when they end at a `,` (consumed) or the end of the input. */
  private skipBlanks(): boolean {
    for (;;) {
      const c = this.sc.read();
      if (c === EOF || c === COMMA) return true;
      if (!isSpace(c)) {
        this.sc.unread();
        return false;
      }
    }
  }
}

/** Parses JSON with the shared depth and key checks, reporting failures as `SetError`s. */
function parseJsonText(text: string): unknown {
  const source = 'JSON';
  try {
    return parseJson(text, source);
  } catch (err) {
    if (!(err instanceof BosunError)) throw err;
    const detail = err.message.startsWith(`${source}: `) ? err.message.slice(source.length + 2) : err.message;
    throw new SetError(detail, err instanceof LimitError);
  }
}

/** Turns a failure into a one-line error naming the flag and the expression. */
function flagError(flag: string, expr: string, err: unknown): Error {
  const where = `${flag} ${q(expr)}`;
  if (err instanceof SetError) {
    return err.limit
      ? new LimitError(`${where}: ${err.message}`)
      : new InvalidArgumentError(`${where}: ${err.message}`);
  }
  const message = `${where}: ${errorMessage(err)}`;
  const options = { cause: err };
  if (!(err instanceof BosunError)) return new IoError(message, options);
  switch (err.code) {
    case 'LIMIT_EXCEEDED':
      return new LimitError(message, options);
    case 'IO':
      return new IoError(message, options);
    case 'INVALID_ARGUMENT':
      return new InvalidArgumentError(message, options);
    default:
      return new BosunError(err.code, message, options);
  }
}

function run(expr: string, into: PlainObject, mode: Mode): PlainObject {
  try {
    new Parser(expr, mode).parse(into);
  } catch (err) {
    throw flagError(mode.flag, expr, err);
  }
  return into;
}

const identity = (raw: string): string => raw;

/**
 * Parses one `--set` value into `into` (values typed as Helm's `typedVal`) and returns `into`.
 * On error `into` may hold the assignments before the failing one.
 */
export function parseSet(expr: string, into: PlainObject): PlainObject {
  return run(expr, into, { flag: '--set', literal: false, json: false, read: typedValue });
}

/** Parses one `--set-string` value into `into`: every value is a string. */
export function parseSetString(expr: string, into: PlainObject): PlainObject {
  return run(expr, into, { flag: '--set-string', literal: false, json: false, read: identity });
}

/** Parses one `--set-literal` value into `into`: everything after the first `=` is the value, verbatim. */
export function parseSetLiteral(expr: string, into: PlainObject): PlainObject {
  return run(expr, into, { flag: '--set-literal', literal: true, json: false, read: identity });
}

/**
 * Parses one `--set-json` value into `into`: either `key=<json>,key2=<json>` (an empty value is
 * `null`) or a whole JSON object, deep-merged.
 */
export function parseSetJson(expr: string, into: PlainObject): PlainObject {
  const flag = '--set-json';
  if (expr.trimStart().startsWith('{')) {
    try {
      const obj = parseJsonText(expr.trim());
      if (!isPlainObject(obj)) throw new SetError('not a JSON object');
      return mergeMaps(into, obj);
    } catch (err) {
      throw flagError(flag, expr, err);
    }
  }
  return run(expr, into, { flag, literal: false, json: true, read: identity });
}

/**
 * Parses one `--set-file` value (`key=path,…`) into `into`: each value is the text of the file
 * it names, read through `readFile`. The expression is checked before any file is read.
 */
export async function parseSetFile(
  expr: string,
  into: PlainObject,
  readFile: SetFileReader,
): Promise<PlainObject> {
  const flag = '--set-file';
  const paths: string[] = [];
  // A dry run collects the paths in order, so syntax errors come before any read.
  run(expr, {}, { flag, literal: false, json: false, read: (p) => paths.push(p) });
  const contents: string[] = [];
  for (const path of paths) {
    try {
      contents.push(await readFile(path));
    } catch (err) {
      throw flagError(flag, expr, err);
    }
  }
  let next = 0;
  return run(expr, into, { flag, literal: false, json: false, read: () => contents[next++] });
}
