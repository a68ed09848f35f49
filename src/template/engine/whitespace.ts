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

import type { BlockStatement, ContentStatement, Program, Statement } from './ast.js';
import { isWs } from './chars.js';

interface StripInfo {
  readonly open: boolean;
  readonly close: boolean;
  readonly openStandalone?: boolean;
  readonly closeStandalone?: boolean;
  readonly inlineStandalone?: boolean;
}

/** Applies Handlebars' whitespace rules to a parsed template body, in place. */
export function applyWhitespaceControl(root: Program): void {
  visitProgram(root, true);
}

function visitProgram(program: Program, isRoot: boolean): void {
  const body = program.body;
  for (let i = 0, l = body.length; i < l; i++) {
    const current = body[i];
    const strip = visit(current);
    if (strip === null) continue;
    const prevWs = isPrevWhitespace(body, i, isRoot);
    const nextWs = isNextWhitespace(body, i, isRoot);
    const openStandalone = strip.openStandalone && prevWs;
    const closeStandalone = strip.closeStandalone && nextWs;
    const inlineStandalone = strip.inlineStandalone && prevWs && nextWs;
    if (strip.close) omitRight(body, i, true);
    if (strip.open) omitLeft(body, i, true);
    if (inlineStandalone) {
      omitRight(body, i);
      if (omitLeft(body, i) && current.type === 'partial') {
        current.indent = trailingBlanks((body[i - 1] as ContentStatement).original);
      }
    }
    if (openStandalone && current.type === 'block') {
      omitRight((current.program ?? current.inverse)?.body);
      omitLeft(body, i);
    }
    if (closeStandalone && current.type === 'block') {
      omitRight(body, i);
      omitLeft((current.inverse ?? current.program)?.body);
    }
  }
}

function visit(node: Statement): StripInfo | null {
  switch (node.type) {
    case 'content':
      return null;
    case 'mustache':
      return node.strip;
    case 'comment':
    case 'partial':
      return { inlineStandalone: true, open: node.strip.open, close: node.strip.close };
    case 'block':
      return visitBlock(node);
  }
}

function visitBlock(block: BlockStatement): StripInfo {
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
  const strip: StripInfo = {
    open: block.openStrip.open,
    close: block.closeStrip.close,
    openStandalone: isNextWhitespace(program.body),
    closeStandalone: isPrevWhitespace((firstInverse ?? program).body),
  };
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
  if (prev.type !== 'content') return false;
  const sibling = body[i - 2];
  const text = prev.original;
  return trailingRunHasNewline(text) || (sibling === undefined && isRoot && isAllWs(text));
}

/** Whether the text after position `i` starts with whitespace up to a newline. */
function isNextWhitespace(body: readonly Statement[] | undefined, i = -1, isRoot = false): boolean {
  if (body === undefined) return false;
  const next = body[i + 1];
  if (next === undefined) return isRoot;
  if (next.type !== 'content') return false;
  const sibling = body[i + 2];
  const text = next.original;
  return leadingRunHasNewline(text) || (sibling === undefined && isRoot && isAllWs(text));
}

/** Strips whitespace at the start of the content after `i` (all of it, or up to one newline). */
function omitRight(body: readonly Statement[] | undefined, i?: number, multiple = false): void {
  const current = body?.[i === undefined ? 0 : i + 1];
  if (current === undefined || current.type !== 'content' || (!multiple && current.rightStripped)) return;
  const original = current.value;
  current.value = multiple ? original.trimStart() : original.slice(blankLinePrefix(original));
  current.rightStripped = current.value !== original;
}

/** Strips whitespace at the end of the content before `i` (all of it, or spaces and tabs). */
function omitLeft(body: readonly Statement[] | undefined, i?: number, multiple = false): boolean {
  if (body === undefined) return false;
  const current = body[i === undefined ? body.length - 1 : i - 1];
  if (current === undefined || current.type !== 'content' || (!multiple && current.leftStripped))
    return false;
  const original = current.value;
  current.value = multiple
    ? original.trimEnd()
    : original.slice(0, original.length - trailingBlanks(original).length);
  current.leftStripped = current.value !== original;
  return current.leftStripped;
}

/** Length of `^[ \t]*\r?\n?`. */
function blankLinePrefix(s: string): number {
  let k = 0;
  while (k < s.length && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9)) k++;
  if (s.charCodeAt(k) === 13) k++;
  if (s.charCodeAt(k) === 10) k++;
  return k;
}

/** The trailing run of spaces and tabs. */
function trailingBlanks(s: string): string {
  let k = s.length;
  while (k > 0 && (s.charCodeAt(k - 1) === 32 || s.charCodeAt(k - 1) === 9)) k--;
  return s.slice(k);
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
