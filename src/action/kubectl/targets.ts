/**
 * Where a manifest's object goes: its served kind (kubectl's RESTMapping), namespace and name,
 * with kubectl's errors for an unknown kind and a namespace that contradicts `-n`.
 */

import {
  type KindDescriptor,
  type KubeClient,
  type KubeObject,
  resourceMappingNotFoundMessage,
} from '../../kube/index.js';
import { metaString, usageError } from './context.js';
import type { Manifest } from './manifests.js';

/** A manifest resolved against the cluster. */
export interface ManifestTarget {
  readonly manifest: Manifest;
  readonly kind: KindDescriptor;
  /** '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
  /** The object with its namespace filled in (namespaced kinds). */
  readonly object: KubeObject;
}

/** Resolves a manifest; `namespace` is the command's, `explicit` whether `-n` named it. */
export async function targetOf(
  client: KubeClient,
  manifest: Manifest,
  namespace: string,
  explicit: boolean,
): Promise<ManifestTarget> {
  const { object, source } = manifest;
  const apiVersion = String(object.apiVersion);
  const kindName = String(object.kind);
  const own = metaString(object, 'namespace');
  const name = metaString(object, 'name');
  const kind = await client.kindFor(apiVersion, kindName);
  if (kind === undefined)
    throw usageError(resourceMappingNotFoundMessage(name, own, source, apiVersion, kindName));
  if (!kind.namespaced) return { manifest, kind, namespace: '', name, object };
  if (explicit && own !== '' && own !== namespace) {
    throw usageError(
      `the namespace from the provided object "${own}" does not match the namespace "${namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  const ns = own || namespace;
  const meta = object.metadata !== null && typeof object.metadata === 'object' ? object.metadata : {};
  return { manifest, kind, namespace: ns, name, object: { ...object, metadata: { ...meta, namespace: ns } } };
}
