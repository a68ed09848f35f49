/**
 * Word expansion for the container shell: quotes, `$VAR`/`${VAR}`/`${VAR:-x}`/`${#VAR}`, the
 * special parameters (`$?`, `$$`, `$#`, `$@`, `$1`…), command substitution (`$(…)` and
 * backquotes), arithmetic (`$((…))`), `~`, and field splitting of unquoted expansions. No
 * globbing: a container's shell would find no matching files for the patterns pods use anyway.
 */

import { skipBalanced } from './shell-parse.js';

/** What expansion reads. */
export interface ExpansionScope {
  variable(name: string): string | undefined;
  readonly positional: readonly string[];
  /** Runs a command substitution and gives its output (trailing newlines are removed here). */
  substitute(script: string): string;
}

/** Expands a word into fields (an unquoted empty expansion gives none). */
export function expandWord(word: string, scope: ExpansionScope, split = true): string[] {
  const fields: string[] = [];
  let current = '';
  let hasField = false;
  const pushSplit = (text: string) => {
    if (!split) {
      current += text;
      hasField = true;
      return;
    }
    const parts = text.split(/[ \t\n]+/);
    parts.forEach((part, index) => {
      if (index > 0) {
        if (hasField || current !== '') fields.push(current);
        current = '';
        hasField = false;
      }
      if (part !== '') {
        current += part;
        hasField = true;
      }
    });
  };
  let i = 0;
  if (word.startsWith('~') && (word.length === 1 || word[1] === '/')) {
    current = scope.variable('HOME') ?? '/root';
    hasField = true;
    i = 1;
  }
  while (i < word.length) {
    const c = word[i]!;
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      current += word.slice(i + 1, end < 0 ? word.length : end);
      hasField = true;
      i = end < 0 ? word.length : end + 1;
      continue;
    }
    if (c === '"') {
      const { text, end } = expandDoubleQuoted(word, i + 1, scope);
      if (text === null) {
        // "$@" with its fields
        const args = scope.positional;
        args.forEach((arg, index) => {
          if (index > 0) {
            fields.push(current);
            current = '';
          }
          current += arg;
          hasField = true;
        });
      } else {
        current += text;
        hasField = true;
      }
      i = end;
      continue;
    }
    if (c === '\\') {
      current += word[i + 1] ?? '';
      hasField = true;
      i += 2;
      continue;
    }
    if (c === '$' || c === '`') {
      const { text, end } = expandDollar(word, i, scope);
      if (text !== undefined) pushSplit(text);
      else {
        current += '$';
        hasField = true;
      }
      i = end;
      continue;
    }
    current += c;
    hasField = true;
    i++;
  }
  if (hasField || current !== '') fields.push(current);
  return fields;
}

/** Expands a word without field splitting (assignments, redirection targets). */
export function expandString(word: string, scope: ExpansionScope): string {
  return expandWord(word, scope, false).join(' ');
}

/** Expands the inside of a double-quoted string starting at `start`; null text means `"$@"`. */
function expandDoubleQuoted(
  word: string,
  start: number,
  scope: ExpansionScope,
): { text: string | null; end: number } {
  let text = '';
  let i = start;
  if (word.slice(start, start + 3) === '$@"') return { text: null, end: start + 3 };
  while (i < word.length && word[i] !== '"') {
    const c = word[i]!;
    if (c === '\\' && i + 1 < word.length && '$`"\\\n'.includes(word[i + 1]!)) {
      text += word[i + 1];
      i += 2;
      continue;
    }
    if (c === '$' || c === '`') {
      const expanded = expandDollar(word, i, scope);
      text += expanded.text ?? '$';
      i = expanded.end;
      continue;
    }
    text += c;
    i++;
  }
  return { text, end: i + 1 };
}

function expandDollar(word: string, i: number, scope: ExpansionScope): { text?: string; end: number } {
  if (word[i] === '`') {
    const end = word.indexOf('`', i + 1);
    const inner = word.slice(i + 1, end < 0 ? word.length : end);
    return { text: trimNewlines(scope.substitute(inner)), end: end < 0 ? word.length : end + 1 };
  }
  const next = word[i + 1];
  if (next === '(' && word[i + 2] === '(') {
    const end = skipBalanced(word, i + 1);
    const expr = word.slice(i + 3, end - 2);
    return { text: String(arithmetic(expr, scope)), end };
  }
  if (next === '(') {
    const end = skipBalanced(word, i + 1);
    return { text: trimNewlines(scope.substitute(word.slice(i + 2, end - 1))), end };
  }
  if (next === '{') {
    const end = skipBalanced(word, i + 1);
    return { text: braceParameter(word.slice(i + 2, end - 1), scope), end };
  }
  if (next !== undefined && '?$#@*!0123456789-'.includes(next)) {
    return { text: special(next, scope), end: i + 2 };
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(i + 1));
  if (name === null) return { end: i + 1 };
  return { text: scope.variable(name[0]) ?? '', end: i + 1 + name[0].length };
}

function special(c: string, scope: ExpansionScope): string {
  if (c === '#') return String(scope.positional.length);
  if (c === '@' || c === '*') return scope.positional.join(' ');
  if (c >= '1' && c <= '9') return scope.positional[Number(c) - 1] ?? '';
  return scope.variable(c) ?? '';
}

function braceParameter(inner: string, scope: ExpansionScope): string {
  if (inner.startsWith('#')) return String((scope.variable(inner.slice(1)) ?? '').length);
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*])(:?[-=+?])?(.*)$/s.exec(inner);
  if (m === null) return '';
  const name = m[1]!;
  const value = /^[0-9]$/.test(name) ? scope.positional[Number(name) - 1] : scope.variable(name);
  const op = m[2];
  const arg = m[3] ?? '';
  if (op === undefined) return value ?? '';
  const unset = op.startsWith(':') ? value === undefined || value === '' : value === undefined;
  const operator = op.slice(-1);
  if (operator === '-' || operator === '=') return unset ? expandWord(arg, scope).join(' ') : value!;
  if (operator === '+') return unset ? '' : expandWord(arg, scope).join(' ');
  return value ?? '';
}

function trimNewlines(text: string): string {
  return text.replace(/\n+$/, '');
}

/** Evaluates `$((…))`: integers, variables, + - * / % and parentheses, comparisons. */
export function arithmetic(expr: string, scope: Pick<ExpansionScope, 'variable'>): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const value = (name: string): number => {
    const v = Number.parseInt(scope.variable(name) ?? '0', 10);
    return Number.isFinite(v) ? v : 0;
  };
  const primary = (): number => {
    const t = tokens[pos++];
    if (t === undefined) return 0;
    if (t === '(') {
      const v = or();
      pos++;
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() === 0 ? 1 : 0;
    if (/^\d+$/.test(t)) return Number.parseInt(t, 10);
    return value(t.replace(/^\$/, ''));
  };
  const term = (): number => {
    let v = primary();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = tokens[pos++];
      const r = primary();
      v = op === '*' ? v * r : r === 0 ? 0 : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = term();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[pos++];
      const r = term();
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const compare = (): number => {
    let v = sum();
    while (['<', '>', '<=', '>=', '==', '!='].includes(peek() ?? '')) {
      const op = tokens[pos++];
      const r = sum();
      const result =
        op === '<'
          ? v < r
          : op === '>'
            ? v > r
            : op === '<='
              ? v <= r
              : op === '>='
                ? v >= r
                : op === '=='
                  ? v === r
                  : v !== r;
      v = result ? 1 : 0;
    }
    return v;
  };
  const and = (): number => {
    let v = compare();
    while (peek() === '&&') {
      pos++;
      const r = compare();
      v = v !== 0 && r !== 0 ? 1 : 0;
    }
    return v;
  };
  const or = (): number => {
    let v = and();
    while (peek() === '||') {
      pos++;
      const r = and();
      v = v !== 0 || r !== 0 ? 1 : 0;
    }
    return v;
  };
  return or();
}
