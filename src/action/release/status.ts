/**
 * `bosun status NAME`: a revision of a release and, on request, the live state of its objects
 * (Helm's `pkg/action/status.go` and `Client.Get` in `pkg/kube/client.go`).
 */

import { isPlainObject } from '../../internal/objects.js';
import type { KindDescriptor, KubeClient, KubeObject } from '../../kube/index.js';
import type { TableGroup } from '../../kube/printing.js';
import type { Release } from '../../release/release.js';
import type { ReleaseContext } from './context.js';
import { releaseContent } from './get.js';
import { buildResources, getLive, parseReleaseManifest } from './resources.js';

/**
 * The objects of one kind as `status` shows them: `key` is Helm's heading (`v1/Deployment`, the
 * kind's version and name; `v1/Pod(related)` for the pods of the release's workloads), the rest
 * is the server's table of them, ready for kubectl's table printer.
 */
export interface ResourceGroup extends TableGroup {
  readonly key: string;
}

/** What `status` returns. */
export interface ReleaseStatusResult {
  readonly release: Release;
  /** The live objects of the manifest, grouped by kind; present when asked for. */
  readonly resources?: readonly ResourceGroup[];
}

/** Options of {@link StatusAction}. */
export interface StatusOptions {
  /** `--revision`; the newest revision when absent or 0. */
  readonly revision?: number;
  /** `--show-resources`: also read the manifest's objects (and their pods) from the cluster. */
  readonly showResources?: boolean;
}

/** The kinds whose label selector Helm follows to their pods (`getSelectorFromObject`). */
const POD_OWNERS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
]);

/** A workload's pod selector as `k=v,…` (keys sorted, as `labels.Set.String()`); '' when none. */
function podSelector(object: KubeObject): string {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const raw =
    object.kind === 'ReplicationController' ? spec.selector : (spec.selector as KubeObject)?.matchLabels;
  if (!isPlainObject(raw)) return '';
  return Object.keys(raw)
    .sort()
    .map((k) => `${k}=${String(raw[k])}`)
    .join(',');
}

/**
 * Reads the objects of `release`'s manifest from the cluster, grouped by kind in manifest order,
 * with the pods their selectors match last (`v1/Pod(related)`). Objects that no longer exist are
 * left out, as Helm does.
 */
export async function releaseResources(client: KubeClient, release: Release): Promise<ResourceGroup[]> {
  const resources = await buildResources(client, parseReleaseManifest(release.manifest), release.namespace);
  const groups = new Map<string, { kind: KindDescriptor; objects: KubeObject[] }>();
  const add = (key: string, kind: KindDescriptor, object: KubeObject) => {
    const group = groups.get(key) ?? { kind, objects: [] };
    group.objects.push(object);
    groups.set(key, group);
  };
  const related: KubeObject[] = [];
  const seenSelectors = new Set<string>();
  const seenPods = new Set<string>();
  for (const r of resources) {
    const live = await getLive(client, r);
    if (live === undefined) continue;
    add(`${r.kind.version}/${r.kind.kind}`, r.kind, live);
    if (!POD_OWNERS.has(r.kind.kind)) continue;
    const selector = podSelector(live);
    if (selector === '' || seenSelectors.has(`${r.namespace}|${selector}`)) continue;
    seenSelectors.add(`${r.namespace}|${selector}`);
    const pods = await client.list('pods', { namespace: r.namespace, labelSelector: selector });
    for (const pod of pods.items) {
      const meta = isPlainObject(pod.metadata) ? pod.metadata : {};
      const id = `${String(meta.namespace)}/${String(meta.name)}`;
      if (seenPods.has(id)) continue;
      seenPods.add(id);
      related.push({ apiVersion: 'v1', kind: 'Pod', ...pod });
    }
  }
  const podKind = related.length > 0 ? await client.kindFor('v1', 'Pod') : undefined;
  if (podKind !== undefined) groups.set('v1/Pod(related)', { kind: podKind, objects: related });

  const out: ResourceGroup[] = [];
  for (const [key, { kind, objects }] of groups) {
    out.push({
      key,
      groupKind: { group: kind.group, kind: kind.kind },
      namespaced: kind.namespaced,
      table: await client.table(kind, objects),
    });
  }
  return out;
}

/** Reads a release's status, as `helm status` does. */
export class StatusAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: StatusOptions = {},
  ) {}

  /** The revision (the newest by default), with its live objects when `showResources` is set. */
  async run(name: string): Promise<ReleaseStatusResult> {
    const release = await releaseContent(this.ctx.storage, name, this.options.revision);
    if (!this.options.showResources) return { release };
    return { release, resources: await releaseResources(this.ctx.client, release) };
  }
}
