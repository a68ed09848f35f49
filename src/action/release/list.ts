/**
 * `bosun list`: the releases of a namespace, or of every namespace (Helm's `pkg/action/list.go`).
 *
 * As in Helm 4: the newest revision of each release is kept first (per namespace and name), and
 * only then are the state filters applied, so an old `deployed` revision never shows up behind a
 * newer `failed` one. Asking for `--superseded` alone is the exception: superseded revisions are
 * never the newest, so then every superseded revision is listed. Without any state filter every
 * release is listed, whatever its status (Helm 4 dropped the `deployed`/`failed` default).
 */

import { InvalidArgumentError } from '../../internal/errors.js';
import type { Release, ReleaseStatus } from '../../release/release.js';
import type { ReleaseContext } from './context.js';

/** A state filter of `list` (`--deployed`, `--pending`…); `pending` covers the three `pending-*`. */
export type ListState = 'deployed' | 'failed' | 'pending' | 'superseded' | 'uninstalled' | 'uninstalling';

/** Every state filter, in the order `list --help` shows them. */
export const LIST_STATES: readonly ListState[] = [
  'deployed',
  'failed',
  'pending',
  'superseded',
  'uninstalled',
  'uninstalling',
];

/** Helm's default `--max`. */
export const DEFAULT_LIST_MAX = 256;

/** Options of {@link ListAction}; defaults are the CLI's. */
export interface ListOptions {
  /** `-A`: every namespace instead of the context's. @default false */
  readonly allNamespaces?: boolean;
  /** State filters, OR-ed; none lists every state. @default [] */
  readonly states?: readonly ListState[];
  /** `-f`: a regular expression a release name must contain a match of. */
  readonly filter?: string;
  /** `-d`: sort by last deployment, oldest first (Helm's order), instead of by name. @default false */
  readonly byDate?: boolean;
  /** `-r`: reverse the order. @default false */
  readonly reverse?: boolean;
  /** `-m`: at most this many releases; 0 means no limit. @default 256 */
  readonly max?: number;
  /** `--offset`: skip this many releases of the sorted list first. @default 0 */
  readonly offset?: number;
}

const STATUSES_OF: Record<ListState, readonly ReleaseStatus[]> = {
  deployed: ['deployed'],
  failed: ['failed'],
  pending: ['pending-install', 'pending-upgrade', 'pending-rollback'],
  superseded: ['superseded'],
  uninstalled: ['uninstalled'],
  uninstalling: ['uninstalling'],
};

/**
 * Compiles `--filter` as Go's `regexp.MatchString` uses it: unanchored. A leading `(?i)` (Go's
 * inline flag, which JavaScript lacks) becomes the `i` flag.
 */
export function compileNameFilter(filter: string): RegExp {
  const insensitive = filter.startsWith('(?i)');
  const source = insensitive ? filter.slice(4) : filter;
  try {
    return new RegExp(source, insensitive ? 'iu' : 'u');
  } catch (err) {
    const detail =
      err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err);
    throw new InvalidArgumentError(`error parsing regexp: ${detail}`, { cause: err });
  }
}

/** The newest revision of each release (per namespace and name). */
function latestRevisions(releases: readonly Release[]): Release[] {
  const latest = new Map<string, Release>();
  for (const r of releases) {
    const key = `${r.namespace}/${r.name}`;
    const seen = latest.get(key);
    if (seen === undefined || seen.version < r.version) latest.set(key, r);
  }
  return [...latest.values()];
}

function byName(a: Release, b: Release): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.version - b.version;
}

/** Last deployment in whole seconds, as Helm compares (`LastDeployed.Unix()`); 0 when unknown. */
function deployedSeconds(r: Release): number {
  const at = r.info.last_deployed === undefined ? Number.NaN : Date.parse(r.info.last_deployed);
  return Number.isNaN(at) ? 0 : Math.floor(at / 1000);
}

/** Lists releases, as `helm list` does. */
export class ListAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: ListOptions = {},
  ) {}

  /** The matching releases, sorted and paged. */
  async run(): Promise<Release[]> {
    const o = this.options;
    const storage = o.allNamespaces ? this.ctx.allNamespaces : this.ctx.storage;
    if (storage === undefined)
      throw new InvalidArgumentError('listing releases across namespaces is not available');
    const filter = o.filter ? compileNameFilter(o.filter) : undefined;
    let releases = await storage.list((r) => filter === undefined || filter.test(r.name));

    const states = o.states ?? [];
    const onlySuperseded = states.length > 0 && states.every((s) => s === 'superseded');
    if (!onlySuperseded) releases = latestRevisions(releases);
    if (states.length > 0) {
      const wanted = new Set(states.flatMap((s) => STATUSES_OF[s]));
      releases = releases.filter((r) => wanted.has(r.info.status));
    }

    releases.sort(byName);
    if (o.byDate) releases.sort((a, b) => deployedSeconds(a) - deployedSeconds(b));
    if (o.reverse) releases.reverse();

    const offset = Math.max(0, o.offset ?? 0);
    if (offset >= releases.length) return [];
    const max = o.max ?? DEFAULT_LIST_MAX;
    return releases.slice(offset, max > 0 ? offset + max : undefined);
  }
}
