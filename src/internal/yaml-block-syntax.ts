/**
 * Character rules and block scalars of the block-style YAML reader (`yaml-block.ts`), as
 * js-yaml's loader has them.
 */

export const SPACE = 32;
export const DASH = 45;

/** Whether `s` at `p` is a `-` sequence indicator (followed by a space or the line's end `e`). */
export function isDash(s: string, p: number, e: number): boolean {
  return s.charCodeAt(p) === DASH && (p + 1 === e || s.charCodeAt(p + 1) === SPACE);
}

/** `,`, `[`, `]`, `{` or `}`. */
export function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/** Whether a plain scalar may start at `p` (js-yaml's `readPlainScalar` test, block context). */
export function startsPlain(s: string, p: number, e: number): boolean {
  switch (s.charCodeAt(p)) {
    case 33: // !
    case 34: // "
    case 35: // #
    case 37: // %
    case 38: // &
    case 39: // '
    case 42: // *
    case 44: // ,
    case 62: // >
    case 64: // @
    case 91: // [
    case 93: // ]
    case 96: // `
    case 123: // {
    case 124: // |
    case 125: // }
      return false;
    case 45: // -
    case 58: // : (an explicit value when followed by a space)
    case 63: // ?
      return !(p + 1 === e || s.charCodeAt(p + 1) === SPACE);
  }
  return true;
}

/**
 * The body of a block scalar, from the line starting at `i`: js-yaml's `readBlockScalar`, line
 * for line. `textIndent` is the least indentation of its lines (its parent's plus one) until the
 * first line with text sets it; `chomping` is 0 (clip), 1 (keep, `+`) or -1 (strip, `-`).
 * Returns the text and where the line after the scalar starts.
 */
export function blockScalarBody(
  s: string,
  i: number,
  textIndent: number,
  folded: boolean,
  chomping: number,
): { text: string; next: number } {
  const n = s.length;
  let detected = false;
  let didRead = false;
  let empty = 0;
  let moreIndented = false;
  let out = '';
  for (;;) {
    if (i >= n) break; // The end of the text ends the scalar.
    let k = i;
    while ((!detected || k - i < textIndent) && s.charCodeAt(k) === SPACE) k++;
    const lineIndent = k - i;
    if (!detected && lineIndent > textIndent) textIndent = lineIndent;
    if (k >= n || s.charCodeAt(k) === 10) {
      empty++;
      i = k + 1;
      continue;
    }
    if (lineIndent < textIndent) break;
    if (folded) {
      if (s.charCodeAt(k) === SPACE) {
        // More-indented lines are not folded.
        moreIndented = true;
        out += '\n'.repeat(didRead ? 1 + empty : empty);
      } else if (moreIndented) {
        moreIndented = false;
        out += '\n'.repeat(empty + 1);
      } else if (empty === 0) {
        if (didRead) out += ' ';
      } else {
        out += '\n'.repeat(empty);
      }
    } else {
      out += '\n'.repeat(didRead ? 1 + empty : empty);
    }
    didRead = true;
    detected = true;
    empty = 0;
    let end = s.indexOf('\n', k);
    if (end < 0) end = n;
    out += s.slice(k, end);
    i = end + 1;
  }
  if (chomping === 1) out += '\n'.repeat(didRead ? 1 + empty : empty);
  else if (chomping === 0 && didRead) out += '\n';
  return { text: out, next: Math.min(i, n) };
}
