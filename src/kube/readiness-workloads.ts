/**
 * Readiness of the workload controllers (Deployment, ReplicaSet, ReplicationController,
 * DaemonSet, StatefulSet) by Helm's legacy rules (`pkg/kube/ready.go`). The arithmetic Helm takes
 * from Kubernetes (`deploymentutil.MaxUnavailable`, `FindNewReplicaSet`,
 * `intstr.GetScaledValueFromIntOrPercent`) is the cluster's own, so the two cannot disagree.
 */

import { findNewReplicaSet, maxUnavailable } from '../cluster/controllers/deployment-util.js';
import { scaledValue } from '../cluster/controllers/shared.js';
import { get, isMap, list, num, optNum, str } from '../cluster/printing/values.js';
import type { KubeClient, KubeObject } from './kube-client.js';
import { isPodReady, summarizePods } from './pod-problems.js';
import {
  isVerdict,
  namespaceOf,
  podsSelectedBy,
  type Readiness,
  type ResourceRef,
  readForCheck,
  readiness,
  refLabel,
} from './readiness-common.js';

/** Whether the controller has seen the latest spec (`status.observedGeneration == metadata.generation`). */
const generationObserved = (object: KubeObject): boolean =>
  num(object, 'status', 'observedGeneration') === num(object, 'metadata', 'generation');

/** `spec.replicas`, 1 when absent (the API default). */
const replicasOf = (object: KubeObject): number => optNum(object, 'spec', 'replicas') ?? 1;

/** Whether `owner` is the controller of `object` (its controller ownerReference). */
function controlledBy(object: KubeObject, owner: KubeObject): boolean {
  const uid = str(owner, 'metadata', 'uid');
  return list(object, 'metadata', 'ownerReferences').some(
    (ref) => isMap(ref) && ref.controller === true && ref.uid === uid,
  );
}

/** `progress` when a rollout still runs old pods next to the new ones: `0/10 ready, 8 old`. */
function withOld(progress: string, old: number): string {
  return old > 0 ? `${progress}, ${old} old` : progress;
}

/**
 * A Deployment (Helm's `deploymentReady`): a paused one counts as ready (Helm's waits set
 * `PausedAsReady`); else its new ReplicaSet must exist with its generation observed, the
 * Deployment's generation must be observed, and the new ReplicaSet must have at least
 * `replicas - maxUnavailable` ready pods (maxUnavailable rounded down). A rollout whose
 * `Progressing` condition says `ProgressDeadlineExceeded` has failed: the controller gave up.
 */
export async function deploymentReadiness(client: KubeClient, ref: ResourceRef): Promise<Readiness> {
  const deployment = await readForCheck(client, 'deployments.apps', ref);
  if (isVerdict(deployment)) return deployment;
  const namespace = namespaceOf(ref);
  const replicas = replicasOf(deployment);
  if (get(deployment, 'spec', 'paused') === true) return readiness(true, 'paused');

  const pods = await podsSelectedBy(client, namespace, get(deployment, 'spec', 'selector'));
  const replicaSets = await replicaSetsOf(client, namespace, deployment);
  const newRs = findNewReplicaSet(deployment, replicaSets);
  const newReady = newRs === undefined ? 0 : num(newRs, 'status', 'readyReplicas');
  const old = replicaSets
    .filter((rs) => rs !== newRs)
    .reduce((n, rs) => n + num(rs, 'status', 'replicas'), 0);
  const progress = withOld(`${newReady}/${replicas} ready`, old);
  const observed = generationObserved(deployment);

  const progressing = list(deployment, 'status', 'conditions').find(
    (c) => isMap(c) && c.type === 'Progressing',
  );
  if (
    observed &&
    str(progressing, 'status') === 'False' &&
    str(progressing, 'reason') === 'ProgressDeadlineExceeded'
  ) {
    const why = summarizePods(pods);
    const reason = `${refLabel(ref)} exceeded its progress deadline${why === undefined ? '' : `; ${why}`}`;
    return readiness(false, progress, reason, true);
  }

  let unavailable: number;
  try {
    unavailable = maxUnavailable(deployment);
  } catch {
    // An unparsable maxUnavailable: `deploymentutil.MaxUnavailable` ignores the error (0).
    unavailable = 0;
  }
  const ready =
    newRs !== undefined && generationObserved(newRs) && observed && newReady >= replicas - unavailable;
  if (ready) return readiness(true, progress);
  const reason =
    summarizePods(pods) ??
    (!observed
      ? 'waiting for the deployment spec update to be observed'
      : newRs === undefined
        ? 'waiting for the new replica set to be created'
        : `${newReady} of ${replicas} new replicas are ready`);
  return readiness(false, progress, reason);
}

/** The ReplicaSets a Deployment controls (`deploymentutil.ListReplicaSets`). */
async function replicaSetsOf(
  client: KubeClient,
  namespace: string,
  deployment: KubeObject,
): Promise<KubeObject[]> {
  const all = (await client.list('replicasets.apps', { namespace })).items;
  return all.filter((rs) => controlledBy(rs, deployment));
}

/**
 * A ReplicaSet or ReplicationController: its generation observed and every pod its selector picks
 * ready (Helm's `podsReadyForObject`: the pods present, not the replica count).
 */
export async function replicaSetReadiness(client: KubeClient, ref: ResourceRef): Promise<Readiness> {
  const resource = ref.kind === 'ReplicationController' ? 'replicationcontrollers' : 'replicasets.apps';
  const rs = await readForCheck(client, resource, ref);
  if (isVerdict(rs)) return rs;
  const pods = await podsSelectedBy(client, namespaceOf(ref), get(rs, 'spec', 'selector'));
  const readyPods = pods.filter(isPodReady).length;
  const progress = `${readyPods}/${replicasOf(rs)} ready`;
  if (!generationObserved(rs)) {
    return readiness(false, progress, `waiting for the ${ref.kind.toLowerCase()} spec update to be observed`);
  }
  if (readyPods === pods.length) return readiness(true, progress);
  return readiness(false, progress, summarizePods(pods));
}

/**
 * A DaemonSet (Helm's `daemonSetReady`): generation observed; with RollingUpdate, every updated
 * pod scheduled and at least `desired - maxUnavailable` ready, maxUnavailable rounded up as the
 * DaemonSet controller does.
 */
export async function daemonSetReadiness(client: KubeClient, ref: ResourceRef): Promise<Readiness> {
  const ds = await readForCheck(client, 'daemonsets.apps', ref);
  if (isVerdict(ds)) return ds;
  const desired = num(ds, 'status', 'desiredNumberScheduled');
  const numberReady = num(ds, 'status', 'numberReady');
  const updated = num(ds, 'status', 'updatedNumberScheduled');
  const progress = `${numberReady}/${desired} ready`;
  if (!generationObserved(ds)) {
    return readiness(false, progress, 'waiting for the daemon set spec update to be observed');
  }
  // OnDelete: pods change only when someone deletes them, so there is nothing to wait for.
  if ((str(ds, 'spec', 'updateStrategy', 'type') || 'RollingUpdate') !== 'RollingUpdate') {
    return readiness(true, progress);
  }
  let unavailable: number;
  try {
    unavailable = scaledValue(
      get(ds, 'spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable') ?? 1,
      desired,
      true,
    );
  } catch {
    // Helm: an invalid value allows every pod to be unavailable.
    unavailable = desired;
  }
  if (updated === desired && numberReady >= desired - unavailable) return readiness(true, progress);
  const pods = await podsSelectedBy(client, namespaceOf(ref), get(ds, 'spec', 'selector'));
  const reason =
    summarizePods(pods) ??
    (updated !== desired ? `${updated} out of ${desired} new pods have been updated` : undefined);
  return readiness(false, progress, reason);
}

/**
 * A StatefulSet (Helm's `statefulSetReady`): generation observed; with RollingUpdate, at least
 * `replicas - partition` updated, exactly `replicas` ready, and (without a partition) the current
 * revision equal to the update revision.
 */
export async function statefulSetReadiness(client: KubeClient, ref: ResourceRef): Promise<Readiness> {
  const sts = await readForCheck(client, 'statefulsets.apps', ref);
  if (isVerdict(sts)) return sts;
  const replicas = replicasOf(sts);
  const readyReplicas = num(sts, 'status', 'readyReplicas');
  const updated = num(sts, 'status', 'updatedReplicas');
  const progress = `${readyReplicas}/${replicas} ready`;
  if (!generationObserved(sts)) {
    return readiness(false, progress, 'waiting for the stateful set spec update to be observed');
  }
  if ((str(sts, 'spec', 'updateStrategy', 'type') || 'RollingUpdate') !== 'RollingUpdate') {
    return readiness(true, progress);
  }
  const partition = optNum(sts, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  const expected = replicas - partition;
  const revisionsMatch =
    partition !== 0 || str(sts, 'status', 'currentRevision') === str(sts, 'status', 'updateRevision');
  if (updated >= expected && readyReplicas === replicas && revisionsMatch) return readiness(true, progress);
  const pods = await podsSelectedBy(client, namespaceOf(ref), get(sts, 'spec', 'selector'));
  const reason =
    summarizePods(pods) ??
    (updated < expected
      ? `${updated} out of ${expected} new pods have been updated`
      : !revisionsMatch
        ? `waiting for the rolling update to complete at revision ${str(sts, 'status', 'updateRevision')}`
        : undefined);
  return readiness(false, progress, reason);
}
