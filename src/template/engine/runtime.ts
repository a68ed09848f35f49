/**
 * Value semantics of the interpreter: evaluation frames, safe property lookup, Go's
 * truthiness and map order.
 */

import type { Code } from './bytecode.js';

/** Values of the block parameters of the enclosing blocks that declare some. */
export interface ParamFrame {
  readonly values: readonly unknown[];
  readonly parent: ParamFrame | null;
}

/** Where an expression is evaluated. `up` is the frame `../` reads. */
export interface Frame {
  readonly ctx: unknown;
  readonly up: Frame | null;
  readonly data: DataFrame;
  readonly params: ParamFrame | null;
}

/** The frame a template, define or partial starts in (a partial keeps its caller's data). */
export function rootFrame(ctx: unknown, data?: DataFrame): Frame {
  const d = data ?? {
    root: ctx,
    parent: null,
    index: undefined,
    key: undefined,
    first: undefined,
    last: undefined,
  };
  return { ctx, up: null, data: d, params: null };
}

/**
 * Reads `n` keys (the constants named at `code.ops[at…]`) from `value`, own properties only.
 * A missing step or a step into a non-object gives undefined (no error). Forbidden names
 * (`__proto__`, `constructor`, …) never get here: the parser folds such paths to undefined.
 */
export function lookupKeys(value: unknown, code: Code, at: number, n: number): unknown {
  for (let k = 0; k < n; k++) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = code.consts[code.ops[at + k]] as string;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Go's truth (`if`, `with`, `unless`): false, 0, "", nil, an empty list and an empty map are
 * false; everything else is true (unlike Handlebars, an empty map is false).
 */
export function isTruthy(value: unknown): boolean {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'bigint':
      return value !== 0n;
    case 'undefined':
      return false;
    case 'object':
      if (value === null) return false;
      if (Array.isArray(value)) return value.length > 0;
      if (value instanceof Map || value instanceof Set) return value.size > 0;
      if (ArrayBuffer.isView(value)) return value.byteLength > 0;
      if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
        for (const key in value) if (Object.hasOwn(value, key)) return true;
        return false;
      }
      return true;
    default:
      return true;
  }
}

/** Keys of a map in Go's iteration order (sorted). */
export function sortedOwnKeys(value: object): string[] {
  return Object.keys(value).sort();
}

/** The `@` variables a block sets (`@root` everywhere, the rest inside `each`). */
export interface DataFrame {
  readonly root: unknown;
  readonly parent: DataFrame | null;
  index: number | undefined;
  key: string | number | undefined;
  first: boolean | undefined;
  last: boolean | undefined;
}

/** `@name` in a data frame (unknown names are undefined). */
export function dataField(data: DataFrame, name: string): unknown {
  switch (name) {
    case 'root':
      return data.root;
    case 'index':
      return data.index;
    case 'key':
      return data.key;
    case 'first':
      return data.first;
    case 'last':
      return data.last;
    default:
      return undefined;
  }
}

/** Prefixes every line with `indent` (not the empty tail after a final newline), as Handlebars. */
export function indentLines(text: string, indent: string): string {
  let out = '';
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return out + indent + text.slice(start);
    out += indent + text.slice(start, nl + 1);
    start = nl + 1;
  }
  return out;
}

/** Whether `err` is V8's "Maximum call stack size exceeded". */
export function isStackOverflow(err: unknown): err is RangeError {
  return err instanceof RangeError && err.message.includes('call stack');
}
