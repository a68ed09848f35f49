/**
 * The cycle's Filter plugins on one node, in kube-scheduler's plugin order: NodeUnschedulable,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, VolumeBinding, InterPodAffinity.
 * `filterNode` runs once per node per cycle (and per victim in preemption's dry runs): the common
 * refusals return shared failure objects rather than building one per node.
 */

import { type AffinityState, affinityFilter } from './affinity.js';
import type { NodeView, UsageView } from './cache.js';
import { type NodeFailure, REASON } from './messages.js';
import type { PodSchedulingInfo } from './pod-info.js';
import {
  firstUntolerated,
  hostPortsConflict,
  placementMatches,
  TAINT_UNSCHEDULABLE,
  tolerates,
} from './predicates.js';
import { type VolumeState, volumeFilter } from './volumes.js';

const UNSCHEDULABLE_TAINT = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };
const F_UNSCHEDULABLE: NodeFailure = {
  code: 'UnschedulableAndUnresolvable',
  reasons: [REASON.unschedulable],
};
const F_TAINT: NodeFailure = { code: 'UnschedulableAndUnresolvable', reasons: [REASON.taint] };
const F_AFFINITY: NodeFailure = { code: 'UnschedulableAndUnresolvable', reasons: [REASON.nodeAffinity] };
const F_PORTS: NodeFailure = { code: 'Unschedulable', reasons: [REASON.ports] };
const F_TOO_MANY_PODS: NodeFailure = { code: 'Unschedulable', reasons: [REASON.tooManyPods] };

/** NodeResourcesFit's filter: every resource the node cannot hold, in Kubernetes' order. */
export function fitsResources(
  pod: PodSchedulingInfo,
  view: NodeView,
  used: UsageView | undefined,
): NodeFailure | undefined {
  const alloc = view.allocatable;
  const r = pod.requests;
  const tooMany = (used?.pods.size ?? 0) + 1 > alloc.pods;
  const scalarNames = pod.scalarNames;
  if (r.cpu === 0 && r.memory === 0 && r.ephemeralStorage === 0 && scalarNames.length === 0)
    return tooMany ? F_TOO_MANY_PODS : undefined;
  const cpu = r.cpu > 0 && r.cpu > alloc.cpu - (used?.cpu ?? 0);
  const memory = r.memory > 0 && r.memory > alloc.memory - (used?.memory ?? 0);
  const storage =
    r.ephemeralStorage > 0 && r.ephemeralStorage > alloc.ephemeralStorage - (used?.ephemeralStorage ?? 0);
  let scalarShort = false;
  for (const name of scalarNames) {
    const want = r.scalar[name]!;
    if (want > 0 && want > (alloc.scalar[name] ?? 0) - (used?.scalar?.get(name) ?? 0)) scalarShort = true;
  }
  if (!tooMany && !cpu && !memory && !storage && !scalarShort) return undefined;
  const reasons: string[] = [];
  let unresolvable = false;
  if (tooMany) reasons.push(REASON.tooManyPods);
  if (cpu) {
    reasons.push(REASON.insufficient('cpu'));
    if (r.cpu > alloc.cpu) unresolvable = true;
  }
  if (memory) {
    reasons.push(REASON.insufficient('memory'));
    if (r.memory > alloc.memory) unresolvable = true;
  }
  if (storage) {
    reasons.push(REASON.insufficient('ephemeral-storage'));
    if (r.ephemeralStorage > alloc.ephemeralStorage) unresolvable = true;
  }
  for (const name of scalarNames) {
    const want = r.scalar[name]!;
    const have = alloc.scalar[name] ?? 0;
    if (want > 0 && want > have - (used?.scalar?.get(name) ?? 0)) {
      reasons.push(REASON.insufficient(name));
      if (want > have) unresolvable = true;
    }
  }
  return { code: unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons };
}

/** Runs the filters on one node: undefined when the pod fits. */
export function filterNode(
  pod: PodSchedulingInfo,
  view: NodeView,
  usage: UsageView | undefined,
  affinity: AffinityState | undefined,
  volumes: VolumeState | undefined,
): NodeFailure | undefined {
  if (view.unschedulable && !tolerates(pod.tolerations, UNSCHEDULABLE_TAINT)) return F_UNSCHEDULABLE;
  if (
    view.blocking.length > 0 &&
    !pod.toleratesAll &&
    firstUntolerated(view.blocking, pod.tolerations) !== undefined
  )
    return F_TAINT;
  if (pod.constrained && !placementMatches(pod.placement, view.labels, view.name)) return F_AFFINITY;
  if (pod.hostPorts.length > 0 && usage !== undefined && usage.ports.length > 0) {
    for (const want of pod.hostPorts)
      for (const held of usage.ports) if (hostPortsConflict(want, held)) return F_PORTS;
  }
  const fit = fitsResources(pod, view, usage);
  if (fit !== undefined) return fit;
  if (volumes !== undefined) {
    const reason = volumeFilter(volumes, view);
    if (reason !== undefined) return { code: 'UnschedulableAndUnresolvable', reasons: [reason] };
  }
  return affinity === undefined ? undefined : affinityFilter(pod, affinity, view);
}
