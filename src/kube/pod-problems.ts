/**
 * Why pods are not ready, in Kubernetes' words, grouped for one line: `5 pods in
 * ImagePullBackOff: Back-off pulling image "dockercoins/worker:v0.3"`. A wait that names only
 * "deployment not ready" leaves the user to run `kubectl describe`; the pods' own status already
 * says why (the container's `waiting.reason`, the scheduler's `Unschedulable` message).
 */

import { get, isMap, list, num, str } from '../cluster/printing/values.js';
import type { KubeObject } from './kube-client.js';

/** One pod's trouble: a reason to group by and the message that explains it. */
export interface PodProblem {
  /** `ImagePullBackOff`, `CrashLoopBackOff`, `Unschedulable`, `NotReady`, `Error`. */
  readonly reason: string;
  readonly message?: string;
}

/** Messages can span lines (a crashed container's termination message); the wait line cannot. */
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

const condition = (pod: KubeObject, type: string): Record<string, unknown> | undefined =>
  list(pod, 'status', 'conditions').find((c): c is Record<string, unknown> => isMap(c) && c.type === type);

/** Whether the pod's `Ready` condition is `True` (Helm's `isPodReady`). */
export function isPodReady(pod: KubeObject): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

/** Whether the pod is on its way out (its ReplicaSet was scaled down or it was deleted). */
export const isTerminating = (pod: KubeObject): boolean => get(pod, 'metadata', 'deletionTimestamp') != null;

/**
 * What keeps one pod from being ready, as `kubectl get pods` and `describe` show it: the
 * scheduler's refusal, then the first container (init containers first) that is waiting or
 * exited with an error, then the `Ready` condition's own message (a failing readiness probe).
 * Undefined for a ready pod.
 */
export function podProblem(pod: KubeObject): PodProblem | undefined {
  if (isPodReady(pod)) return undefined;
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False') {
    return withMessage(str(scheduled, 'reason') || 'Unschedulable', str(scheduled, 'message'));
  }
  const statuses = [
    ...list(pod, 'status', 'initContainerStatuses'),
    ...list(pod, 'status', 'containerStatuses'),
  ];
  for (const status of statuses) {
    const waiting = get(status, 'state', 'waiting');
    if (isMap(waiting) && str(waiting, 'reason') !== '') {
      return withMessage(str(waiting, 'reason'), str(waiting, 'message'));
    }
    const terminated = get(status, 'state', 'terminated');
    if (isMap(terminated) && num(terminated, 'exitCode') !== 0) {
      const detail = `container "${str(status, 'name')}" exited with code ${num(terminated, 'exitCode')}`;
      const message = str(terminated, 'message');
      return withMessage(
        str(terminated, 'reason') || 'Error',
        message === '' ? detail : `${detail}: ${message}`,
      );
    }
  }
  const phase = str(pod, 'status', 'phase');
  if (phase === 'Succeeded' || phase === 'Failed') return withMessage(phase, str(pod, 'status', 'message'));
  const ready = condition(pod, 'Ready');
  if (ready !== undefined) return withMessage('NotReady', str(ready, 'message'));
  return { reason: phase || 'Pending' };
}

function withMessage(reason: string, message: string): PodProblem {
  return message === '' ? { reason } : { reason, message: oneLine(message) };
}

/** `in ImagePullBackOff`, `unschedulable`, `not ready`: how a reason reads after a pod count. */
function phrase(reason: string): string {
  if (reason === 'Unschedulable') return 'unschedulable';
  if (reason === 'NotReady') return 'not ready';
  return `in ${reason}`;
}

/** One pod's problem as a phrase: `ImagePullBackOff: Back-off pulling image "x"`. */
export function describeProblem(problem: PodProblem): string {
  const head = problem.reason === 'NotReady' ? 'not ready' : problem.reason;
  return problem.message === undefined ? head : `${head}: ${problem.message}`;
}

/**
 * The problems of a workload's pods, grouped by reason (most pods first; the first pod's message
 * stands for its group): `5 pods in ImagePullBackOff: Back-off pulling image "x"; 1 pod
 * unschedulable: 0/3 nodes are available: …`. Terminating pods are left out (a rollout removes
 * them by design). Undefined when every pod is ready.
 */
export function summarizePods(pods: readonly KubeObject[]): string | undefined {
  const groups = new Map<string, { count: number; message?: string }>();
  for (const pod of pods) {
    if (isTerminating(pod)) continue;
    const problem = podProblem(pod);
    if (problem === undefined) continue;
    const group = groups.get(problem.reason);
    if (group === undefined) {
      groups.set(problem.reason, {
        count: 1,
        ...(problem.message === undefined ? {} : { message: problem.message }),
      });
    } else {
      group.count++;
    }
  }
  if (groups.size === 0) return undefined;
  return [...groups.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([reason, { count, message }]) => {
      const head = `${count} ${count === 1 ? 'pod' : 'pods'} ${phrase(reason)}`;
      return message === undefined ? head : `${head}: ${message}`;
    })
    .join('; ');
}
