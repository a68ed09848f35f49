/**
 * What `kubectl rollout status` reads from a Deployment, DaemonSet or StatefulSet
 * (`rollout_status.go`'s status viewers), and the small object readers `rollout` shares.
 */

import type { KindDescriptor, KubeObject } from '../../kube/index.js';
import { metaString, usageError } from './context.js';

/** The revision annotation of Deployments and their ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
export const field = (o: unknown, ...path: string[]): unknown => {
  let cur = o;
  for (const key of path) cur = isObj(cur) ? cur[key] : undefined;
  return cur;
};
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
export const annotationsOf = (o: unknown): Record<string, string> => {
  const a = field(o, 'metadata', 'annotations');
  return isObj(a) ? (a as Record<string, string>) : {};
};

/** `Deployment.apps`, as kubectl names a group kind in messages. */
export const groupKind = (kind: KindDescriptor): string =>
  kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
export const isApps = (kind: KindDescriptor, name: string): boolean =>
  kind.group === 'apps' && kind.kind === name;

/** kubectl's `Revision`: the revision annotation (0 when absent); undefined when it is not a number. */
export function revisionOf(object: KubeObject): number | undefined {
  const value = annotationsOf(object)[REVISION_ANNOTATION];
  if (value === undefined) return 0;
  return /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/** The status line of a rollout, and whether it is done. */
export interface RolloutStatus {
  /** kubectl's line, without the newline. */
  readonly message: string;
  readonly done: boolean;
}

/**
 * The status viewers of `rollout status` (`rollout_status.go`): what kubectl prints for one
 * read of the object. Throws kubectl's errors (progress deadline exceeded, a revision that is
 * not the running one, a kind without a status viewer).
 */
export function rolloutStatus(kind: KindDescriptor, object: KubeObject, revision = 0): RolloutStatus {
  const name = metaString(object, 'name');
  const generation = num(field(object, 'metadata', 'generation'));
  const status = isObj(object.status) ? object.status : {};
  const observed = num(status.observedGeneration);
  if (isApps(kind, 'Deployment')) {
    if (revision > 0) {
      const running = revisionOf(object);
      if (running === undefined)
        throw usageError(`cannot get the revision of deployment ${JSON.stringify(name)}: invalid revision`);
      if (running !== revision)
        throw usageError(
          `desired revision (${revision}) is different from the running revision (${running})`,
        );
    }
    if (generation > observed)
      return { message: 'Waiting for deployment spec update to be observed...', done: false };
    const conditions = Array.isArray(status.conditions) ? status.conditions : [];
    const progressing = conditions.find((c) => field(c, 'type') === 'Progressing');
    if (field(progressing, 'reason') === 'ProgressDeadlineExceeded')
      throw usageError(`deployment ${JSON.stringify(name)} exceeded its progress deadline`);
    const specReplicas = field(object, 'spec', 'replicas');
    const updated = num(status.updatedReplicas);
    const wait = (text: string) => ({
      message: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${text}...`,
      done: false,
    });
    if (typeof specReplicas === 'number' && updated < specReplicas)
      return wait(`${updated} out of ${specReplicas} new replicas have been updated`);
    if (num(status.replicas) > updated)
      return wait(`${num(status.replicas) - updated} old replicas are pending termination`);
    if (num(status.availableReplicas) < updated)
      return wait(`${num(status.availableReplicas)} of ${updated} updated replicas are available`);
    return { message: `deployment ${JSON.stringify(name)} successfully rolled out`, done: true };
  }
  if (isApps(kind, 'DaemonSet')) {
    if (field(object, 'spec', 'updateStrategy', 'type') !== 'RollingUpdate')
      throw usageError('rollout status is only available for RollingUpdate strategy type');
    if (generation > observed)
      return { message: 'Waiting for daemon set spec update to be observed...', done: false };
    const desired = num(status.desiredNumberScheduled);
    const wait = (text: string) => ({
      message: `Waiting for daemon set ${JSON.stringify(name)} rollout to finish: ${text}...`,
      done: false,
    });
    if (num(status.updatedNumberScheduled) < desired)
      return wait(`${num(status.updatedNumberScheduled)} out of ${desired} new pods have been updated`);
    if (num(status.numberAvailable) < desired)
      return wait(`${num(status.numberAvailable)} of ${desired} updated pods are available`);
    return { message: `daemon set ${JSON.stringify(name)} successfully rolled out`, done: true };
  }
  if (isApps(kind, 'StatefulSet')) {
    const strategy = field(object, 'spec', 'updateStrategy');
    if (field(strategy, 'type') !== 'RollingUpdate')
      throw usageError('rollout status is only available for RollingUpdate strategy type');
    if (observed === 0 || generation > observed)
      return { message: 'Waiting for statefulset spec update to be observed...', done: false };
    const replicas = field(object, 'spec', 'replicas');
    if (typeof replicas === 'number' && num(status.readyReplicas) < replicas)
      return {
        message: `Waiting for ${replicas - num(status.readyReplicas)} pods to be ready...`,
        done: false,
      };
    const rolling = field(strategy, 'rollingUpdate');
    if (isObj(rolling)) {
      const partition = rolling.partition;
      if (typeof replicas === 'number' && typeof partition === 'number') {
        const wanted = replicas - partition;
        if (num(status.updatedReplicas) < wanted)
          return {
            message: `Waiting for partitioned roll out to finish: ${num(status.updatedReplicas)} out of ${wanted} new pods have been updated...`,
            done: false,
          };
      }
      return {
        message: `partitioned roll out complete: ${num(status.updatedReplicas)} new pods have been updated...`,
        done: true,
      };
    }
    if (status.updateRevision !== status.currentRevision)
      return {
        message: `waiting for statefulset rolling update to complete ${num(status.updatedReplicas)} pods at revision ${String(status.updateRevision ?? '')}...`,
        done: false,
      };
    return {
      message: `statefulset rolling update complete ${num(status.currentReplicas)} pods at revision ${String(status.currentRevision ?? '')}...`,
      done: true,
    };
  }
  throw usageError(`no status viewer has been implemented for ${groupKind(kind)}`);
}
