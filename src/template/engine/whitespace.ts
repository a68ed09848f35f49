/**
 * Whitespace control, exactly as Handlebars' `WhitespaceControl` visitor does it:
 *
 * - `~` on a tag strips all whitespace (newlines included) on that side;
 * - a "standalone" line, holding only a block open/close/else, a comment or a partial plus
 *   whitespace, is removed entirely (a standalone partial keeps its indentation and indents
 *   every line it renders).
 *
 * The structure (which neighbours are inspected, in which order, the `original` text vs the
 * already-stripped `value`) mirrors the Handlebars source so that the same template gives the
 * same text; only the regular expressions are replaced by char-code scans.
 */

import { type BlockStatement, type Program, type Statement, texts } from './ast.js';
import { isWs } from './chars.js';

/** `texts.flags` bits: Handlebars' `leftStripped` and `rightStripped` of a text. */
const LEFT_STRIPPED = 1;
const RIGHT_STRIPPED = 2;

/** What `visit` finds out about a statement, as bits (Handlebars' strip info object). */
const OPEN = 1;
const CLOSE = 2;
const OPEN_STANDALONE = 4;
const CLOSE_STANDALONE = 8;
const INLINE_STANDALONE = 16;
const STANDALONE = OPEN_STANDALONE | CLOSE_STANDALONE | INLINE_STANDALONE;

/** Applies Handlebars' whitespace rules to a parsed template body, in place. */
export function applyWhitespaceControl(root: Program): void {
  visitProgram(root, true);
}

function visitProgram(program: Program, isRoot: boolean): void {
  const body = program.body;
  for (let i = 0, l = body.length; i < l; i++) {
    const current = body[i]!;
    // Texts have nothing to visit.
    if (typeof current === 'number') continue;
    const strip = visit(current);
    if ((strip & CLOSE) !== 0) omitRight(body, i, true);
    if ((strip & OPEN) !== 0) omitLeft(body, i, true);
    // A mustache is never standalone: skip the neighbour tests (they read the texts as
    // written, which stripping does not change, so testing after it gives the same answer).
    if ((strip & STANDALONE) === 0) continue;
    const prevWs = isPrevWhitespace(body, i, isRoot);
    const nextWs = isNextWhitespace(body, i, isRoot);
    if ((strip & INLINE_STANDALONE) !== 0 && prevWs && nextWs) {
      omitRight(body, i);
      if (omitLeft(body, i) && current.type === 'partial') {
        const original = texts.original[body[i - 1] as number]!;
        current.indent = original.slice(trailingBlanks(original));
      }
    }
    if ((strip & OPEN_STANDALONE) !== 0 && prevWs && current.type === 'block') {
      omitRight((current.program ?? current.inverse)?.body);
      omitLeft(body, i);
    }
    if ((strip & CLOSE_STANDALONE) !== 0 && nextWs && current.type === 'block') {
      omitRight(body, i);
      omitLeft((current.inverse ?? current.program)?.body);
    }
  }
}

function visit(node: Exclude<Statement, number>): number {
  switch (node.type) {
    case 'mustache':
      return (node.strip.open ? OPEN : 0) | (node.strip.close ? CLOSE : 0);
    case 'comment':
    case 'partial':
      return INLINE_STANDALONE | (node.strip.open ? OPEN : 0) | (node.strip.close ? CLOSE : 0);
    case 'block':
      return visitBlock(node);
  }
}

function visitBlock(block: BlockStatement): number {
  if (block.program) visitProgram(block.program, false);
  if (block.inverse) visitProgram(block.inverse, false);
  const program = (block.program ?? block.inverse) as Program;
  const inverse = block.program && block.inverse;
  let firstInverse = inverse;
  let lastInverse = inverse;
  if (inverse?.chained) {
    firstInverse = (inverse.body[0] as BlockStatement).program;
    // Handlebars walks `.program` here, so this stops after one link; kept for identical output.
    while (lastInverse?.chained) {
      lastInverse = (lastInverse.body[lastInverse.body.length - 1] as BlockStatement).program;
    }
  }
  const strip =
    (block.openStrip.open ? OPEN : 0) |
    (block.closeStrip.close ? CLOSE : 0) |
    (isNextWhitespace(program.body) ? OPEN_STANDALONE : 0) |
    (isPrevWhitespace((firstInverse ?? program).body) ? CLOSE_STANDALONE : 0);
  if (block.openStrip.close) omitRight(program.body, undefined, true);
  if (inverse) {
    if (block.inverseStrip.open) omitLeft(program.body, undefined, true);
    if (block.inverseStrip.close) omitRight(firstInverse?.body, undefined, true);
    if (block.closeStrip.open) omitLeft(lastInverse?.body, undefined, true);
    if (isPrevWhitespace(program.body) && isNextWhitespace(firstInverse?.body)) {
      omitLeft(program.body);
      omitRight(firstInverse?.body);
    }
  } else if (block.closeStrip.open) {
    omitLeft(program.body, undefined, true);
  }
  return strip;
}

/** Whether the text before position `i` ends a line (only whitespace after its last newline). */
function isPrevWhitespace(body: readonly Statement[], i = body.length, isRoot = false): boolean {
  const prev = body[i - 1];
  if (prev === undefined) return isRoot;
  if (typeof prev !== 'number') return false;
  const sibling = body[i - 2];
  const text = texts.original[prev]!;
  return trailingRunHasNewline(text) || (sibling === undefined && isRoot && isAllWs(text));
}

/** Whether the text after position `i` starts with whitespace up to a newline. */
function isNextWhitespace(body: readonly Statement[] | undefined, i = -1, isRoot = false): boolean {
  if (body === undefined) return false;
  const next = body[i + 1];
  if (next === undefined) return isRoot;
  if (typeof next !== 'number') return false;
  const sibling = body[i + 2];
  const text = texts.original[next]!;
  return leadingRunHasNewline(text) || (sibling === undefined && isRoot && isAllWs(text));
}

/** Strips whitespace at the start of the content after `i` (all of it, or up to one newline). */
function omitRight(body: readonly Statement[] | undefined, i?: number, multiple = false): void {
  const current = body?.[i === undefined ? 0 : i + 1];
  if (typeof current !== 'number' || (!multiple && (texts.flags[current]! & RIGHT_STRIPPED) !== 0)) return;
  const original = texts.value[current]!;
  const value = multiple ? original.trimStart() : original.slice(blankLinePrefix(original));
  texts.value[current] = value;
  if (value !== original) texts.flags[current]! |= RIGHT_STRIPPED;
  else texts.flags[current]! &= ~RIGHT_STRIPPED;
}

/** Strips whitespace at the end of the content before `i` (all of it, or spaces and tabs). */
function omitLeft(body: readonly Statement[] | undefined, i?: number, multiple = false): boolean {
  if (body === undefined) return false;
  const current = body[i === undefined ? body.length - 1 : i - 1];
  if (typeof current !== 'number' || (!multiple && (texts.flags[current]! & LEFT_STRIPPED) !== 0)) {
    return false;
  }
  const original = texts.value[current]!;
  const value = multiple ? original.trimEnd() : original.slice(0, trailingBlanks(original));
  texts.value[current] = value;
  const stripped = value !== original;
  if (stripped) texts.flags[current]! |= LEFT_STRIPPED;
  else texts.flags[current]! &= ~LEFT_STRIPPED;
  return stripped;
}

/** Length of `^[ \t]*\r?\n?`. */
function blankLinePrefix(s: string): number {
  let k = 0;
  while (k < s.length && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9)) k++;
  if (s.charCodeAt(k) === 13) k++;
  if (s.charCodeAt(k) === 10) k++;
  return k;
}

/** Where the trailing run of spaces and tabs starts. */
function trailingBlanks(s: string): number {
  let k = s.length;
  while (k > 0 && (s.charCodeAt(k - 1) === 32 || s.charCodeAt(k - 1) === 9)) k--;
  return k;
}

function trailingRunHasNewline(s: string): boolean {
  for (let k = s.length - 1; k >= 0; k--) {
    const c = s.charCodeAt(k);
    if (c === 10) return true;
    if (!isWs(c)) return false;
  }
  return false;
}

function leadingRunHasNewline(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 10) return true;
    if (!isWs(c)) return false;
  }
  return false;
}

function isAllWs(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (!isWs(s.charCodeAt(k))) return false;
  return true;
}
