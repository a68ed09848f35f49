/**
 * `.helmignore` rules with the semantics of Helm's `pkg/ignore`.
 *
 * One pattern per line; blank lines and `#` comments are skipped; surrounding whitespace is
 * trimmed. Patterns are Go `filepath.Match` globs (`*` and `?` never match `/`; `[...]`,
 * `[^...]` and `\` escapes). A leading `/` anchors the pattern at the chart root, a pattern that
 * still contains a `/` must match the whole relative path, and a pattern without `/` matches the
 * basename only. A trailing `/` restricts the rule to directories. `**` is an error.
 *
 * Rules are evaluated in order and the first decision wins. A negated rule (`!pattern`) is
 * Helm's, not git's: it does not re-include a path ignored by an earlier rule; it *ignores every
 * path that does not match it* and lets matching paths fall through to the later rules.
 */

import { ChartInvalidError } from '../internal/errors.js';

/** The rule Helm always appends: hidden files directly under `templates/` are never loaded. */
export const DEFAULT_IGNORE = 'templates/.?*';

const SYNTAX_ERROR = 'syntax error in pattern';

/** Thrown by `compileGlob` for a malformed pattern (Go's `filepath.ErrBadPattern`). */
class GlobSyntaxError extends Error {}

interface Rule {
  readonly negate: boolean;
  readonly mustDir: boolean;
  /** Tests the part of the path the rule looks at (see `subject`). */
  readonly match: (path: string) => boolean;
  /** Whether the rule matches the basename only (a pattern without `/`). */
  readonly basename: boolean;
}

/** Escapes one code point for use inside a RegExp character class (`u` flag). */
const classChar = (cp: number): string => `\\u{${cp.toString(16)}}`;

/** Escapes one literal character for use in a RegExp (`u` flag). */
const literal = (ch: string): string => (/[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch);

/**
 * Compiles a Go `filepath.Match` pattern (with `/` as the separator) into an anchored RegExp.
 * Malformed patterns throw `GlobSyntaxError`, as Go's `ErrBadPattern`.
 */
function compileGlob(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let i = 0;
  let source = '';
  // A character inside a class: possibly escaped, never '-' or ']' unescaped, and never the last.
  const classMember = (): number => {
    let ch = chars[i];
    if (ch === undefined || ch === '-' || ch === ']') throw new GlobSyntaxError(SYNTAX_ERROR);
    if (ch === '\\') {
      i++;
      ch = chars[i];
      if (ch === undefined) throw new GlobSyntaxError(SYNTAX_ERROR);
    }
    i++;
    if (i >= chars.length) throw new GlobSyntaxError(SYNTAX_ERROR);
    return ch.codePointAt(0)!;
  };
  while (i < chars.length) {
    const ch = chars[i++]!;
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '\\') {
      const next = chars[i++];
      if (next === undefined) throw new GlobSyntaxError(SYNTAX_ERROR);
      source += literal(next);
    } else if (ch === '[') {
      if (i >= chars.length) throw new GlobSyntaxError(SYNTAX_ERROR);
      const negated = chars[i] === '^';
      if (negated) i++;
      let ranges = '';
      let count = 0;
      while (!(chars[i] === ']' && count > 0)) {
        const lo = classMember();
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          hi = classMember();
        }
        // Go accepts an inverted range and never matches it; a RegExp would reject it.
        if (lo <= hi) ranges += lo === hi ? classChar(lo) : `${classChar(lo)}-${classChar(hi)}`;
        count++;
      }
      i++; // the closing ']'
      // Like Go, a class may match '/'.
      source += `[${negated ? '^' : ''}${ranges}]`;
    } else source += literal(ch);
  }
  return new RegExp(`^${source}$`, 'u');
}

/** Go's `filepath.Base` for `/`-separated paths. */
function basename(path: string): string {
  if (path.charCodeAt(path.length - 1) !== 47) return path.slice(path.lastIndexOf('/') + 1);
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path === '' ? '.' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Parses one trimmed, non-comment line into a rule (Helm's `parseRule`). */
function parseRule(line: string): Rule {
  if (line.includes('**')) throw new GlobSyntaxError('double-star (**) syntax is not supported');
  compileGlob(line); // Helm validates the raw rule, `!` and `/` included.
  let pattern = line;
  const negate = pattern.startsWith('!');
  if (negate) pattern = pattern.slice(1);
  const mustDir = pattern.endsWith('/');
  if (mustDir) pattern = pattern.slice(0, -1);
  const anchored = pattern.startsWith('/');
  if (anchored) pattern = pattern.slice(1);
  const isBasename = !anchored && !pattern.includes('/');
  let regexp: RegExp | undefined;
  try {
    regexp = compileGlob(pattern);
  } catch {
    // Stripping `!` or `/` can leave a dangling escape (`foo\/`); Helm's matcher then never matches.
    regexp = undefined;
  }
  return { negate, mustDir, basename: isBasename, match: matcher(pattern, isBasename, regexp) };
}

/** Glob characters (a pattern without them matches itself only). */
const GLOB_CHARS = /[*?[\\]/;

/**
 * The test of a compiled pattern, with string comparisons for the common shapes (`.DS_Store`,
 * `*.swp`, `.git`) that mean the same as the regular expression.
 */
function matcher(
  pattern: string,
  isBasename: boolean,
  regexp: RegExp | undefined,
): (path: string) => boolean {
  if (regexp === undefined) return () => false;
  if (!GLOB_CHARS.test(pattern)) return (path) => path === pattern;
  // `*` then literal text, tested on a basename (which holds no `/` for `*` to refuse).
  const rest = pattern.slice(1);
  if (isBasename && pattern.charCodeAt(0) === 42 && rest !== '' && !GLOB_CHARS.test(rest)) {
    return (path) => path.endsWith(rest);
  }
  return (path) => regexp.test(path);
}

/** A parsed `.helmignore`: decides which chart paths are left out of a chart. */
export class HelmIgnore {
  private constructor(private readonly rules: readonly Rule[]) {}

  /**
   * Parses `.helmignore` text. A leading UTF-8 BOM is ignored.
   *
   * @param text - the file contents.
   * @param source - how the file is named in errors. @default '.helmignore'
   * @throws ChartInvalidError naming `source` and the line for `**` or a malformed glob.
   */
  static parse(text: string, source = '.helmignore'): HelmIgnore {
    const rules: Rule[] = [];
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      try {
        rules.push(parseRule(line));
      } catch (err) {
        if (!(err instanceof GlobSyntaxError)) throw err;
        throw new ChartInvalidError(`${source}:${index + 1}: ${err.message}: "${line}"`);
      }
    });
    return new HelmIgnore(rules);
  }

  /**
   * Whether `relPath` is ignored.
   *
   * @param relPath - the path relative to the chart root, with `/` separators and no leading `/`.
   * @param isDir - whether the path is a directory (after following a symbolic link).
   * The chart root itself (`''`, `.`, `./`) is never ignored.
   */
  ignores(relPath: string, isDir: boolean): boolean {
    if (relPath === '' || relPath === '.' || relPath === './') return false;
    const base = basename(relPath);
    const rules = this.rules;
    for (let k = 0; k < rules.length; k++) {
      const rule = rules[k];
      if (rule.negate) {
        if ((rule.mustDir && !isDir) || !rule.match(rule.basename ? base : relPath)) return true;
        continue;
      }
      if (rule.mustDir && !isDir) continue;
      if (rule.match(rule.basename ? base : relPath)) return true;
    }
    return false;
  }
}
