/**
 * A release's objects as the cluster sees them (Helm's `ResourceList`): each manifest document
 * resolved to its served kind and namespace, marked with the release's ownership metadata, and
 * checked against what already exists (`pkg/action/validate.go`).
 */

import { ReleaseFailedError } from '../../internal/errors.js';
import { isPlainObject } from '../../internal/objects.js';
import { parseYamlStream } from '../../internal/yaml.js';
import {
  type KindDescriptor,
  KubeApiError,
  type KubeClient,
  type KubeObject,
  resourceMappingNotFoundMessage,
} from '../../kube/index.js';
import type { ResourceRef } from '../../kube/readiness.js';
import { splitManifests } from '../../release/manifest.js';

/** The label every object of a release carries. */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The annotation naming the owning release. */
export const RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';
/** The annotation naming the owning release's namespace. */
export const RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';
/** `helm.sh/resource-policy: keep` spares an object on uninstall and upgrade. */
export const RESOURCE_POLICY = 'helm.sh/resource-policy';

/** One object of a release. */
export interface Resource {
  readonly kind: KindDescriptor;
  /** `''` for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
  /** The manifest document (with ownership metadata when built for applying). */
  readonly object: KubeObject;
  /** The template it came from (`dockercoins/templates/worker.yaml`). */
  readonly source: string;
}

/** A document of a stored manifest: its `# Source:` path and the parsed object. */
export interface ManifestDocument {
  readonly source: string;
  readonly object: KubeObject;
}

/** Splits a release manifest (`---\n# Source: PATH\n…` documents) into parsed documents. */
export function parseReleaseManifest(text: string): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  for (const doc of splitManifests(text)) {
    const source = /^# Source: (.*)$/m.exec(doc)?.[1]?.trim() ?? '';
    for (const parsed of parseYamlStream(doc, source || 'manifest')) {
      if (isPlainObject(parsed)) out.push({ source, object: parsed });
    }
  }
  return out;
}

const metaOf = (object: KubeObject): Record<string, unknown> =>
  isPlainObject(object.metadata) ? object.metadata : {};

/** The same object labelled and annotated as owned by the release (`setMetadataVisitor`). */
export function withOwnership(object: KubeObject, release: string, namespace: string): KubeObject {
  const meta = metaOf(object);
  const labels = isPlainObject(meta.labels) ? meta.labels : {};
  const annotations = isPlainObject(meta.annotations) ? meta.annotations : {};
  return {
    ...object,
    metadata: {
      ...meta,
      labels: { ...labels, [MANAGED_BY]: 'Helm' },
      annotations: {
        ...annotations,
        [RELEASE_NAME_ANNOTATION]: release,
        [RELEASE_NAMESPACE_ANNOTATION]: namespace,
      },
    },
  };
}

/** Options of {@link buildResources}. */
export interface BuildOptions {
  /** Adds the release's ownership metadata (`undefined`: the documents as they are). */
  readonly owner?: { readonly release: string; readonly namespace: string };
}

/**
 * Resolves documents to resources: the served kind of each `apiVersion`/`kind` (Helm's
 * `resource mapping not found … ensure CRDs are installed first` otherwise) and the namespace
 * (the release's for namespaced kinds that name none).
 */
export async function buildResources(
  client: KubeClient,
  documents: readonly ManifestDocument[],
  namespace: string,
  options: BuildOptions = {},
): Promise<Resource[]> {
  const out: Resource[] = [];
  for (const doc of documents) {
    const apiVersion = typeof doc.object.apiVersion === 'string' ? doc.object.apiVersion : '';
    const kindName = typeof doc.object.kind === 'string' ? doc.object.kind : '';
    const meta = metaOf(doc.object);
    const name = typeof meta.name === 'string' ? meta.name : '';
    const kind = await client.kindFor(apiVersion, kindName);
    if (kind === undefined) {
      const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
      throw new ReleaseFailedError(
        `unable to build kubernetes objects from release manifest: ${resourceMappingNotFoundMessage(name, ns, '', apiVersion, kindName)}`,
      );
    }
    const ns = kind.namespaced ? (typeof meta.namespace === 'string' && meta.namespace) || namespace : '';
    let object = doc.object;
    if (kind.namespaced && meta.namespace !== ns)
      object = { ...object, metadata: { ...meta, namespace: ns } };
    if (options.owner) object = withOwnership(object, options.owner.release, options.owner.namespace);
    out.push({ kind, namespace: ns, name, object, source: doc.source });
  }
  return out;
}

/** Identity of an object across revisions: group, kind, namespace, name (Helm compares so). */
export function resourceKey(r: Pick<Resource, 'kind' | 'namespace' | 'name'>): string {
  return `${r.kind.group}/${r.kind.kind}/${r.namespace}/${r.name}`;
}

/** A resource as the readiness and wait code names it. */
export function refOf(r: Resource): ResourceRef {
  const apiVersion = r.kind.group === '' ? r.kind.version : `${r.kind.group}/${r.kind.version}`;
  return { apiVersion, kind: r.kind.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) };
}

/** Reads an object; `undefined` when it does not exist. */
export async function getLive(client: KubeClient, r: Resource): Promise<KubeObject | undefined> {
  try {
    return await client.get(r.kind, r.namespace, r.name);
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return undefined;
    throw error;
  }
}

/** Why `live` cannot be adopted by the release, in Helm's words; `undefined` when it can. */
export function ownershipProblem(live: KubeObject, release: string, namespace: string): string | undefined {
  const meta = metaOf(live);
  const labels = isPlainObject(meta.labels) ? meta.labels : {};
  const annotations = isPlainObject(meta.annotations) ? meta.annotations : {};
  const problems: string[] = [];
  const check = (kind: 'label' | 'annotation', map: Record<string, unknown>, key: string, want: string) => {
    const have = map[key];
    if (have === undefined)
      problems.push(`${kind} validation error: missing key "${key}": must be set to "${want}"`);
    else if (have !== want)
      problems.push(
        `${kind} validation error: key "${key}" must equal "${want}": current value is "${have}"`,
      );
  };
  check('label', labels, MANAGED_BY, 'Helm');
  check('annotation', annotations, RELEASE_NAME_ANNOTATION, release);
  check('annotation', annotations, RELEASE_NAMESPACE_ANNOTATION, namespace);
  return problems.length === 0 ? undefined : `invalid ownership metadata; ${problems.join('; ')}`;
}

/**
 * Checks the objects a release is about to create: each must not exist, or already belong to
 * this release (Helm's `existingResourceConflict`). Returns those that exist and may be adopted.
 * Throws Helm's `rendered manifests contain a resource that already exists…` error otherwise.
 */
export async function checkOwnership(
  client: KubeClient,
  resources: readonly Resource[],
  release: string,
  namespace: string,
  verb: 'install' | 'update',
  takeOwnership = false,
): Promise<Resource[]> {
  const existing: Resource[] = [];
  for (const r of resources) {
    if (r.name === '') continue;
    const live = await getLive(client, r);
    if (live === undefined) continue;
    const problem = takeOwnership ? undefined : ownershipProblem(live, release, namespace);
    if (problem !== undefined) {
      throw new ReleaseFailedError(
        `rendered manifests contain a resource that already exists. Unable to continue with ${verb}: ${r.kind.kind} "${r.name}" in namespace "${r.namespace}" exists and cannot be imported into the current release: ${problem}`,
      );
    }
    existing.push(r);
  }
  return existing;
}

/** Whether an object carries `helm.sh/resource-policy: keep`. */
export function isKept(object: KubeObject): boolean {
  const annotations = metaOf(object).annotations;
  return isPlainObject(annotations) && annotations[RESOURCE_POLICY] === 'keep';
}
