/**
 * The labels a stored revision carries (`pkg/storage/driver/labels.go`, `util.go`): Helm's
 * system labels `name`, `owner=helm`, `status`, `version` (plus `createdAt`/`modifiedAt` on
 * Secrets), the user's `--labels` beside them, and the label queries both drivers answer.
 */

import { InvalidArgumentError } from '../internal/errors.js';
import { isQualifiedName, isValidLabelValue } from '../internal/k8s-names.js';
import type { Release } from '../release/release.js';
import type { ReleaseQuery } from './driver.js';

/** Label names Helm reserves on storage objects (`driver.GetSystemLabels()`), in Helm's order. */
export const SYSTEM_LABELS: readonly string[] = [
  'name',
  'owner',
  'status',
  'version',
  'createdAt',
  'modifiedAt',
];

const SYSTEM = new Set(SYSTEM_LABELS);

/** Whether user labels use a reserved system label name (`driver.ContainsSystemLabels`). */
export function containsSystemLabels(labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.keys(labels ?? {}).some((k) => SYSTEM.has(k));
}

/**
 * Refuses user labels that use a system label name, in Helm's words (`pkg/action/install.go`):
 * `user supplied labels contains system reserved label name. System labels: [name owner …]`.
 */
export function assertNoSystemLabels(labels: Readonly<Record<string, string>> | undefined): void {
  if (containsSystemLabels(labels)) {
    throw new InvalidArgumentError(
      `user supplied labels contains system reserved label name. System labels: [${SYSTEM_LABELS.join(' ')}]`,
    );
  }
}

/** The labels a revision is stored with: the user's, then Helm's (which win). */
export function storageLabels(release: Release): Record<string, string> {
  return {
    ...release.labels,
    name: release.name,
    owner: 'helm',
    status: release.info.status,
    version: String(release.version),
  };
}

/** The user's labels among a storage object's labels; undefined when there are none. */
export function userLabels(
  labels: Readonly<Record<string, unknown>> | undefined,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (!SYSTEM.has(k) && typeof v === 'string') out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The labels a query asks for, `owner=helm` included, as Helm's `Query` maps are built. */
export function queryLabels(query: ReleaseQuery): Record<string, string> {
  return {
    ...query.labels,
    ...(query.name !== undefined ? { name: query.name } : {}),
    owner: 'helm',
    ...(query.status !== undefined ? { status: query.status } : {}),
  };
}

/** Whether `labels` has every wanted label with its value. */
export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(wanted).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/**
 * An equality label selector (`name=x,owner=helm`). Keys and values are checked first, as Helm's
 * Secret driver checks values (`invalid label value: "x": …`), so no input can change the
 * selector's meaning.
 */
export function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => {
      const keyErrors = isQualifiedName(k);
      if (keyErrors.length > 0)
        throw new InvalidArgumentError(`invalid label key: "${k}": ${keyErrors.join('; ')}`);
      const valueErrors = isValidLabelValue(v);
      if (valueErrors.length > 0) {
        throw new InvalidArgumentError(`invalid label value: "${v}": ${valueErrors.join('; ')}`);
      }
      return `${k}=${v}`;
    })
    .join(',');
}

const KEY_RE = /^sh\.helm\.release\.v1\.(.+)\.v([1-9][0-9]*)$/;

/** The release name and revision a storage key names (`sh.helm.release.v1.NAME.vN`). */
export function parseReleaseKey(key: string): { name: string; version: number } | undefined {
  const m = KEY_RE.exec(key);
  return m ? { name: m[1]!, version: Number(m[2]) } : undefined;
}

/**
 * A key looked up across every namespace (a driver over namespace `''`) that more than one
 * namespace holds: the caller must name one.
 */
export function ambiguousKeyError(key: string, namespaces: readonly string[]): InvalidArgumentError {
  return new InvalidArgumentError(
    `release record "${key}" exists in several namespaces (${[...namespaces].sort().join(', ')}): choose one with --namespace`,
  );
}
