/**
 * A fast reader for the block-style YAML that manifests and values files are written in:
 * block mappings and sequences (compact `- key: value` items too), plain and single-line quoted
 * scalars, block scalars (`|`, `>-`, …), comments, one-line flow sequences of scalars and `{}`. It gives exactly what js-yaml
 * (`yaml-fast.ts`) gives for such text, with plain scalars resolved by the same schema types,
 * and gives up (`UNSUPPORTED`) on anything else: flow collections, anchors, aliases, tags,
 * multi-line plain or quoted scalars, escapes, tabs, non-ASCII text, directives, several
 * documents, duplicate or prototype-reaching keys, deep nesting, and every error. The caller
 * then reads the text with js-yaml, which gives the real result or error message.
 *
 * Why: rendered manifests are most of what `bosun template` reads, and this reader costs a
 * fraction of js-yaml's general state machine, with no tree walks afterwards (what it returns
 * is shallow enough and holds no alias or forbidden key).
 */

import {
  APOS,
  BlockScalarReader,
  COLON,
  GIVE_UP,
  GT,
  HASH,
  LBRACE,
  LBRACKET,
  PIPE,
  type PlainResolver,
  QUOTE,
} from './yaml-block-scalars.js';
import { isDash, SPACE, startsPlain } from './yaml-block-syntax.js';

export type { PlainResolver } from './yaml-block-scalars.js';

/** What `readBlockYaml` returns for text outside its subset. */
export const UNSUPPORTED: unique symbol = Symbol('unsupported YAML');

/** Nesting beyond this is left to js-yaml (and its depth limit). */
const MAX_DEPTH = 64;
/** Anything but printable ASCII and line feeds. */
const NOT_PRINTABLE_ASCII = /[^\n -~]/;

/** Whether a line starts a document (`---`), ends one (`...`) or is a directive (`%`). */
function hasDocumentMarker(text: string): boolean {
  return (
    text.startsWith('---') ||
    text.startsWith('...') ||
    text.startsWith('%') ||
    text.includes('\n---') ||
    text.includes('\n...') ||
    text.includes('\n%')
  );
}

/**
 * Reads one block-style YAML document, or returns `UNSUPPORTED` when the text uses anything
 * outside the subset (or is empty). `resolve` must be the schema's plain-scalar resolution.
 */
export function readBlockYaml(text: string, resolve: PlainResolver): unknown {
  if (NOT_PRINTABLE_ASCII.test(text) || hasDocumentMarker(text)) return UNSUPPORTED;
  try {
    return new BlockReader(text, resolve).document();
  } catch (err) {
    if (err === GIVE_UP) return UNSUPPORTED;
    throw err;
  }
}

/**
 * The reader: lines of content (blank and comment lines skipped), one at a time. This half
 * builds mappings and sequences; lines and scalars are read by `BlockScalarReader`.
 */
class BlockReader extends BlockScalarReader {
  private depth = 0;

  document(): unknown {
    this.advance();
    if (this.c < 0) throw GIVE_UP;
    const value = this.node(-1);
    if (this.c >= 0) throw GIVE_UP;
    return value;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
  }

  /** The node starting on the current line, which is indented more than `parent`. */
  private node(parent: number): unknown {
    this.enter();
    const value = isDash(this.s, this.c, this.e)
      ? this.sequence(this.indent)
      : this.inline(this.c, true, parent);
    this.depth--;
    return value;
  }

  /** A block sequence with its dashes at column `n`, from the current line. */
  private sequence(n: number): unknown[] {
    const s = this.s;
    const out: unknown[] = [];
    while (this.c >= 0 && this.indent === n && isDash(s, this.c, this.e)) {
      const c = this.c;
      const e = this.e;
      let p = c + 1;
      while (p < e && s.charCodeAt(p) === SPACE) p++;
      if (p === e || s.charCodeAt(p) === HASH) {
        // `-` alone: the item is on the following, deeper lines (or null).
        this.advance();
        out.push(this.c >= 0 && this.indent > n ? this.node(n) : null);
        continue;
      }
      if (isDash(s, p, e)) throw GIVE_UP;
      // A compact item at column p: a mapping whose keys line up there, or a scalar.
      this.indent = n + (p - c);
      this.enter();
      out.push(this.inline(p, true, n));
      this.depth--;
    }
    if (this.c >= 0 && this.indent > n) throw GIVE_UP;
    return out;
  }

  /**
   * The node at `p` on the current line: a mapping when a key is there (and `mapOk`), with its
   * keys at the current indentation, else a scalar that ends the line. A following line
   * indented more than `parent` would continue the scalar: not in the subset.
   */
  private inline(p: number, mapOk: boolean, parent: number): unknown {
    const s = this.s;
    const e = this.e;
    const ch = s.charCodeAt(p);
    let value: unknown;
    let q: number;
    if (ch === PIPE || ch === GT) {
      value = this.blockScalar(p, parent);
      if (this.c >= 0 && this.indent > parent) throw GIVE_UP;
      return value;
    }
    if (ch === LBRACKET) {
      const list: unknown[] = [];
      q = this.flowSequence(p, list);
      value = list;
    } else if (ch === LBRACE) {
      // Only the empty `{}`.
      if (s.charCodeAt(p + 1) !== 125) throw GIVE_UP;
      value = {};
      q = p + 2;
    } else if (ch === APOS || ch === QUOTE) {
      q = this.quotedEnd(p);
      value = this.quoted(p, q);
      q++;
      let k = q;
      while (k < e && s.charCodeAt(k) === SPACE) k++;
      if (k < e && s.charCodeAt(k) === COLON && (k + 1 === e || s.charCodeAt(k + 1) === SPACE)) {
        if (!mapOk) throw GIVE_UP;
        return this.mapping(value as string, k + 1);
      }
    } else {
      if (!startsPlain(s, p, e)) throw GIVE_UP;
      const stop = this.plainStop(p, e);
      q = stop;
      while (s.charCodeAt(q - 1) === SPACE) q--;
      const text = s.slice(p, q);
      if (stop < e && s.charCodeAt(stop) === COLON) {
        if (!mapOk) throw GIVE_UP;
        return this.mapping(this.key(text), stop + 1);
      }
      value = this.resolve(text);
    }
    this.endOfLine(q);
    this.advance();
    if (this.c >= 0 && this.indent > parent) throw GIVE_UP;
    return value;
  }

  /**
   * A block mapping with its keys at the current indentation; its first key is read and its
   * first value starts after `p` (just past the colon).
   */
  private mapping(firstKey: string, p: number): Record<string, unknown> {
    const s = this.s;
    const n = this.indent;
    const out: Record<string, unknown> = {};
    let key = firstKey;
    for (;;) {
      const length = key.length;
      if (
        ((length === 9 || length === 11) &&
          (key === '__proto__' || key === 'constructor' || key === 'prototype')) ||
        Object.hasOwn(out, key)
      ) {
        throw GIVE_UP;
      }
      const e = this.e;
      while (p < e && s.charCodeAt(p) === SPACE) p++;
      let value: unknown = null;
      this.enter();
      if (p === e || s.charCodeAt(p) === HASH) {
        // The value is on the following lines: deeper, or a sequence at the key's column.
        this.advance();
        if (this.c >= 0) {
          if (this.indent > n) value = this.node(n);
          else if (this.indent === n && isDash(s, this.c, this.e)) value = this.sequence(n);
        }
      } else {
        value = this.inline(p, false, n);
      }
      this.depth--;
      out[key] = value;
      if (this.c < 0 || this.indent < n) return out;
      if (this.indent > n) throw GIVE_UP;
      p = this.nextKey();
      key = this.pendingKey;
    }
  }

  /** The key `nextKey` read. */
  private pendingKey = '';

  /** Reads the `key:` starting the current line into `pendingKey`; returns the offset after the colon. */
  private nextKey(): number {
    const s = this.s;
    const p = this.c;
    const e = this.e;
    const ch = s.charCodeAt(p);
    let q: number;
    if (ch === APOS || ch === QUOTE) {
      const close = this.quotedEnd(p);
      this.pendingKey = this.quoted(p, close);
      q = close + 1;
      while (q < e && s.charCodeAt(q) === SPACE) q++;
    } else {
      if (!startsPlain(s, p, e)) throw GIVE_UP;
      q = this.plainStop(p, e);
      let end = q;
      while (s.charCodeAt(end - 1) === SPACE) end--;
      this.pendingKey = q < e ? this.key(s.slice(p, end)) : '';
    }
    if (q >= e || s.charCodeAt(q) !== COLON || !(q + 1 === e || s.charCodeAt(q + 1) === SPACE)) {
      throw GIVE_UP;
    }
    return q + 1;
  }
}
