/**
 * The release record, with Helm's JSON field names (`pkg/release/v1`): what one revision of a
 * release holds and how it is stored (`base64(gzip(JSON))` in a Secret's `data.release`).
 */

import type { ChartMetadata } from '../chart/chart.js';
import type { PlainObject } from '../internal/objects.js';
import type { HookEvent } from './manifest.js';

/** Helm's release statuses (`pkg/release/common/status.go`). */
export type ReleaseStatus =
  | 'unknown'
  | 'deployed'
  | 'uninstalled'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback';

/** Every status, in Helm's order. */
export const RELEASE_STATUSES: readonly ReleaseStatus[] = [
  'unknown',
  'deployed',
  'uninstalled',
  'superseded',
  'failed',
  'uninstalling',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
];

/** Whether a status is one of the three `pending-*` (an operation has not finished). */
export function isPending(status: ReleaseStatus): boolean {
  return status === 'pending-install' || status === 'pending-upgrade' || status === 'pending-rollback';
}

/** `info` of a release. Times are RFC 3339 strings (Go's `time.Time` JSON); absent when zero. */
export interface ReleaseInfo {
  first_deployed?: string;
  last_deployed?: string;
  deleted?: string;
  description?: string;
  status: ReleaseStatus;
  notes?: string;
}

/** A file of a stored chart: `data` is base64, as Go marshals `[]byte`. */
export interface StoredFile {
  name: string;
  data: string;
}

/** The chart as Helm stores it in a release: the parent only, never its subcharts. */
export interface StoredChart {
  metadata: ChartMetadata;
  lock: PlainObject | null;
  templates: StoredFile[];
  values: PlainObject;
  /** base64 of `values.schema.json`, or null. */
  schema: string | null;
  files: StoredFile[];
}

/** The last run of a hook. */
export interface HookExecution {
  started_at?: string;
  completed_at?: string;
  phase: 'Unknown' | 'Running' | 'Succeeded' | 'Failed';
}

/** A hook of a release (`release.hooks[]`). */
export interface HookRecord {
  name: string;
  kind: string;
  /** The template path, `mychart/templates/tests/test-connection.yaml`. */
  path: string;
  manifest: string;
  events: HookEvent[];
  last_run: HookExecution;
  weight: number;
  delete_policies?: string[];
  output_log_policies?: string[];
}

/** One revision of a release, as stored and as `-o json` prints it. */
export interface Release {
  name: string;
  info: ReleaseInfo;
  chart: StoredChart;
  /** The user-supplied values only (`-f` and the `--set` family, merged). */
  config: PlainObject;
  /** The non-hook documents, kind-sorted, `---\n# Source: PATH\n…` each. */
  manifest: string;
  hooks?: HookRecord[];
  version: number;
  namespace: string;
  /** `csa` (client-side three-way merge, what bosun applies with) | `ssa` | `` (csa). */
  apply_method?: string;
  /** Release labels (`--labels`): stored as the storage object's labels, never in the JSON. */
  labels?: Record<string, string>;
}

/** `sh.helm.release.v1.NAME.vN`, the storage key of a revision. */
export function releaseKey(name: string, version: number): string {
  return `sh.helm.release.v1.${name}.v${version}`;
}
