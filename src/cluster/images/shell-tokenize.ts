/**
 * The shell tokenizer: splits a script into words, operators and redirections. Words keep their
 * quoting, `$(…)`, `${…}` and backquotes whole; the parser (`shell-parse.ts`) builds commands from
 * the tokens and the expansion (`shell-expand.ts`) finds the end of a `$(…)` with `skipBalanced`.
 */

import type { Redirect } from './shell-parse.js';

/** A syntax error, worded as the shell words it (`syntax error: unexpected "done"`). */
export class ShellSyntaxError extends Error {}

/** A word (its quoting kept), an operator, or a redirection (its target is the next word). */
export type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'op'; readonly text: string }
  | { readonly kind: 'redirect'; readonly redirect: Omit<Redirect, 'target'> & { target?: string } };

/** Splits a script into tokens; quotes, `$(…)`, `${…}` and backquotes stay inside words. */
export function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'op', text: '\n' });
      i++;
      continue;
    }
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === ';;') {
      tokens.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if (two === '&>') {
      i += 2;
      if (script[i] === '>') i++;
      tokens.push({ kind: 'redirect', redirect: { fd: 1, op: '&>' } });
      continue;
    }
    if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      tokens.push({ kind: 'op', text: c });
      i++;
      continue;
    }
    // A redirection, possibly with a leading fd number.
    const redirect = /^(\d?)(>>|>&|<&|>\||>|<)/.exec(script.slice(i, i + 4));
    if (redirect && (redirect[1] === '' || isWordBoundary(script, i))) {
      const fd = redirect[1] === '' ? (redirect[2]!.startsWith('<') ? 0 : 1) : Number(redirect[1]);
      const raw = redirect[2]!;
      const op: Redirect['op'] = raw === '>>' ? '>>' : raw === '>&' ? '>&' : raw.startsWith('<') ? '<' : '>';
      tokens.push({ kind: 'redirect', redirect: { fd, op } });
      i += redirect[0].length;
      continue;
    }
    // A word.
    const start = i;
    while (i < n) {
      const ch = script[i]!;
      if (' \t\r\n;&|()<>'.includes(ch)) {
        if (ch === '>' || ch === '<') {
          break;
        }
        break;
      }
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === "'") {
        const end = script.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        i = end + 1;
        continue;
      }
      if (ch === '"') {
        i = skipDoubleQuoted(script, i);
        continue;
      }
      if (ch === '`') {
        const end = script.indexOf('`', i + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated backquote');
        i = end + 1;
        continue;
      }
      if (ch === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
        i = skipBalanced(script, i + 1);
        continue;
      }
      i++;
    }
    tokens.push({ kind: 'word', text: script.slice(start, i) });
  }
  return tokens;
}

function isWordBoundary(script: string, i: number): boolean {
  return i === 0 || ' \t\n;&|('.includes(script[i - 1]!);
}

function skipDoubleQuoted(script: string, i: number): number {
  let j = i + 1;
  while (j < script.length) {
    const ch = script[j]!;
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === '"') return j + 1;
    if (ch === '$' && (script[j + 1] === '(' || script[j + 1] === '{')) {
      j = skipBalanced(script, j + 1);
      continue;
    }
    if (ch === '`') {
      const end = script.indexOf('`', j + 1);
      j = end < 0 ? script.length : end + 1;
      continue;
    }
    j++;
  }
  throw new ShellSyntaxError('syntax error: unterminated quoted string');
}

/** The index after the bracket that closes the one at `open` (`(` or `{`), skipping quotes. */
export function skipBalanced(script: string, open: number): number {
  const opening = script[open]!;
  const closing = opening === '(' ? ')' : '}';
  let depth = 0;
  let j = open;
  while (j < script.length) {
    const ch = script[j]!;
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === "'" && opening === '(') {
      const end = script.indexOf("'", j + 1);
      j = end < 0 ? script.length : end + 1;
      continue;
    }
    if (ch === '"') {
      j = skipDoubleQuoted(script, j);
      continue;
    }
    if (ch === opening) depth++;
    else if (ch === closing) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  throw new ShellSyntaxError(`syntax error: missing '${closing}'`);
}
