/**
 * `semver` and `semverCompare` with Masterminds/semver v3 rules (what Sprig and Helm use):
 * a `v` prefix and partial versions (`1.2`) are accepted; constraints combine with `,` or
 * spaces (AND) and `||` (OR); hyphen ranges (`1.2 - 1.4`), wildcards (`1.2.x`, `*`), `~`, `~>`
 * and `^` are supported; and a pre-release version only satisfies a comparison whose own
 * version has a pre-release (`>=1.20.0-0` matches `1.21.0-gke.1`, `>=1.20.0` does not).
 */

import semver from 'semver';
import { type FunctionMap, fail, fn, strArg } from './args.js';

/** A parsed version, shaped like Masterminds' `*Version` as templates read it. */
export interface SemverValue {
  Major: number;
  Minor: number;
  Patch: number;
  Prerelease: string;
  Metadata: string;
  Original: string;
}

const VERSION =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const CV = String.raw`v?([0-9xX*]+)(\.[0-9xX*]+)?(\.[0-9xX*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`!=|>=|=>|<=|=<|~>|=|>|<|~|\^|`;
const CONSTRAINT = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const FIND_CONSTRAINT = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID_GROUP = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);
const RANGE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');

/** Masterminds `NewVersion`. Throws a chart error with its message when invalid. */
export function parseSemver(v: string): SemverValue {
  const m = VERSION.exec(v);
  if (!m) fail('Invalid Semantic Version');
  const num = (s: string | undefined): number => (s ? Number(s.replace(/^\./, '')) : 0);
  const pre = m[5] ?? '';
  if (pre !== '' && pre.split('.').some((p) => /^0\d+$/.test(p))) fail('Version segment starts with 0');
  return {
    Major: num(m[1]),
    Minor: num(m[2]),
    Patch: num(m[3]),
    Prerelease: pre,
    Metadata: m[8] ?? '',
    Original: v,
  };
}

/** Masterminds `Version.Compare`: -1, 0 or 1; build metadata ignored. */
export function compareSemver(a: SemverValue, b: SemverValue): number {
  for (const k of ['Major', 'Minor', 'Patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  if (a.Prerelease === b.Prerelease) return 0;
  if (a.Prerelease === '') return 1;
  if (b.Prerelease === '') return -1;
  const pa = a.Prerelease.split('.');
  const pb = b.Prerelease.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const c = semver.compareIdentifiers(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return 0;
}

interface Constraint {
  op: string;
  con: SemverValue;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (s: string | undefined): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT.exec(c);
  if (!m) fail(`improper constraint: ${c}`);
  const [, op = '', , major, minorPart = '', patchPart = '', pre = ''] = m;
  let ver = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major)) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (minorPart === '' || isX(minorPart.slice(1))) {
    ver = `${major}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (patchPart === '' || isX(patchPart.slice(1))) {
    ver = `${major}${minorPart}.0${pre}`;
    dirty = patchDirty = true;
  }
  return { op, con: parseSemver(ver), dirty, minorDirty, patchDirty };
}

/** Masterminds `NewConstraint`: OR-groups of AND-ed constraints. */
export function parseConstraints(text: string): Constraint[][] {
  const rewritten = text.replace(
    RANGE,
    (_all, from: string, ...rest: unknown[]) => `>= ${from}, <= ${rest[9]} `,
  );
  return rewritten.split('||').map((group) => {
    if (!VALID_GROUP.test(group)) fail(`improper constraint: ${group}`);
    const parts = group.match(FIND_CONSTRAINT) ?? [group];
    return parts.map(parseConstraint);
  });
}

function tilde(v: SemverValue, c: Constraint): boolean {
  if (compareSemver(v, c.con) < 0) return false;
  if (c.con.Major === 0 && c.con.Minor === 0 && c.con.Patch === 0 && !c.minorDirty && !c.patchDirty)
    return true;
  if (v.Major !== c.con.Major) return false;
  return v.Minor === c.con.Minor || c.minorDirty;
}

function caret(v: SemverValue, c: Constraint): boolean {
  if (compareSemver(v, c.con) < 0) return false;
  if (c.con.Major > 0 || c.minorDirty) return v.Major === c.con.Major;
  if (v.Major > 0) return false;
  if (c.con.Minor > 0 || c.patchDirty) return v.Minor === c.con.Minor;
  if (v.Minor > 0) return false;
  return v.Patch === c.con.Patch;
}

function notEqual(v: SemverValue, c: Constraint): boolean {
  if (c.dirty) {
    if (c.con.Major !== v.Major) return true;
    if (c.minorDirty) return false;
    if (c.con.Minor !== v.Minor) return true;
    if (c.patchDirty) {
      return (
        (v.Prerelease !== '' || c.con.Prerelease !== '') && compareSemver({ ...v, Patch: 0 }, c.con) !== 0
      );
    }
  }
  return compareSemver(v, c.con) !== 0;
}

function greaterThan(v: SemverValue, c: Constraint): boolean {
  if (!c.dirty) return compareSemver(v, c.con) > 0;
  if (v.Major !== c.con.Major) return v.Major > c.con.Major;
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.Minor > c.con.Minor;
  return compareSemver(v, c.con) > 0;
}

function lessOrEqual(v: SemverValue, c: Constraint): boolean {
  if (!c.dirty) return compareSemver(v, c.con) <= 0;
  if (v.Major > c.con.Major) return false;
  return !(v.Major === c.con.Major && v.Minor > c.con.Minor && !c.minorDirty);
}

/** Whether `v` satisfies one constraint (Masterminds v3 `constraint.check`). */
function check(v: SemverValue, c: Constraint): boolean {
  if (v.Prerelease !== '' && c.con.Prerelease === '') return false;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : compareSemver(v, c.con) === 0;
    case '!=':
      return notEqual(v, c);
    case '>':
      return greaterThan(v, c);
    case '<':
      return compareSemver(v, c.con) < 0;
    case '>=':
    case '=>':
      return compareSemver(v, c.con) >= 0;
    case '<=':
    case '=<':
      return lessOrEqual(v, c);
    case '~':
    case '~>':
      return tilde(v, c);
    default:
      return caret(v, c);
  }
}

/** Sprig `semverCompare CONSTRAINT VERSION`. */
export function semverCompare(constraint: string, version: string): boolean {
  const groups = parseConstraints(constraint);
  const v = parseSemver(version);
  return groups.some((group) => group.every((c) => check(v, c)));
}

/** Semantic-version functions. */
export function semverFunctions(): FunctionMap {
  return {
    semver: fn(1, 1, ([v]) => parseSemver(strArg(v))),
    semverCompare: fn(2, 2, ([c, v]) => semverCompare(strArg(c), strArg(v))),
  };
}
