/**
 * `bosun get values|manifest|notes|hooks|metadata|all`: parts of a stored revision (Helm's
 * `pkg/action/get.go`, `get_values.go`, `get_metadata.go`). Nothing here touches the cluster's
 * objects: everything comes from the release record.
 */

import type { Dependency } from '../../chart/chart.js';
import { InvalidArgumentError } from '../../internal/errors.js';
import type { PlainObject } from '../../internal/objects.js';
import { chartFromStored } from '../../release/codec.js';
import type { Release } from '../../release/release.js';
import type { Storage } from '../../storage/storage.js';
import { coalesceValues } from '../../values/index.js';
import { validateReleaseName } from '../release-name.js';
import type { ReleaseContext } from './context.js';

/**
 * A revision of a release, or its newest when `revision` is absent or not positive (Helm's
 * `releaseContent`). Throws `release: not found` for a missing release or revision.
 */
export async function releaseContent(storage: Storage, name: string, revision?: number): Promise<Release> {
  try {
    validateReleaseName(name);
  } catch (err) {
    throw new InvalidArgumentError(`releaseContent: Release name is invalid: ${name}`, { cause: err });
  }
  if (revision === undefined || revision <= 0) return storage.last(name);
  return storage.get(name, revision);
}

/**
 * The values a revision was rendered with: its chart's defaults coalesced with its user values
 * (`get values --all`, the `COMPUTED VALUES` of `get all`). Only the parent chart is stored, so
 * subchart defaults are not part of it, as in Helm.
 */
export function computedValues(release: Release): PlainObject {
  return coalesceValues(chartFromStored(release.chart), release.config).values;
}

/**
 * The user-supplied values of a revision, or `null` when there are none: Helm omits an empty
 * `config` when it stores a release, so it reads it back (and prints it) as `null`.
 */
export function userValues(release: Release): PlainObject | null {
  return Object.keys(release.config ?? {}).length === 0 ? null : release.config;
}

/** Go's `Format(time.RFC3339)` of a stored time: whole seconds; Go's zero time when unset. */
function rfc3339Seconds(at: string | undefined): string {
  if (at === undefined || at === '') return '0001-01-01T00:00:00Z';
  return at.replace(/\.\d+(?=Z$|[+-]\d\d:\d\d$)/, '');
}

/** What `get metadata` shows (Helm's `action.Metadata`, with its JSON field names). */
export interface ReleaseMetadata {
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly appVersion: string;
  readonly annotations?: Readonly<Record<string, string>>;
  /** The release labels (`--labels`). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly dependencies?: readonly Dependency[];
  readonly namespace: string;
  readonly revision: number;
  readonly status: string;
  /** The last deployment, RFC 3339. */
  readonly deployedAt: string;
  /** `csa` | `ssa`; absent for releases that never recorded one. */
  readonly applyMethod?: string;
}

/** What `get all` shows: the revision and both views of its values. */
export interface ReleaseAll {
  readonly release: Release;
  readonly userValues: PlainObject | null;
  readonly computedValues: PlainObject;
}

/** Options of {@link GetAction}. */
export interface GetOptions {
  /** `--revision`; the newest revision when absent or 0. */
  readonly revision?: number;
}

/** Reads parts of a stored release, as `helm get` does. */
export class GetAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: GetOptions = {},
  ) {}

  /** The revision itself (`get manifest`, `get notes`, `get hooks` print parts of it). */
  release(name: string): Promise<Release> {
    return releaseContent(this.ctx.storage, name, this.options.revision);
  }

  /** `get values`: the user-supplied values (`null` when none), or all computed values. */
  async values(name: string, options: { readonly all?: boolean } = {}): Promise<PlainObject | null> {
    const release = await this.release(name);
    return options.all ? computedValues(release) : userValues(release);
  }

  /** `get metadata`. */
  async metadata(name: string): Promise<ReleaseMetadata> {
    const r = await this.release(name);
    const meta = r.chart.metadata;
    const labels = r.labels ?? {};
    return {
      name: r.name,
      chart: meta.name,
      version: meta.version,
      appVersion: meta.appVersion ?? '',
      ...(meta.annotations && Object.keys(meta.annotations).length > 0
        ? { annotations: meta.annotations }
        : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(meta.dependencies && meta.dependencies.length > 0 ? { dependencies: meta.dependencies } : {}),
      namespace: r.namespace,
      revision: r.version,
      status: r.info.status,
      deployedAt: rfc3339Seconds(r.info.last_deployed),
      ...(r.apply_method ? { applyMethod: r.apply_method } : {}),
    };
  }

  /** `get all`: the revision with its user-supplied and computed values. */
  async all(name: string): Promise<ReleaseAll> {
    const release = await this.release(name);
    return { release, userValues: userValues(release), computedValues: computedValues(release) };
  }
}
