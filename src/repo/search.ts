/**
 * Searching repository indexes, as Helm's `pkg/cmd/search/search.go` and `pkg/cmd/search_repo.go`
 * do it (helm-behaviour §6.3):
 *
 * - every chart version of every repository becomes one line
 *   `name \v repo/name \v description \v keywords`;
 * - a keyword matches case-insensitively as a substring of that line (or, with `regexp`, as a
 *   regular expression on the line as written); the score of a match is the number of fields
 *   before the one it starts in (0 for the name, 3 for the keywords), lower being better;
 * - results are sorted by score, then full name, then version newest first; without a keyword
 *   every chart version is a result with score 0;
 * - the version constraint (`>0.0.0` by default, so pre-releases are hidden; `>0.0.0-0` with
 *   `devel`; `version` overrides both) then keeps, per chart, the first result that satisfies it,
 *   or every one with `versions`.
 */

import { InvalidArgumentError } from '../internal/errors.js';
import { assertConstraint, compareVersions, satisfiesConstraint } from './constraints.js';
import type { ChartVersion, IndexFile } from './types.js';

/** Scores at or above this are not matches (Helm's `searchMaxScore`). */
export const SEARCH_MAX_SCORE = 25;

/** The field separator of a search line (Helm's `sep`). */
const SEP = '\v';

/** One search hit: the chart version and its `repo/name`. */
export interface SearchResult {
  /** `repo/name`. */
  readonly name: string;
  /** Lower is a better match: the number of fields before the match. */
  readonly score: number;
  readonly chart: ChartVersion;
}

/** A repository to search: its configured name and its index. */
export interface SearchSource {
  readonly name: string;
  readonly index: IndexFile;
}

/** Options of {@link searchCharts}. */
export interface SearchOptions {
  /** The keyword; absent or empty: every chart. */
  readonly keyword?: string;
  /** Treat the keyword as a regular expression (`-r`). */
  readonly regexp?: boolean;
  /** Keep every version that satisfies the constraint, not only the first per chart (`-l`). */
  readonly versions?: boolean;
  /** A version constraint (`--version`); overrides `devel`. */
  readonly version?: string;
  /** Include pre-releases (`--devel`, `>0.0.0-0`). */
  readonly devel?: boolean;
}

interface Line {
  readonly name: string;
  readonly text: string;
  readonly chart: ChartVersion;
}

/** The searchable line of a chart version (Helm's `indstr`). */
function searchLine(repo: string, chart: ChartVersion): string {
  return [
    chart.name,
    `${repo}/${chart.name}`,
    chart.description ?? '',
    (chart.keywords ?? []).join(' '),
  ].join(SEP);
}

/** The number of separators before `position` (Helm's `calcScore`). */
function scoreAt(position: number, line: string): number {
  let score = 0;
  for (let i = line.indexOf(SEP); i !== -1 && i < position; i = line.indexOf(SEP, i + 1)) score += 1;
  return score;
}

/**
 * A keyword regular expression. Go's RE2 syntax and JavaScript's mostly agree; a leading `(?i)`
 * (RE2's case-insensitive flag, which JavaScript lacks) becomes the `i` flag. Unicode mode is
 * tried first (`.` is a character, as in Go); a pattern only the legacy mode accepts (RE2 allows
 * escaping any punctuation, `\-`) is compiled in that mode.
 */
function compileRegexp(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  try {
    return new RegExp(source, `${flags}u`);
  } catch (error) {
    try {
      return new RegExp(source, flags);
    } catch {
      const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
      throw new InvalidArgumentError(`error parsing regexp: ${reason.toLowerCase()}: \`${pattern}\``);
    }
  }
}

/** Orders results by score, then name, then version newest first (Helm's `SortScore`). */
export function compareResults(a: SearchResult, b: SearchResult): number {
  if (a.score !== b.score) return a.score - b.score;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return compareVersions(b.chart.version, a.chart.version);
}

/** Checks a `--version` constraint with Helm's wording for `search repo`. */
function checkConstraint(version: string): void {
  try {
    assertConstraint(version);
  } catch (error) {
    const reason = (error as Error).message.replace(/^invalid version constraint "(?:[^"\\]|\\.)*": /, '');
    throw new InvalidArgumentError(`an invalid version/constraint format: ${reason}`, { cause: error });
  }
}

/**
 * Searches the indexes of `sources` for `options.keyword` (see the module comment for the
 * rules); the results are in Helm's order.
 *
 * @throws InvalidArgumentError for an invalid regular expression or version constraint.
 */
export function searchCharts(sources: readonly SearchSource[], options: SearchOptions = {}): SearchResult[] {
  const version = options.version === '' ? undefined : options.version;
  if (version !== undefined) checkConstraint(version);
  const keyword = options.keyword ?? '';
  let score: ((line: string) => number) | undefined;
  if (keyword !== '' && options.regexp) {
    const re = compileRegexp(keyword);
    score = (line) => {
      const at = line.search(re);
      return at < 0 ? -1 : scoreAt(at, line);
    };
  } else if (keyword !== '') {
    // A literal search lower-cases both sides and scores on the lower-cased line, as Helm does.
    const term = keyword.toLowerCase();
    score = (line) => {
      const lower = line.toLowerCase();
      const at = lower.indexOf(term);
      return at < 0 ? -1 : scoreAt(at, lower);
    };
  }

  const lines: Line[] = [];
  for (const source of sources) {
    for (const [chartName, versions] of Object.entries(source.index.entries)) {
      for (const chart of versions) {
        lines.push({ name: `${source.name}/${chartName}`, text: searchLine(source.name, chart), chart });
      }
    }
  }

  const hits: SearchResult[] = [];
  for (const line of lines) {
    const value = score === undefined ? 0 : score(line.text);
    if (value >= 0 && value < SEARCH_MAX_SCORE)
      hits.push({ name: line.name, score: value, chart: line.chart });
  }
  hits.sort(compareResults);

  const kept: SearchResult[] = [];
  const found = new Set<string>();
  for (const hit of hits) {
    if (!options.versions && found.has(hit.name)) continue;
    if (satisfiesConstraint(hit.chart.version, version, { devel: Boolean(options.devel) })) {
      kept.push(hit);
      found.add(hit.name);
    }
  }
  return kept;
}
