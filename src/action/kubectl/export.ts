/**
 * `kubectl get --export` (removed from kubectl in 1.18, kept by bosun for the seeds): an object
 * without what the cluster filled in, ready to be created elsewhere.
 */

import type { KubeObject } from '../../kube/index.js';
import { LAST_APPLIED } from './apply.js';

/** kubectl 1.15's warning when `--export` is used. */
export const EXPORT_DEPRECATION =
  'Flag --export has been deprecated, This flag is deprecated and will be removed in future.';

const CLUSTER_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'generation',
];

/**
 * The object as `--export` prints it: no status, no uid, resourceVersion, creationTimestamp,
 * managedFields, selfLink or generation, no last-applied annotation, and for Services no
 * `clusterIP`/`clusterIPs`.
 */
export function exportObject(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  const meta = { ...((object.metadata ?? {}) as Record<string, unknown>) };
  for (const key of CLUSTER_METADATA) delete meta[key];
  const annotations = meta.annotations as Record<string, string> | undefined;
  if (annotations !== undefined && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _last, ...others } = annotations;
    if (Object.keys(others).length === 0) delete meta.annotations;
    else meta.annotations = others;
  }
  const out: KubeObject = { ...rest, metadata: meta };
  if (object.kind === 'Service' && object.spec !== null && typeof object.spec === 'object') {
    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = object.spec as Record<string, unknown>;
    out.spec = spec;
  }
  return out;
}
