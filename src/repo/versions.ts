/**
 * Chart versions with Helm's rules (Masterminds/semver v3.4 `version.go`): coercing parse,
 * SemVer precedence and newest-first sorting. Constraints over them live in constraints.ts.
 */

/** A parsed version; numeric parts are digit strings without leading zeros (they may exceed 2^53). */
export interface Version {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers without the `-`; `''` for a release. */
  readonly pre: string;
}

const UINT64_MAX = '18446744073709551615';
const VERSION_PATTERN =
  /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const ALL_DIGITS = /^[0-9]+$/;

/** A digit string without leading zeros, or `undefined` when it does not fit Go's uint64. */
function uint64(digits: string): string | undefined {
  const trimmed = digits.replace(/^0+(?=.)/, '');
  if (trimmed.length > UINT64_MAX.length) return undefined;
  if (trimmed.length === UINT64_MAX.length && trimmed > UINT64_MAX) return undefined;
  return trimmed;
}

const versionCache = new Map<string, Version | null>();

/** Masterminds' `NewVersion` (coercing): `undefined` when the text is not a version. */
export function parseVersion(text: string): Version | undefined {
  const cached = versionCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const v = parseVersionUncached(text);
  if (versionCache.size > 10_000) versionCache.clear();
  versionCache.set(text, v ?? null);
  return v;
}

function parseVersionUncached(text: string): Version | undefined {
  const m = VERSION_PATTERN.exec(text);
  if (!m) return undefined;
  const major = uint64(m[1]!);
  const minor = uint64(m[2] ?? '0');
  const patch = uint64(m[3] ?? '0');
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  const pre = m[4] ?? '';
  // Numeric pre-release identifiers may not have leading zeros (`validatePrerelease`).
  if (pre !== '' && pre.split('.').some((p) => p.length > 1 && p[0] === '0' && ALL_DIGITS.test(p))) {
    return undefined;
  }
  return { major, minor, patch, pre };
}

export function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One pre-release identifier: numbers (those that fit uint64) sort before words. */
function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sn = ALL_DIGITS.test(s) ? uint64(s) : undefined;
  const on = ALL_DIGITS.test(o) ? uint64(o) : undefined;
  if (sn === undefined && on === undefined) return s > o ? 1 : -1;
  if (sn === undefined) return 1;
  if (on === undefined) return -1;
  return compareDigits(sn, on) > 0 ? 1 : -1;
}

export function comparePrerelease(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = comparePrePart(as[i] ?? '', bs[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** SemVer precedence; build metadata is ignored. */
export function compare(a: Version, b: Version): number {
  const d =
    compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

/** Whether `text` is a chart version Helm accepts (Masterminds' `NewVersion`). */
export function isValidVersion(text: string): boolean {
  return parseVersion(text) !== undefined;
}

/**
 * Compares two versions by SemVer precedence (build metadata ignored): negative when `a` is
 * older. An invalid version sorts before every valid one, as in Helm's `ChartVersions.Less`.
 */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (va === undefined || vb === undefined) return va === vb ? 0 : va === undefined ? -1 : 1;
  return compare(va, vb);
}

/**
 * Sorts items by version, newest first (Helm's `SortEntries`); items with the same precedence
 * keep their order, invalid versions go last. Each version is parsed once.
 */
export function sortNewestFirst<T extends { readonly version: string }>(items: readonly T[]): T[] {
  const keyed = items.map((item, i) => ({ item, i, v: parseVersionUncached(item.version) }));
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) {
      if (a.v !== b.v) return a.v === undefined ? 1 : -1;
      return a.i - b.i;
    }
    return compare(b.v, a.v) || a.i - b.i;
  });
  return keyed.map((k) => k.item);
}
