/**
 * Chart versions and version constraints with Helm's rules, which are those of the Go library
 * Masterminds/semver v3.4 (`version.go`, `constraints.go`), not node-semver's:
 *
 * - Versions are coerced: `v1.2.3`, `1.2` and `01.2.3` are valid (`1.2.3-01` is not).
 * - A constraint is `||`-separated groups of AND-ed comparisons, separated by commas or spaces;
 *   `1.2 - 1.4` is `>= 1.2, <= 1.4`; `x`, `X` and `*` are wildcards; `~` keeps the minor
 *   (or the major when no minor is given), `^` keeps the major, or the minor under 1.0.0, or
 *   the patch under 0.1.0; a bare or `=` partial version (`1.2`) acts like `~`.
 * - A pre-release version only matches a group that names a pre-release in one of its
 *   comparisons, and then anywhere in that group's range (node-semver only admits pre-releases of
 *   the same `major.minor.patch`). So `^0.2` does not match `0.2.0-beta.1`, `^0.2.0-0` does, and
 *   `>=1.0.0-0, <2.0.0` admits `1.5.0-beta`.
 *
 * Parsing is a hand-written scanner equivalent to Masterminds' regular expressions (which RE2
 * runs in linear time, but a backtracking engine would not), and parsed constraints are cached.
 */

import { InvalidArgumentError } from '../internal/errors.js';
import { compare, compareDigits, comparePrerelease, parseVersion, type Version } from './versions.js';

// Re-exported so that importers keep one entry point for versions and constraints.
export { compareVersions, isValidVersion, sortNewestFirst } from './versions.js';

type Operator = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

/** One comparison of a group (Masterminds' `constraint`). */
interface Comparison {
  readonly op: Operator;
  readonly con: Version;
  /** Some part was a wildcard or missing (`1.2`, `1.x`, `*`). */
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

/** AND-ed comparisons, and whether they admit pre-releases (one of them names one). */
interface Group {
  readonly comparisons: readonly Comparison[];
  readonly includePre: boolean;
}

/** Helm's default when no version is asked for: releases only. */
export const DEFAULT_CONSTRAINT = '>0.0.0';
/** Helm's `--devel`: pre-releases too. */
export const DEVEL_CONSTRAINT = '>0.0.0-0';

// ---- constraint parsing ----

/** A version in a constraint: `x`, `X` and `*` are wildcards; `|` is allowed as Masterminds allows it. */
const CV_NUMBER = /[0-9|xX*]+/y;
const CV_IDENTS = /[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*/y;
const CV = String.raw`v?[0-9|xX*]+(?:\.[0-9|xX*]+)?(?:\.[0-9|xX*]+)?(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;
/** Go's `\s` (RE2): fewer characters than JavaScript's. */
const SPACE = String.raw`[\t\n\f\r ]`;
/** Masterminds' `constraintRangeRegex`: `A - B`. */
const HYPHEN_RANGE = new RegExp(`${SPACE}*(${CV})${SPACE}+-${SPACE}+(${CV})${SPACE}*`, 'g');
const TWO_CHAR_OPS: ReadonlySet<string> = new Set(['!=', '>=', '=>', '<=', '=<', '~>']);
const ONE_CHAR_OPS: ReadonlySet<string> = new Set(['=', '>', '<', '~', '^']);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
const isX = (s: string | undefined) => s === 'x' || s === 'X' || s === '*';
/** Longest constraint accepted: real ones are short, and this bounds the work on hostile input. */
const MAX_CONSTRAINT_LENGTH = 1024;

class ConstraintSyntaxError extends Error {}

/** The parts of a constraint version, as Masterminds' `cvRegex` groups them. */
interface CvParts {
  readonly text: string;
  readonly major: string;
  readonly minor: string | undefined;
  readonly patch: string | undefined;
  readonly pre: string | undefined;
}

/** Reads a constraint version at `pos` (longest match); `undefined` when none starts there. */
function scanCv(s: string, pos: number): { parts: CvParts; end: number } | undefined {
  let i = pos;
  if (s[i] === 'v') i++;
  const number = (at: number): string | undefined => {
    CV_NUMBER.lastIndex = at;
    return CV_NUMBER.exec(s)?.[0];
  };
  const major = number(i);
  if (major === undefined) return undefined;
  i += major.length;
  let minor: string | undefined;
  let patch: string | undefined;
  let pre: string | undefined;
  if (s[i] === '.' && (minor = number(i + 1)) !== undefined) {
    i += 1 + minor.length;
    if (s[i] === '.' && (patch = number(i + 1)) !== undefined) i += 1 + patch.length;
  }
  for (const mark of ['-', '+']) {
    if (s[i] !== mark) continue;
    CV_IDENTS.lastIndex = i + 1;
    const idents = CV_IDENTS.exec(s)?.[0];
    if (idents === undefined) continue;
    if (mark === '-') pre = idents;
    i += 1 + idents.length;
  }
  return { parts: { text: s.slice(pos, i), major, minor, patch, pre }, end: i };
}

/** Masterminds' `parseConstraint` for one scanned operator and version. */
function toComparison(op: Operator, cv: CvParts): Comparison {
  const preSuffix = cv.pre === undefined ? '' : `-${cv.pre}`;
  let text = cv.text;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(cv.major)) {
    text = `0.0.0${preSuffix}`;
    dirty = true;
  } else if (cv.minor === undefined || isX(cv.minor)) {
    text = `${cv.major}.0.0${preSuffix}`;
    dirty = minorDirty = true;
  } else if (cv.patch === undefined || isX(cv.patch)) {
    text = `${cv.major}.${cv.minor}.0${preSuffix}`;
    dirty = patchDirty = true;
  }
  const con = parseVersion(text);
  if (con === undefined) throw new ConstraintSyntaxError('constraint parser error');
  return { op, con, dirty, minorDirty, patchDirty };
}

/** One `||` segment: comparisons separated by whitespace or a comma. */
function parseGroup(segment: string): Group {
  const improper = () => new ConstraintSyntaxError(`improper constraint: ${segment}`);
  const scanned: Array<[Operator, CvParts]> = [];
  let i = 0;
  const skipSpace = () => {
    while (isSpace(segment[i])) i++;
  };
  skipSpace();
  for (;;) {
    // The operator is the one after which a version starts (Masterminds' regex backtracks the same way).
    let op: Operator | undefined;
    let cv: ReturnType<typeof scanCv>;
    for (const candidate of [segment.slice(i, i + 2), segment.slice(i, i + 1), '']) {
      if (
        candidate.length === 2
          ? !TWO_CHAR_OPS.has(candidate)
          : candidate !== '' && !ONE_CHAR_OPS.has(candidate)
      ) {
        continue;
      }
      let j = i + candidate.length;
      while (isSpace(segment[j])) j++;
      cv = scanCv(segment, j);
      if (cv) {
        op = candidate as Operator;
        break;
      }
    }
    if (op === undefined || cv === undefined) throw improper();
    scanned.push([op, cv.parts]);
    i = cv.end;
    const before = i;
    skipSpace();
    if (i === segment.length) break;
    if (segment[i] === ',') {
      i++;
      skipSpace();
    } else if (i === before) throw improper();
  }
  const comparisons = scanned.map(([op, cv]) => toComparison(op, cv));
  return { comparisons, includePre: comparisons.some((c) => c.con.pre !== '') };
}

/**
 * Masterminds' `rewriteRange`: each `A - B`, with the blanks around it, becomes `>= A, <= B `
 * (at the first occurrence of its text, as `strings.Replace` does).
 */
function rewriteRanges(text: string): string {
  let out = text;
  for (const m of text.matchAll(HYPHEN_RANGE)) {
    out = out.replace(m[0], () => `>= ${m[1]}, <= ${m[2]} `);
  }
  return out;
}

const constraintCache = new Map<string, readonly Group[] | ConstraintSyntaxError>();

/** Parses a constraint; a syntax error is returned (and cached) rather than thrown. */
function parseConstraint(text: string): readonly Group[] | ConstraintSyntaxError {
  const cached = constraintCache.get(text);
  if (cached !== undefined) return cached;
  let result: readonly Group[] | ConstraintSyntaxError;
  try {
    if (text.length > MAX_CONSTRAINT_LENGTH) {
      throw new ConstraintSyntaxError(`longer than ${MAX_CONSTRAINT_LENGTH} characters`);
    }
    result = rewriteRanges(text).split('||').map(parseGroup);
  } catch (err) {
    if (!(err instanceof ConstraintSyntaxError)) throw err;
    result = err;
  }
  if (constraintCache.size > 1000) constraintCache.clear();
  constraintCache.set(text, result);
  return result;
}

// ---- checking ----

function sameMinorLine(v: Version, c: Comparison): boolean {
  return v.major === c.con.major && (c.minorDirty || v.minor === c.con.minor);
}

function tilde(v: Version, c: Comparison): boolean {
  if (compare(v, c.con) < 0) return false;
  // `~0.0.0` (and `~*`) accept everything.
  const zero = c.con.major === '0' && c.con.minor === '0' && c.con.patch === '0';
  if (zero && !c.minorDirty && !c.patchDirty) return true;
  return sameMinorLine(v, c);
}

function caret(v: Version, c: Comparison): boolean {
  if (compare(v, c.con) < 0) return false;
  if (c.con.major !== '0' || c.minorDirty) return v.major === c.con.major;
  if (v.major !== '0') return false;
  if (c.con.minor !== '0' || c.patchDirty) return v.minor === c.con.minor;
  if (v.minor !== '0') return false;
  return v.patch === c.con.patch;
}

function notEqual(v: Version, c: Comparison): boolean {
  if (c.dirty) {
    if (c.con.major !== v.major) return true;
    if (c.minorDirty) return false;
    if (c.con.minor !== v.minor) return true;
    if (c.patchDirty) return (v.pre !== '' || c.con.pre !== '') && comparePrerelease(v.pre, c.con.pre) !== 0;
    if (c.con.patch !== v.patch) return true;
  }
  return compare(v, c.con) !== 0;
}

function greaterThan(v: Version, c: Comparison): boolean {
  if (!c.dirty) return compare(v, c.con) > 0;
  const d = compareDigits(v.major, c.con.major);
  if (d !== 0) return d > 0;
  if (c.minorDirty) return false;
  if (c.patchDirty) return compareDigits(v.minor, c.con.minor) > 0;
  return compare(v, c.con) > 0;
}

function lessThanOrEqual(v: Version, c: Comparison): boolean {
  if (!c.dirty) return compare(v, c.con) <= 0;
  const d = compareDigits(v.major, c.con.major);
  if (d > 0) return false;
  return !(d === 0 && !c.minorDirty && compareDigits(v.minor, c.con.minor) > 0);
}

/** One comparison (Masterminds' `constraintOps`); pre-release admission is decided per group. */
function check(v: Version, c: Comparison): boolean {
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : compare(v, c.con) === 0;
    case '!=':
      return notEqual(v, c);
    case '>':
      return greaterThan(v, c);
    case '<':
      return compare(v, c.con) < 0;
    case '>=':
    case '=>':
      return compare(v, c.con) >= 0;
    case '<=':
    case '=<':
      return lessThanOrEqual(v, c);
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c);
  }
}

function matches(groups: readonly Group[], v: Version): boolean {
  return groups.some((g) => (v.pre === '' || g.includePre) && g.comparisons.every((c) => check(v, c)));
}

/**
 * Throws InvalidArgumentError (`invalid version constraint "…": improper constraint: …`) when
 * `text` is not a constraint Helm accepts.
 */
export function assertConstraint(text: string): void {
  const parsed = parseConstraint(text);
  if (parsed instanceof ConstraintSyntaxError) {
    throw new InvalidArgumentError(`invalid version constraint ${JSON.stringify(text)}: ${parsed.message}`);
  }
}

/**
 * Whether a chart version satisfies a constraint, with Helm's rules (see the module comment).
 * No constraint (or an empty one) means `>0.0.0` (releases only), or `>0.0.0-0` with `devel`;
 * a constraint given is used as is, `devel` or not. An invalid version never satisfies.
 *
 * @throws InvalidArgumentError when the constraint is invalid.
 */
export function satisfiesConstraint(
  version: string,
  constraint: string | undefined,
  options: { devel?: boolean } = {},
): boolean {
  const text = constraint || (options.devel ? DEVEL_CONSTRAINT : DEFAULT_CONSTRAINT);
  const groups = parseConstraint(text);
  if (groups instanceof ConstraintSyntaxError) assertConstraint(text);
  const v = parseVersion(version);
  return v !== undefined && matches(groups as readonly Group[], v);
}
