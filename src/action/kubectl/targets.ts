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
import { type KubectlOptions, metaString, usageError, type WriteResult } from './context.js';
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

/**
 * Resolves and writes each manifest in order: `write` returns the line kubectl prints for it (or
 * none); a failure is collected and the rest are still written.
 */
export async function writeEachTarget(
  options: KubectlOptions,
  manifests: readonly Manifest[],
  write: (target: ManifestTarget) => Promise<string | undefined>,
): Promise<WriteResult> {
  const { client, namespace = 'default', explicitNamespace = false } = options;
  const lines: string[] = [];
  const errors: Error[] = [];
  for (const manifest of manifests) {
    try {
      const target = await targetOf(client, manifest, namespace, explicitNamespace);
      const line = await write(target);
      if (line !== undefined) lines.push(line);
    } catch (error) {
      errors.push(error as Error);
    }
  }
  return { lines, errors };
}
