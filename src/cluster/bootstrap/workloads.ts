/**
 * The controllers' side of the bootstrap workloads: a Deployment with its ReplicaSet and pods,
 * a DaemonSet with its ControllerRevision and one pod per node, consistent with one another
 * (owner references, `pod-template-hash`, `controller-revision-hash`) and with their statuses.
 */

import {
  type BootstrapContext,
  controllerRef,
  create,
  type Json,
  metaOf,
  nameOf,
  setStatus,
  templateHash,
} from './context.js';
import { createTemplatePod, type PodPlacement } from './pods.js';
import { nodeIP, nodeName, podIP } from './topology.js';

const MANAGER = 'kube-controller-manager';

/** The template of a stored workload. */
const templateOf = (workload: Json): Json => (workload.spec as Json).template as Json;

/** Hands out pod IPs per node, in order (host-local IPAM). */
export class PodNetwork {
  private readonly used = new Map<number, number>();
  /** The next free pod IP of node `index`. */
  next(index: number): string {
    const n = (this.used.get(index) ?? 0) + 1;
    this.used.set(index, n);
    return podIP(index, n);
  }
}

/** Where a pod of a workload runs: node `index`, with its own IP or (host network) the node's. */
export function placement(
  index: number,
  hostNetwork: boolean,
  network: PodNetwork,
  startAfter: number,
  readyAfter: number,
): PodPlacement {
  const hostIP = nodeIP(index);
  return {
    nodeIndex: index,
    nodeName: nodeName(index),
    hostIP,
    podIP: hostNetwork ? hostIP : network.next(index),
    startAfter,
    readyAfter,
  };
}

/** The replicas a rolling update may add: `maxSurge` as a count or a percentage (rounded up). */
export function surgeOf(deployment: Json, replicas: number): number {
  const rolling = ((deployment.spec as Json).strategy as Json | undefined)?.rollingUpdate as Json | undefined;
  const surge = rolling?.maxSurge ?? '25%';
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(String(surge));
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : 0;
}

/** A stored Deployment, its ReplicaSet and pods. */
export interface DeploymentSet {
  readonly deployment: Json;
  readonly replicaSet: Json;
  readonly pods: readonly Json[];
}

/**
 * Creates a Deployment and what the deployment and replica-set controllers make of it: revision
 * 1, the ReplicaSet `<name>-<pod-template-hash>`, its pods (placed by `place`), all statuses.
 */
export function createDeployment(
  ctx: BootstrapContext,
  manifest: Json,
  manager: string,
  place: (replica: number) => PodPlacement,
): DeploymentSet {
  let deployment = create(ctx, manifest, manager);
  const meta = metaOf(deployment);
  deployment = ctx.api.update(
    {
      ...deployment,
      metadata: {
        ...meta,
        annotations: { ...((meta.annotations ?? {}) as Json), 'deployment.kubernetes.io/revision': '1' },
      },
    },
    { fieldManager: MANAGER },
  );
  const replicas = Number((deployment.spec as Json).replicas ?? 1);
  const template = structuredClone(templateOf(deployment));
  const hash = templateHash(template);
  const templateMeta = (template.metadata ?? {}) as Json;
  const labels = { ...((templateMeta.labels ?? {}) as Record<string, string>), 'pod-template-hash': hash };
  const selector = (deployment.spec as Json).selector as Json;
  const replicaSet = create(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${nameOf(deployment)}-${hash}`,
        namespace: meta.namespace,
        labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + surgeOf(deployment, replicas)),
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [controllerRef(deployment)],
      },
      spec: {
        replicas,
        selector: {
          ...selector,
          matchLabels: { ...((selector.matchLabels ?? {}) as Json), 'pod-template-hash': hash },
        },
        template: { ...template, metadata: { ...templateMeta, labels } },
      },
    },
    MANAGER,
  );
  const pods: Json[] = [];
  for (let i = 0; i < replicas; i++) {
    pods.push(
      createTemplatePod(
        ctx,
        { owner: replicaSet, generateName: `${nameOf(replicaSet)}-` },
        place(i),
        MANAGER,
      ),
    );
  }
  const readyAt = latestReady(pods);
  const counts = { replicas, readyReplicas: replicas, availableReplicas: replicas };
  const rs = setStatus(
    ctx,
    replicaSet,
    { ...counts, fullyLabeledReplicas: replicas, observedGeneration: 1 },
    MANAGER,
  );
  const condition = (type: string, reason: string, message: string): Json => ({
    type,
    status: 'True',
    lastUpdateTime: readyAt,
    lastTransitionTime: type === 'Available' ? readyAt : String(meta.creationTimestamp),
    reason,
    message,
  });
  const dep = setStatus(
    ctx,
    deployment,
    {
      ...counts,
      updatedReplicas: replicas,
      observedGeneration: 1,
      conditions: [
        condition('Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
        condition(
          'Progressing',
          'NewReplicaSetAvailable',
          `ReplicaSet "${nameOf(replicaSet)}" has successfully progressed.`,
        ),
      ],
    },
    MANAGER,
  );
  return { deployment: dep, replicaSet: rs, pods };
}

/** The latest Ready transition among pods. */
function latestReady(pods: readonly Json[]): string {
  let latest = '';
  for (const pod of pods) {
    const conditions = ((pod.status as Json | undefined)?.conditions ?? []) as Json[];
    const ready = conditions.find((c) => c.type === 'Ready');
    if (ready && String(ready.lastTransitionTime) > latest) latest = String(ready.lastTransitionTime);
  }
  return latest;
}

/** Tolerations the DaemonSet controller adds to its pods (§ daemon pods survive node conditions). */
const DAEMON_TOLERATIONS: readonly (readonly [key: string, effect: string])[] = [
  ['node.kubernetes.io/not-ready', 'NoExecute'],
  ['node.kubernetes.io/unreachable', 'NoExecute'],
  ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
  ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
  ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
  ['node.kubernetes.io/unschedulable', 'NoSchedule'],
];

/** A stored DaemonSet and its revision hash. */
export interface DaemonSetRef {
  readonly daemonSet: Json;
  readonly hash: string;
}

/** Creates a DaemonSet and its first ControllerRevision (`<name>-<hash>`, revision 1). */
export function createDaemonSet(ctx: BootstrapContext, manifest: Json, manager: string): DaemonSetRef {
  const meta = (manifest.metadata ?? {}) as Json;
  const daemonSet = create(
    ctx,
    {
      ...manifest,
      metadata: {
        ...meta,
        annotations: {
          ...((meta.annotations ?? {}) as Json),
          'deprecated.daemonset.template.generation': '1',
        },
      },
    },
    manager,
  );
  const template = structuredClone(templateOf(daemonSet));
  const hash = templateHash(template);
  const templateLabels = ((template.metadata as Json | undefined)?.labels ?? {}) as Json;
  create(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${nameOf(daemonSet)}-${hash}`,
        namespace: metaOf(daemonSet).namespace,
        labels: { ...templateLabels, 'controller-revision-hash': hash },
        annotations: { 'deprecated.daemonset.template.generation': '1' },
        ownerReferences: [controllerRef(daemonSet)],
      },
      data: { spec: { template: { ...template, $patch: 'replace' } } },
      revision: 1,
    },
    MANAGER,
  );
  return { daemonSet, hash };
}

/** Creates the DaemonSet's pod on one node, as the DaemonSet controller does. */
export function createDaemonPod(ctx: BootstrapContext, ds: DaemonSetRef, where: PodPlacement): Json {
  const spec = templateOf(ds.daemonSet).spec as Json;
  const tolerations = [...((spec.tolerations ?? []) as Json[])];
  const has = (key: string, effect: string) =>
    tolerations.some(
      (t) => (t.operator === 'Exists' && t.key === undefined) || (t.key === key && t.effect === effect),
    );
  const extra = [
    ...DAEMON_TOLERATIONS,
    ...(spec.hostNetwork ? [['node.kubernetes.io/network-unavailable', 'NoSchedule'] as const] : []),
  ];
  for (const [key, effect] of extra)
    if (!has(key, effect)) tolerations.push({ key, operator: 'Exists', effect });
  return createTemplatePod(
    ctx,
    {
      owner: ds.daemonSet,
      generateName: `${nameOf(ds.daemonSet)}-`,
      labels: { 'controller-revision-hash': ds.hash, 'pod-template-generation': '1' },
      spec: {
        affinity: {
          ...((spec.affinity ?? {}) as Json),
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: [where.nodeName] }] },
              ],
            },
          },
        },
        tolerations,
      },
    },
    where,
    MANAGER,
  );
}

/** Reports a DaemonSet fully rolled out on `nodes` nodes. */
export function completeDaemonSet(ctx: BootstrapContext, ds: DaemonSetRef, nodes: number): Json {
  const current = ctx.api.get(
    'daemonsets.apps',
    String(metaOf(ds.daemonSet).namespace),
    nameOf(ds.daemonSet),
  );
  return setStatus(
    ctx,
    current,
    {
      currentNumberScheduled: nodes,
      desiredNumberScheduled: nodes,
      numberAvailable: nodes,
      numberMisscheduled: 0,
      numberReady: nodes,
      observedGeneration: 1,
      updatedNumberScheduled: nodes,
    },
    MANAGER,
  );
}
