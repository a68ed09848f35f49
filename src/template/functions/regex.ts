/**
 * Regular expressions with Go RE2 syntax and Go's match semantics, run on JavaScript's engine.
 *
 * Patterns are translated (`(?P<n>…)`, leading `(?i)`-style flags, `\A \z \Q…\E`, POSIX
 * classes, `\pL`, Go's `.` and `\s`, literal `{`); what RE2 rejects (backreferences,
 * lookaround) is rejected too. Iteration follows Go (an empty match right after a match is
 * skipped) and replacements expand `$1`, `${1}`, `$name`, `${name}` and `$$` as Go's `Expand` does.
 * Limits: patterns up to 64 KiB, subjects up to 1 MiB.
 */

import { checkSize, type FunctionMap, fail, fn, intArg, strArg } from './args.js';

const MAX_PATTERN = 64 * 1024;
const MAX_SUBJECT = 1024 * 1024;
const CACHE_SIZE = 256;

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
const JS_SYNTAX = '^$\\.*+?()[]{}|/';
const PERL_SPACE = '\\t\\n\\f\\r ';

/** An error in a pattern, with Go's wording (`error parsing regexp: …`). */
export class RegexSyntaxError extends Error {}

const bad = (what: string, text: string): never => {
  throw new RegexSyntaxError(`error parsing regexp: ${what}: \`${text}\``);
};

const literal = (c: string): string => {
  const code = c.codePointAt(0)!;
  return /[\p{L}\p{N}_ ]/u.test(c) ? c : `\\u{${code.toString(16)}}`;
};

/** Translates one escape sequence at `p[i] === '\\'`; returns the JS text and the next index. */
function translateEscape(p: string, i: number, inClass: boolean): [string, number] {
  const c = p[i + 1];
  if (c === undefined) return bad('trailing backslash at end of expression', '');
  const octal = /^(0[0-7]{0,2}|[1-7][0-7]{1,2})/.exec(p.slice(i + 1));
  if (octal) return [literal(String.fromCharCode(Number.parseInt(octal[1]!, 8))), i + 1 + octal[1]!.length];
  if (/[1-9]/.test(c)) return bad('invalid escape sequence', `\\${c}`);
  if (c === 'x') {
    const m = /^x(\{([0-9A-Fa-f]{1,6})\}|[0-9A-Fa-f]{2})/.exec(p.slice(i + 1));
    if (!m) return bad('invalid escape sequence', p.slice(i, i + 4));
    const code = Number.parseInt(m[2] ?? m[1]!, 16);
    if (code > 0x10ffff) bad('invalid escape sequence', m[0]);
    return [`\\u{${code.toString(16)}}`, i + 1 + m[0].length];
  }
  if (c === 'p' || c === 'P') {
    const m = /^[pP](\{\^?(\w+)\}|[A-Za-z])/.exec(p.slice(i + 1));
    if (!m) return bad('invalid character class range', p.slice(i, i + 3));
    const name = m[2] ?? m[1]!;
    const negate = (c === 'P') !== m[1]!.startsWith('{^');
    const prop = /^[A-Z][a-z]?$/.test(name) ? name : name === 'Any' ? 'Any' : `Script=${name}`;
    return [`\\${negate ? 'P' : 'p'}{${prop}}`, i + 1 + m[0].length];
  }
  switch (c) {
    case 'A':
      if (inClass) bad('invalid escape sequence', '\\A');
      return ['(?<![\\s\\S])', i + 2];
    case 'z':
      if (inClass) bad('invalid escape sequence', '\\z');
      return ['(?![\\s\\S])', i + 2];
    case 's':
      return [inClass ? PERL_SPACE : `[${PERL_SPACE}]`, i + 2];
    case 'S':
      if (inClass) bad('invalid escape sequence', '\\S');
      return [`[^${PERL_SPACE}]`, i + 2];
    case 'Q': {
      const end = p.indexOf('\\E', i + 2);
      const text = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
      return [Array.from(text).map(literal).join(''), end < 0 ? p.length : end + 2];
    }
    default:
      break;
  }
  if ('dDwWbBfnrtv'.includes(c)) return [`\\${c}`, i + 2];
  if (/[!-/:-@[-`{-~]/.test(c))
    return [JS_SYNTAX.includes(c) || (inClass && c === '-') ? `\\${c}` : literal(c), i + 2];
  return bad('invalid escape sequence', `\\${c}`);
}

/** Translates a character class starting at `p[i] === '['`. */
function charClass(p: string, i: number): [string, number] {
  let out = '[';
  let j = i + 1;
  if (p[j] === '^') {
    out += '^';
    j++;
  }
  let first = true;
  while (j < p.length) {
    const c = String.fromCodePoint(p.codePointAt(j)!);
    if (c === ']' && !first) return [`${out}]`, j + 1];
    first = false;
    if (c === '[' && p[j + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(j));
      if (m && POSIX[m[2]!]) {
        if (m[1]) bad('unsupported negated POSIX class', m[0]);
        out += POSIX[m[2]!];
        j += m[0].length;
        continue;
      }
    }
    if (c === '\\') {
      const [text, next] = translateEscape(p, j, true);
      out += text;
      j = next;
      continue;
    }
    out += c === '[' || c === ']' ? `\\${c}` : c === '-' ? '-' : literal(c);
    j += c.length;
  }
  return bad('missing closing ]', p.slice(i));
}

/** Translates an RE2 pattern to a JavaScript pattern and flags. */
export function translateRegex(pattern: string): { source: string; flags: string } {
  if (pattern.length > MAX_PATTERN) fail(`regular expression longer than ${MAX_PATTERN} characters`);
  let flags = 'u';
  let p = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(p);
  if (lead) {
    if (lead[1]!.includes('U')) bad('unsupported flag', 'U');
    for (const f of new Set(lead[1])) flags += f;
    p = p.slice(lead[0].length);
  }
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = String.fromCodePoint(p.codePointAt(i)!);
    if (c === '\\') {
      const [text, next] = translateEscape(p, i, false);
      out += text;
      i = next;
    } else if (c === '[') {
      const [text, next] = charClass(p, i);
      out += text;
      i = next;
    } else if (c === '(' && p[i + 1] === '?') {
      const rest = p.slice(i);
      const named = /^\(\?P?<(\w+)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length;
      } else if (rest.startsWith('(?:')) {
        out += '(?:';
        i += 3;
      } else {
        bad('invalid or unsupported Perl syntax', rest.slice(0, 3));
      }
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (m) {
        if (Number(m[1]) > 1000 || Number(m[3] || 0) > 1000) bad('invalid repeat count', m[0]);
        out += m[0];
        i += m[0].length;
      } else {
        out += '\\{';
        i++;
      }
    } else if (c === '}') {
      out += '\\}';
      i++;
    } else if (c === '.' && !flags.includes('s')) {
      out += '[^\\n]';
      i++;
    } else {
      out += c;
      i += c.length;
    }
  }
  return { source: out, flags };
}

const cache = new Map<string, RegExp>();

/** Compiles (and caches) a Go pattern as a global JS RegExp. Throws `RegexSyntaxError`. */
export function compileGoRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const { source, flags } = translateRegex(pattern);
  let re: RegExp;
  try {
    re = new RegExp(source, `${flags}g`);
  } catch (err) {
    throw new RegexSyntaxError(`error parsing regexp: ${(err as Error).message}`);
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}

function subject(s: string): string {
  if (s.length > MAX_SUBJECT) fail(`regular expression subject longer than ${MAX_SUBJECT} characters`);
  return s;
}

/** Go's `FindAll…` iteration: at most `n` matches (all when n < 0), no empty match right after a match. */
export function goMatches(re: RegExp, s: string, n = -1): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos && m[0].length === 0) {
      if (m.index === prevEnd) accept = false;
      const cp = s.codePointAt(pos);
      pos += cp !== undefined && cp > 0xffff ? 2 : 1;
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go `Regexp.Expand` of a replacement template for one match. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{(\w+)\}|(\w+))?/g,
    (all, _x: string | undefined, braced?: string, bare?: string) => {
      if (all === '$$') return '$';
      const name = braced ?? bare;
      if (name === undefined) return '$';
      if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
      return m.groups?.[name] ?? '';
    },
  );
}

/** Go `ReplaceAllString` (`literal` false) or `ReplaceAllLiteralString` (true). */
export function goReplaceAll(re: RegExp, s: string, repl: string, literalRepl: boolean): string {
  let out = '';
  let last = 0;
  for (const m of goMatches(re, s)) {
    out += s.slice(last, m.index) + (literalRepl ? repl : expand(repl, m));
    last = m.index + m[0].length;
    checkSize(out.length, 'regexReplaceAll');
  }
  return out + s.slice(last);
}

/** Go `Regexp.Split(s, n)`. */
export function goSplit(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== '(?:)' && s === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of goMatches(re, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

function compileOrFail(pattern: unknown): RegExp {
  try {
    return compileGoRegex(strArg(pattern));
  } catch (err) {
    if (err instanceof RegexSyntaxError) fail(err.message);
    throw err;
  }
}

/** Regular-expression functions. */
export function regexFunctions(): FunctionMap {
  const m: FunctionMap = {
    regexMatch: fn(2, 2, ([r, s]) => {
      let re: RegExp;
      try {
        re = compileGoRegex(strArg(r));
      } catch (err) {
        if (err instanceof RegexSyntaxError) return false;
        throw err;
      }
      return goMatches(re, subject(strArg(s)), 1).length > 0;
    }),
    mustRegexMatch: fn(2, 2, ([r, s]) => goMatches(compileOrFail(r), subject(strArg(s)), 1).length > 0),
    regexFind: fn(2, 2, ([r, s]) => goMatches(compileOrFail(r), subject(strArg(s)), 1)[0]?.[0] ?? ''),
    regexFindAll: fn(3, 3, ([r, s, n]) =>
      goMatches(compileOrFail(r), subject(strArg(s)), intArg(n)).map((x) => x[0]),
    ),
    regexReplaceAll: fn(3, 3, ([r, s, repl]) =>
      goReplaceAll(compileOrFail(r), subject(strArg(s)), strArg(repl), false),
    ),
    regexReplaceAllLiteral: fn(3, 3, ([r, s, repl]) =>
      goReplaceAll(compileOrFail(r), subject(strArg(s)), strArg(repl), true),
    ),
    regexSplit: fn(3, 3, ([r, s, n]) => goSplit(compileOrFail(r), subject(strArg(s)), intArg(n))),
    regexQuoteMeta: fn(1, 1, ([s]) => strArg(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')),
  };
  for (const name of [
    'regexFind',
    'regexFindAll',
    'regexReplaceAll',
    'regexReplaceAllLiteral',
    'regexSplit',
  ]) {
    m[`must${name[0]!.toUpperCase()}${name.slice(1)}`] = m[name]!;
  }
  return m;
}
