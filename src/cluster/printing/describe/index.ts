/**
 * `kubectl describe` for the simulated cluster: `describe(object, related, now)` prints what kubectl
 * v1.34 prints for the object, given the objects kubectl would fetch alongside it (its events, the
 * pods of a controller, a deployment's ReplicaSets, a service's EndpointSlices…). Kinds without a
 * describer get kubectl's generic description.
 */

import type { KubeObject } from '../values.js';
import { get, nameOf, namespaceOf, str } from '../values.js';
import { describeLimitRange, describeNamespace, describeResourceQuota } from './namespace.js';
import {
  describeEndpointSlice,
  describeEndpoints,
  describeIngress,
  describeIngressClass,
  describeService,
  slicesFor,
} from './network.js';
import { describeNetworkPolicy } from './network-policy.js';
import { describeNode } from './node.js';
import {
  describeGeneric,
  describeHorizontalPodAutoscaler,
  describeRole,
  describeRoleBinding,
} from './other.js';
import { describePod } from './pod.js';
import {
  describeConfigMap,
  describePersistentVolume,
  describePersistentVolumeClaim,
  describePodDisruptionBudget,
  describePriorityClass,
  describeSecret,
  describeServiceAccount,
  describeStorageClass,
} from './storage-config.js';
import {
  describeCronJob,
  describeDaemonSet,
  describeDeployment,
  describeJob,
  describeReplicaSet,
  describeStatefulSet,
} from './workloads.js';

/** The objects kubectl fetches to describe an object; pass what the kind needs, the rest is ignored. */
export interface DescribeRelated {
  /** Events (all of the namespace, or already filtered): those about the object are shown. */
  readonly events?: readonly KubeObject[];
  /** Pods of the namespace (controllers, PVC "Used By") or of the cluster (a node's pods). */
  readonly pods?: readonly KubeObject[];
  /** ReplicaSets of the namespace (a deployment's old and new ones). */
  readonly replicaSets?: readonly KubeObject[];
  /** EndpointSlices of the namespace (services, ingress backends). */
  readonly endpointSlices?: readonly KubeObject[];
  /** Endpoints of the namespace, used when no EndpointSlices are given. */
  readonly endpoints?: readonly KubeObject[];
  /** Services of the namespace (ingress backends). */
  readonly services?: readonly KubeObject[];
  /** Secrets of the namespace (a service account's tokens and missing secrets). */
  readonly secrets?: readonly KubeObject[];
  /** ResourceQuotas and LimitRanges of a namespace being described. */
  readonly resourceQuotas?: readonly KubeObject[];
  readonly limitRanges?: readonly KubeObject[];
  /** A node's Lease in `kube-node-lease`. */
  readonly lease?: KubeObject;
}

/** The events about `obj`, as kubectl's field selector on `involvedObject` finds them. */
export function eventsFor(obj: unknown, events: readonly unknown[]): unknown[] {
  const kind = str(obj, 'kind');
  const uid = str(obj, 'metadata', 'uid');
  return events.filter((e) => {
    const io = get(e, 'involvedObject');
    if (str(io, 'name') !== nameOf(obj) || str(io, 'namespace') !== namespaceOf(obj)) return false;
    // kubectl drops the kind for pods, and also matches node events whose uid is the node's name.
    if (kind !== 'Pod' && str(io, 'kind') !== kind) return false;
    const eventUid = str(io, 'uid');
    return uid === '' || eventUid === uid || (kind === 'Node' && eventUid === nameOf(obj));
  });
}

/** Prints `kubectl describe` of one object at `now` (ms since the epoch). */
export function describe(obj: KubeObject, related: DescribeRelated = {}, now: number): string {
  const events = eventsFor(obj, related.events ?? []);
  const pods = related.pods ?? [];
  switch (str(obj, 'kind')) {
    case 'Pod':
      return describePod(obj, events, now);
    case 'Deployment':
      return describeDeployment(obj, related.replicaSets ?? [], events, now);
    case 'ReplicaSet':
    case 'ReplicationController':
      return describeReplicaSet(obj, pods, events, now);
    case 'DaemonSet':
      return describeDaemonSet(obj, pods, events, now);
    case 'StatefulSet':
      return describeStatefulSet(obj, pods, events, now);
    case 'Job':
      return describeJob(obj, events, now);
    case 'CronJob':
      return describeCronJob(obj, events, now);
    case 'Service':
      return describeService(
        obj,
        slicesFor(nameOf(obj), related.endpointSlices, related.endpoints),
        events,
        now,
      );
    case 'Ingress':
      return describeIngress(obj, { services: related.services ?? [], ...related }, events, now);
    case 'IngressClass':
      return describeIngressClass(obj, events, now);
    case 'Endpoints':
      return describeEndpoints(obj, events, now);
    case 'EndpointSlice':
      return describeEndpointSlice(obj, events, now);
    case 'NetworkPolicy':
      return describeNetworkPolicy(obj);
    case 'Node': {
      const onNode = pods.filter((p) => {
        const phase = str(p, 'status', 'phase');
        return str(p, 'spec', 'nodeName') === nameOf(obj) && phase !== 'Succeeded' && phase !== 'Failed';
      });
      return describeNode(obj, onNode, related.lease, events, now);
    }
    case 'Namespace':
      return describeNamespace(obj, related.resourceQuotas ?? [], related.limitRanges ?? []);
    case 'ResourceQuota':
      return describeResourceQuota(obj);
    case 'LimitRange':
      return describeLimitRange(obj);
    case 'ConfigMap':
      return describeConfigMap(obj, events, now);
    case 'Secret':
      return describeSecret(obj);
    case 'ServiceAccount':
      return describeServiceAccount(obj, related.secrets, events, now);
    case 'PersistentVolume':
      return describePersistentVolume(obj, events, now);
    case 'PersistentVolumeClaim':
      return describePersistentVolumeClaim(obj, pods, events, now);
    case 'StorageClass':
      return describeStorageClass(obj, events, now);
    case 'PriorityClass':
      return describePriorityClass(obj, events, now);
    case 'PodDisruptionBudget':
      return describePodDisruptionBudget(obj, events, now);
    case 'HorizontalPodAutoscaler':
      return describeHorizontalPodAutoscaler(obj, events, now);
    case 'Role':
    case 'ClusterRole':
      return describeRole(obj);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return describeRoleBinding(obj);
    default:
      return describeGeneric(obj, events, now);
  }
}

/** Whether kubectl has a dedicated describer for `kind` here (others get the generic description). */
export function hasDescriber(kind: string): boolean {
  return DESCRIBED_KINDS.includes(kind);
}

const DESCRIBED_KINDS: readonly string[] = [
  ...[
    'Pod',
    'Deployment',
    'ReplicaSet',
    'ReplicationController',
    'DaemonSet',
    'StatefulSet',
    'Job',
    'CronJob',
  ],
  ...[
    'Service',
    'Ingress',
    'IngressClass',
    'Endpoints',
    'EndpointSlice',
    'NetworkPolicy',
    'Node',
    'Namespace',
    'ConfigMap',
    'Secret',
  ],
  ...[
    'ServiceAccount',
    'ResourceQuota',
    'LimitRange',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'StorageClass',
    'PriorityClass',
  ],
  ...[
    'PodDisruptionBudget',
    'HorizontalPodAutoscaler',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
  ],
];
