/**
 * The literal tokens of the scanner (`lexer.ts`): comments, quoted strings and `[segments]`,
 * keywords and numbers, each as the offset where it ends (or -1 when the rule does not apply),
 * with Handlebars' lexical rules.
 */

import { BACKSLASH, endsLiteral, isDigit, TILDE } from './chars.js';
import { LexError } from './tokens.js';

/**
 * Where the comment starting at `start` (`bang` at its `!`) ends: `{{! … }}` at the first
 * `}}`, `{{!-- … --}}` at the first `--}}` (or `--~}}`).
 */
export function commentEnd(src: string, start: number, bang: number): number {
  if (src.startsWith('--', bang + 1)) {
    let i = src.indexOf('--', bang + 1);
    while (i >= 0) {
      const j = src.charCodeAt(i + 2) === TILDE ? i + 3 : i + 2;
      if (src.startsWith('}}', j)) return j + 2;
      i = src.indexOf('--', i + 1);
    }
    throw new LexError('unterminated comment', start);
  }
  const end = src.indexOf('}}', bang + 1);
  if (end < 0) throw new LexError('unterminated comment', start);
  return end + 2;
}

/**
 * Where the token opened at `start` and closed by `close` ends: a quoted string (`close` is its
 * quote) or a `[segment]` (`]`). Only the closing character (and, in segments, the backslash
 * before it) is escaped; like the regular expressions it mirrors, an unterminated token ends at
 * the closing character of its last escape, else it is an error (`unterminated`).
 */
export function quotedEnd(src: string, start: number, close: number, unterminated: string): number {
  let i = start + 1;
  let lastEscape = -1;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === BACKSLASH && src.charCodeAt(i + 1) === close) {
      lastEscape = i;
      i += 2;
    } else if (c === close) break;
    else i++;
  }
  if (i >= src.length) {
    if (lastEscape < 0) throw new LexError(unterminated, start);
    i = lastEscape + 1;
  }
  return i + 1;
}

/** Where `true`, `false`, `undefined` or `null` (by its first letter `c`) ends, if it is there. */
export function keywordEnd(src: string, pos: number, c: number): number {
  const word = c === 116 ? 'true' : c === 102 ? 'false' : c === 117 ? 'undefined' : c === 110 ? 'null' : '';
  const end = pos + word.length;
  if (word === '' || !src.startsWith(word, pos) || end >= src.length || !endsLiteral(src.charCodeAt(end))) {
    return -1;
  }
  return end;
}

/** Where the number `-?[0-9]+(\.[0-9]+)?` followed by `[~}\s)]` at `pos` ends, if it is one. */
export function numberEnd(src: string, pos: number): number {
  let i = pos;
  if (src.charCodeAt(i) === 45) i++;
  const digits = i;
  while (isDigit(src.charCodeAt(i))) i++;
  if (i === digits) return -1;
  let end = i;
  if (src.charCodeAt(i) === 46 && isDigit(src.charCodeAt(i + 1))) {
    end = i + 2;
    while (isDigit(src.charCodeAt(end))) end++;
  }
  if (end >= src.length || !endsLiteral(src.charCodeAt(end))) {
    if (end === i || i >= src.length || !endsLiteral(src.charCodeAt(i))) return -1;
    end = i;
  }
  return end;
}
