/**
 * A container's environment as the kubelet builds it (not written yet): `env` (values,
 * `$(VAR)` references, configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef), `envFrom`
 * with prefixes, and the service links of the pod's namespace.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import type { KubeObject } from '../store/types.js';

/** The resolved environment, or the CreateContainerConfigError message when a source is missing. */
export type ResolvedEnv =
  | { readonly ok: true; readonly env: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: string };

/** Resolves the environment of container `containerName` of `pod` as it would start now. */
export function resolveContainerEnv(_api: ClusterApi, _pod: KubeObject, _containerName: string): ResolvedEnv {
  return { ok: true, env: {} };
}
