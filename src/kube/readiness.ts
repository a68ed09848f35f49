/**
 * Whether one object a release manages is ready: Helm's legacy readiness rules
 * (`pkg/kube/ready.go`, the `--wait` poller), kind by kind, with the reason in Kubernetes' words
 * when it is not, and whether waiting longer can still help (`failed`).
 *
 * | kind | ready when |
 * |---|---|
 * | Pod | `Ready` condition True |
 * | Job | only with `waitForJobs`: not failed and `succeeded >= completions` |
 * | Deployment | paused, or: new ReplicaSet observed, generation observed, new RS ready >= replicas - maxUnavailable |
 * | ReplicaSet, ReplicationController | generation observed and every selected pod ready |
 * | DaemonSet | generation observed; rolling: all updated pods scheduled, ready >= desired - maxUnavailable |
 * | StatefulSet | generation observed; rolling: updated >= replicas - partition, ready == replicas, revisions equal |
 * | Service | ExternalName; else a cluster IP, and for LoadBalancer an ingress (unless externalIPs) |
 * | PersistentVolumeClaim | `Bound` |
 * | CustomResourceDefinition | `Established` (or `NamesAccepted=False`) |
 * | everything else | at once |
 */

import { get, isMap, list, num, optNum, str } from '../cluster/printing/values.js';
import type { KubeClient, KubeObject } from './kube-client.js';
import { describeProblem, podProblem, summarizePods } from './pod-problems.js';
import {
  groupOf,
  isVerdict,
  namespaceOf,
  podsSelectedBy,
  type Readiness,
  type ReadinessOptions,
  type ResourceRef,
  readForCheck,
  readiness,
  refLabel,
} from './readiness-common.js';
import {
  daemonSetReadiness,
  deploymentReadiness,
  replicaSetReadiness,
  statefulSetReadiness,
} from './readiness-workloads.js';

export {
  type Readiness,
  type ReadinessOptions,
  type ResourceRef,
  refLabel,
  refShortName,
} from './readiness-common.js';

type Checker = (client: KubeClient, ref: ResourceRef, options: ReadinessOptions) => Promise<Readiness>;

/** The checked kinds by `group/Kind`; Helm checks the typed (built-in) kinds only. */
const CHECKERS: Readonly<Record<string, Checker>> = {
  '/Pod': podReadiness,
  'batch/Job': jobReadiness,
  'apps/Deployment': deploymentReadiness,
  'extensions/Deployment': deploymentReadiness,
  'apps/ReplicaSet': replicaSetReadiness,
  'extensions/ReplicaSet': replicaSetReadiness,
  '/ReplicationController': replicaSetReadiness,
  'apps/DaemonSet': daemonSetReadiness,
  'extensions/DaemonSet': daemonSetReadiness,
  'apps/StatefulSet': statefulSetReadiness,
  '/Service': serviceReadiness,
  '/PersistentVolumeClaim': claimReadiness,
  'apiextensions.k8s.io/CustomResourceDefinition': crdReadiness,
};

/**
 * Whether one object is ready by Helm's rules (`ReadyChecker.IsReady`). Kinds Helm does not check
 * are ready at once without a read; a checked object that is gone is `failed`.
 */
export async function readinessOf(
  client: KubeClient,
  ref: ResourceRef,
  options: { waitForJobs?: boolean } = {},
): Promise<Readiness> {
  const checker = CHECKERS[`${groupOf(ref.apiVersion)}/${ref.kind}`];
  if (checker === undefined) return readiness(true, 'ready');
  return checker(client, ref, options);
}

async function podReadiness(client: KubeClient, ref: ResourceRef): Promise<Readiness> {
  const pod = await readForCheck(client, 'pods', ref);
  if (isVerdict(pod)) return pod;
  const phase = str(pod, 'status', 'phase') || 'Pending';
  const problem = podProblem(pod);
  if (problem === undefined) return readiness(true, phase);
  // A finished pod is never Ready again: Helm's poller would sit out the whole timeout on it.
  if (phase === 'Failed')
    return readiness(false, phase, `${refLabel(ref)} failed: ${describeProblem(problem)}`, true);
  if (phase === 'Succeeded') {
    return readiness(false, phase, `${refLabel(ref)} has completed and will never be ready`, true);
  }
  return readiness(false, phase, describeProblem(problem));
}

/** A Job's condition of `type` when it is True. */
function trueCondition(object: KubeObject, type: string): Record<string, unknown> | undefined {
  return list(object, 'status', 'conditions').find(
    (c): c is Record<string, unknown> => isMap(c) && c.type === type && c.status === 'True',
  );
}

/** The words of a Job's `Failed` condition: its reason, else its message. */
export function jobFailure(job: KubeObject): string | undefined {
  const failed = trueCondition(job, 'Failed');
  if (failed === undefined) return undefined;
  return str(failed, 'reason') || str(failed, 'message') || 'Failed';
}

/** Whether a Job's `Complete` condition is True. */
export const jobComplete = (job: KubeObject): boolean => trueCondition(job, 'Complete') !== undefined;

async function jobReadiness(
  client: KubeClient,
  ref: ResourceRef,
  options: ReadinessOptions,
): Promise<Readiness> {
  const job = await readForCheck(client, 'jobs.batch', ref);
  if (isVerdict(job)) return job;
  const completions = optNum(job, 'spec', 'completions');
  const succeeded = num(job, 'status', 'succeeded');
  const progress = `${succeeded}/${completions ?? 1} complete`;
  if (!options.waitForJobs) return readiness(true, progress);
  const failure =
    jobFailure(job) ??
    (num(job, 'status', 'failed') > (optNum(job, 'spec', 'backoffLimit') ?? 6)
      ? 'BackoffLimitExceeded'
      : undefined);
  if (failure !== undefined) return readiness(false, progress, `${refLabel(ref)} failed: ${failure}`, true);
  // Helm's jobReady: a Job without completions (a work queue) counts as ready.
  if (jobComplete(job) || completions === undefined || succeeded >= completions)
    return readiness(true, progress);
  const pods = await podsSelectedBy(client, namespaceOf(ref), get(job, 'spec', 'selector'));
  return readiness(false, progress, summarizePods(pods));
}

async function serviceReadiness(client: KubeClient, ref: ResourceRef): Promise<Readiness> {
  const svc = await readForCheck(client, 'services', ref);
  if (isVerdict(svc)) return svc;
  const type = str(svc, 'spec', 'type') || 'ClusterIP';
  // ExternalName services point outside the cluster: there is nothing to wait for.
  if (type === 'ExternalName') return readiness(true, 'ExternalName');
  if (str(svc, 'spec', 'clusterIP') === '') return readiness(false, 'Pending', 'no cluster IP assigned yet');
  if (type === 'LoadBalancer' && list(svc, 'spec', 'externalIPs').length === 0) {
    const ingress = list(svc, 'status', 'loadBalancer', 'ingress');
    if (ingress.length === 0) return readiness(false, 'Pending', 'waiting for a load balancer ingress');
    return readiness(true, str(ingress[0], 'ip') || str(ingress[0], 'hostname') || 'ready');
  }
  return readiness(true, 'ready');
}

async function claimReadiness(client: KubeClient, ref: ResourceRef): Promise<Readiness> {
  const claim = await readForCheck(client, 'persistentvolumeclaims', ref);
  if (isVerdict(claim)) return claim;
  const phase = str(claim, 'status', 'phase') || 'Pending';
  if (phase === 'Bound') return readiness(true, phase);
  const why = await latestEventMessage(client, claim);
  // A Lost claim's volume is gone; waiting does not bring it back.
  return readiness(false, phase, why, phase === 'Lost');
}

/**
 * The message of the newest event about an object (`waiting for first consumer to be created
 * before binding`): a pending claim says why only there.
 */
async function latestEventMessage(client: KubeClient, object: KubeObject): Promise<string | undefined> {
  const uid = str(object, 'metadata', 'uid');
  try {
    const events = await client.list('events', {
      namespace: str(object, 'metadata', 'namespace'),
      fieldSelector: `involvedObject.name=${str(object, 'metadata', 'name')}`,
    });
    const mine = events.items.filter((e) => uid === '' || str(e, 'involvedObject', 'uid') === uid);
    const when = (e: KubeObject): string =>
      str(e, 'lastTimestamp') || str(e, 'eventTime') || str(e, 'metadata', 'creationTimestamp');
    const newest = mine.sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0)).at(-1);
    const message = newest === undefined ? '' : str(newest, 'message');
    return message === '' ? undefined : message;
  } catch {
    // Events are a courtesy: a cluster that will not list them still has a readiness answer.
    return undefined;
  }
}

async function crdReadiness(client: KubeClient, ref: ResourceRef): Promise<Readiness> {
  const crd = await readForCheck(client, 'customresourcedefinitions.apiextensions.k8s.io', ref);
  if (isVerdict(crd)) return crd;
  const conditions = list(crd, 'status', 'conditions').filter(isMap);
  for (const c of conditions) {
    if (c.type === 'Established' && c.status === 'True') return readiness(true, 'Established');
    // A name conflict: Helm lets the release go on rather than fail on it here.
    if (c.type === 'NamesAccepted' && c.status === 'False') return readiness(true, 'NamesNotAccepted');
  }
  // An API server that writes no conditions (the bundled cluster serves a CRD's kind as soon as
  // it is stored) is established once discovery serves the kind.
  if (conditions.length === 0 && (await servesCrdKind(client, crd))) return readiness(true, 'Established');
  return readiness(false, 'Pending', 'waiting for the definition to be established');
}

async function servesCrdKind(client: KubeClient, crd: KubeObject): Promise<boolean> {
  const group = str(crd, 'spec', 'group');
  const kind = str(crd, 'spec', 'names', 'kind');
  const versions = list(crd, 'spec', 'versions').filter((v) => isMap(v) && v.served !== false);
  for (const v of versions) {
    if ((await client.kindFor(`${group}/${str(v, 'name')}`, kind)) !== undefined) return true;
  }
  return false;
}
