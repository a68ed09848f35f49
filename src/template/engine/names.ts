/**
 * Name rules shared by the parser: which names are functions, block helpers, forbidden
 * lookups, and Handlebars' notion of a "scoped" path (one that can never name a helper).
 */

import type { FunctionTable, TemplateFunction } from '../types.js';
import type { BlockHelper, BuiltinFunction } from './ast.js';
import { isWordChar } from './chars.js';

/** A function a template may call; `slot` is its index in {@link FunctionIndex.entries}. */
export interface FunctionEntry {
  readonly slot: number;
  readonly name: string;
  /** The table function, or null for a built-in. */
  readonly fn: TemplateFunction | null;
  readonly builtin: BuiltinFunction | null;
}

/** The functions a template may call: the table's plus the engine's built-ins. */
export interface FunctionIndex {
  readonly byName: ReadonlyMap<string, FunctionEntry>;
  readonly entries: readonly FunctionEntry[];
  /** First segments of the dotted names (`Files` of `Files.Get`): other paths name no function. */
  readonly dottedHeads: ReadonlySet<string>;
}

const BUILTIN_FUNCTIONS: readonly BuiltinFunction[] = ['include', 'template', 'tpl'];

/** Indexes a function table (own properties that are functions); built-ins take precedence. */
export function indexFunctions(table: FunctionTable): FunctionIndex {
  const byName = new Map<string, FunctionEntry>();
  const entries: FunctionEntry[] = [];
  const add = (name: string, fn: TemplateFunction | null, builtin: BuiltinFunction | null) => {
    const entry = { slot: entries.length, name, fn, builtin };
    entries.push(entry);
    byName.set(name, entry);
  };
  for (const name of Object.keys(table)) {
    const fn = table[name];
    if (typeof fn === 'function' && !BUILTIN_FUNCTIONS.includes(name as BuiltinFunction)) add(name, fn, null);
  }
  for (const name of BUILTIN_FUNCTIONS) add(name, null, name);
  const dottedHeads = new Set<string>();
  for (const name of byName.keys()) if (name.includes('.')) dottedHeads.add(name.slice(0, name.indexOf('.')));
  return { byName, entries, dottedHeads };
}

/** Names of the block helpers (`raw` only as `{{{{raw}}}}`). */
export const BLOCK_HELPERS: ReadonlySet<string> = new Set<BlockHelper>([
  'if',
  'unless',
  'with',
  'each',
  'let',
  'define',
]);

/** Names whose lookup always gives undefined (prototype access). */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Whether looking `part` up must give undefined (`__proto__`, `constructor`, …). */
export function isForbiddenName(part: string): boolean {
  const n = part.length;
  return (n === 9 || n === 11 || n === 16) && FORBIDDEN_NAMES.has(part);
}

/** Hash keys that are rejected outright (they would reach the prototype of the hash object). */
export function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** Handlebars' `scopedId` (`/^\.|this\b/` on the path text): such a path never names a helper. */
export function isScoped(original: string): boolean {
  return original.charCodeAt(0) === 46 || hasThisWord(original);
}

/** `/this\b/` (a path segment ends at a separator, which is a word boundary). */
export function hasThisWord(text: string): boolean {
  // A native search first: names rarely hold `this`.
  let k = text.indexOf('this');
  if (k < 0) return false;
  const n = text.length;
  for (; k + 4 <= n; k++) {
    if (
      text.charCodeAt(k) === 116 &&
      text.charCodeAt(k + 1) === 104 &&
      text.charCodeAt(k + 2) === 105 &&
      text.charCodeAt(k + 3) === 115 &&
      (k + 4 === n || !isWordChar(text.charCodeAt(k + 4)))
    ) {
      return true;
    }
  }
  return false;
}

/** Digits only (a list index written as a path segment, `list.0`). */
export function isIndex(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return text.length > 0;
}
