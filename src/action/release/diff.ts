/**
 * `bosun diff revision` and `bosun diff upgrade` (the helm-diff plugin's `helm diff revision` and
 * `helm diff upgrade`): what changed between two stored revisions of a release, or what an
 * upgrade would change, resource by resource. The upgrade case renders the new revision with a
 * dry-run upgrade and compares it with the revision the upgrade would start from.
 */

import { InvalidArgumentError, ReleaseNotFoundError } from '../../internal/errors.js';
import { type DiffOptions, diffManifests, type ManifestDiff, releaseManifest } from '../../release/diff.js';
import type { Release } from '../../release/release.js';
import type { ReleaseContext } from './context.js';
import { UpgradeAction, type UpgradeOptions } from './upgrade.js';

export {
  type ChangeType,
  type DiffHunk,
  type DiffLine,
  type DiffOptions,
  diffManifests,
  type ManifestDiff,
  type RenderOptions,
  type ResourceChange,
  releaseManifest,
  renderDiff,
} from '../../release/diff.js';

/** Options of the diff actions. */
export interface ReleaseDiffOptions extends Omit<DiffOptions, 'namespace'> {
  /** Compare test hooks too (helm-diff's `--include-tests`). @default false */
  readonly includeTests?: boolean;
}

/** The result of a revision or upgrade diff. */
export interface ReleaseDiff extends ManifestDiff {
  /** The "before" side: the older revision, or the revision an upgrade starts from. */
  readonly from: Release;
  /** The "after" side: the newer revision, or the would-be revision of the upgrade (not stored). */
  readonly to: Release;
}

/**
 * Compares two releases' manifests and hooks. Documents without a namespace belong to the
 * release namespace, as helm-diff reads them.
 */
export function diffReleases(from: Release, to: Release, options: ReleaseDiffOptions = {}): ManifestDiff {
  const include = { includeTests: Boolean(options.includeTests) };
  return diffManifests(releaseManifest(from, include), releaseManifest(to, include), {
    ...options,
    namespace: to.namespace,
  });
}

function checkRevision(revision: number): void {
  if (!Number.isInteger(revision) || revision < 1) {
    throw new InvalidArgumentError(`invalid revision ${revision}: must be a positive integer`);
  }
}

/** Compares stored revisions of a release. */
export class DiffRevisionAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: ReleaseDiffOptions = {},
  ) {}

  /**
   * Diffs revision `r1` against `r2`, or against the latest revision when `r2` is absent. Given
   * two revisions, the older one is always the "before" side (as helm-diff swaps them). A
   * release or revision that is not stored fails with `release: not found`.
   */
  async run(name: string, r1: number, r2?: number): Promise<ReleaseDiff> {
    checkRevision(r1);
    if (r2 !== undefined) checkRevision(r2);
    let from: Release;
    let to: Release;
    if (r2 === undefined) {
      to = await this.ctx.storage.last(name);
      from = r1 === to.version ? to : await this.ctx.storage.get(name, r1);
    } else {
      const [older, newer] = r1 <= r2 ? [r1, r2] : [r2, r1];
      from = await this.ctx.storage.get(name, older);
      to = older === newer ? from : await this.ctx.storage.get(name, newer);
    }
    return { from, to, ...diffReleases(from, to, this.options) };
  }
}

/**
 * Shows what an upgrade would change: a dry-run upgrade renders the next revision (values by
 * the same reuse/reset rules, nothing stored, nothing applied) and it is compared with the
 * revision the upgrade starts from, the deployed one (else the newest), as the upgrade's apply
 * would. Upgrade failures (`"NAME" has no deployed releases`, render errors) pass through.
 */
export class DiffUpgradeAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly upgrade: Omit<UpgradeOptions, 'dryRun'> = {},
    private readonly options: ReleaseDiffOptions = {},
  ) {}

  async run(name: string, chartRef: string): Promise<ReleaseDiff> {
    const { release: to } = await new UpgradeAction(this.ctx, { ...this.upgrade, dryRun: 'client' }).run(
      name,
      chartRef,
    );
    const history = await this.ctx.storage.history(name);
    const from = [...history].reverse().find((r) => r.info.status === 'deployed') ?? history.at(-1);
    if (from === undefined) throw new ReleaseNotFoundError(`"${name}" has no deployed releases`);
    return { from, to, ...diffReleases(from, to, this.options) };
  }
}
