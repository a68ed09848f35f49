/**
 * How a Deployment moves pods between its ReplicaSets: proportional scaling mid-rollout
 * (`sync.go` `scale`), RollingUpdate (`rolling.go`: the new ReplicaSet grows within replicas +
 * maxSurge, old ones shrink, unavailable pods first, while replicas − maxUnavailable stay
 * available) and Recreate (`recreate.go`: old ReplicaSets to 0, then, once no old pod is left,
 * the new one up).
 */

import { labelSelectorFromObject } from '../api/machinery/label-selector.js';
import type { KubeObject } from '../store/types.js';
import { deploymentComplete } from './deployment-conditions.js';
import { syncRolloutStatus } from './deployment-progress.js';
import { cleanup, newAndOld } from './deployment-revisions.js';
import { type Sync, scaleAndRecord, scaleReplicaSet } from './deployment-sync.js';
import {
  activeReplicaSets,
  byCreation,
  findActiveOrLatest,
  isRollingUpdate,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  replicaSetProportion,
  replicasOf,
  specReplicaSum,
  statusCount,
  statusSum,
} from './deployment-util.js';
import { controllerOf, namespaceOf, specOf, statusOf, uidOf } from './shared.js';

/** `scale`: brings the active ReplicaSets to the Deployment's size. */
export function scale(
  s: Sync,
  newRS: KubeObject | undefined,
  old: KubeObject[],
): { newRS: KubeObject | undefined; old: KubeObject[] } {
  const d = s.d;
  const replace = (from: KubeObject, to: KubeObject) => {
    if (from === newRS) newRS = to;
    else old = old.map((rs) => (rs === from ? to : rs));
  };
  const only = findActiveOrLatest(newRS, old);
  if (only !== undefined) {
    if (replicasOf(only) !== replicasOf(d)) replace(only, scaleAndRecord(s, only, replicasOf(d)));
    return { newRS, old };
  }
  if (isSaturated(d, newRS)) {
    for (const rs of activeReplicaSets(old)) replace(rs, scaleAndRecord(s, rs, 0));
    return { newRS, old };
  }
  if (!isRollingUpdate(d)) return { newRS, old };
  const active = activeReplicaSets([...old, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaSum(active);
  let operation = '';
  if (toAdd > 0) {
    // Larger first; newer first among equals when scaling up.
    active.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(b, a));
    operation = 'up';
  } else if (toAdd < 0) {
    // Larger first; older first among equals when scaling down.
    active.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(a, b));
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<KubeObject, number>();
  for (const rs of active) {
    if (toAdd !== 0) {
      const proportion = replicaSetProportion(d, rs, toAdd, added);
      sizes.set(rs, replicasOf(rs) + proportion);
      added += proportion;
    } else sizes.set(rs, replicasOf(rs));
  }
  active.forEach((rs, i) => {
    let size = sizes.get(rs)!;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + (toAdd - added));
    replace(rs, scaleReplicaSet(s, rs, size, operation));
  });
  return { newRS, old };
}

/** `rolloutRolling`. */
export function rolloutRolling(s: Sync, rsList: readonly KubeObject[]): void {
  const got = newAndOld(s, rsList, true);
  let newRS = got.newRS!;
  let old = got.old;
  const all = () => [...old, newRS];
  // Scale up, if we can.
  if (replicasOf(newRS) !== replicasOf(s.d)) {
    const target =
      replicasOf(newRS) > replicasOf(s.d) ? replicasOf(s.d) : newRSNewReplicas(s.d, all(), newRS);
    const scaled = scaleAndRecord(s, newRS, target);
    if (scaled !== newRS) {
      newRS = scaled;
      syncRolloutStatus(s, all(), newRS);
      return;
    }
  }
  // Scale down, if we can.
  const down = reconcileOldReplicaSets(s, old, newRS);
  if (down.scaled > 0) {
    old = down.old;
    syncRolloutStatus(s, all(), newRS);
    return;
  }
  if (deploymentComplete(s.d, statusOf(s.d))) cleanup(s, old);
  syncRolloutStatus(s, all(), newRS);
}

/** `reconcileOldReplicaSets`: unhealthy old replicas first, then as availability allows. */
export function reconcileOldReplicaSets(
  s: Sync,
  oldIn: KubeObject[],
  newRS: KubeObject,
): { old: KubeObject[]; scaled: number } {
  let old = oldIn;
  const active = () => activeReplicaSets(old);
  if (specReplicaSum(active()) === 0) return { old, scaled: 0 };
  const allPods = specReplicaSum([...old, newRS]);
  const minAvailable = replicasOf(s.d) - maxUnavailable(s.d);
  const newUnavailable = replicasOf(newRS) - statusCount(newRS, 'availableReplicas');
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { old, scaled: 0 };
  const replace = (from: KubeObject, to: KubeObject) => {
    old = old.map((rs) => (rs === from ? to : rs));
  };
  // cleanupUnhealthyReplicas: scaling down unavailable pods never lowers availability.
  let cleaned = 0;
  for (const rs of active().sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const replicas = replicasOf(rs);
    const available = statusCount(rs, 'availableReplicas');
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxScaledDown - cleaned, replicas - available);
    replace(rs, scaleAndRecord(s, rs, replicas - count));
    cleaned += count;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: as far as availability allows.
  let scaledDown = 0;
  const availableNow = statusSum([...old, newRS], 'availableReplicas');
  if (availableNow > minAvailable) {
    const budget = availableNow - minAvailable;
    for (const rs of active().sort(byCreation)) {
      if (scaledDown >= budget) break;
      const replicas = replicasOf(rs);
      if (replicas === 0) continue;
      const count = Math.min(replicas, budget - scaledDown);
      replace(rs, scaleAndRecord(s, rs, replicas - count));
      scaledDown += count;
    }
  }
  return { old, scaled: cleaned + scaledDown };
}

/** `rolloutRecreate`: old ReplicaSets to 0, wait for their pods to go, then the new one up. */
export function rolloutRecreate(
  s: Sync,
  rsList: readonly KubeObject[],
  key: string,
  recreateWaiting: Map<string, Set<string>>,
): void {
  const got = newAndOld(s, rsList, false);
  let newRS = got.newRS;
  let old = got.old;
  const all = () => [...old, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  for (const rs of activeReplicaSets(old)) {
    const scaled = scaleAndRecord(s, rs, 0);
    if (scaled !== rs) {
      old = old.map((o) => (o === rs ? scaled : o));
      scaledDown = true;
    }
  }
  const namespace = namespaceOf(s.d);
  if (scaledDown || oldPodsRunning(s, newRS, old)) {
    let waiting = recreateWaiting.get(namespace);
    if (waiting === undefined) recreateWaiting.set(namespace, (waiting = new Set()));
    waiting.add(key);
    syncRolloutStatus(s, all(), newRS);
    return;
  }
  const waiting = recreateWaiting.get(namespace);
  if (waiting?.delete(key) && waiting.size === 0) recreateWaiting.delete(namespace);
  if (newRS === undefined) {
    const created = newAndOld(s, rsList, true);
    newRS = created.newRS;
    old = created.old;
  }
  if (newRS !== undefined) newRS = scaleAndRecord(s, newRS, replicasOf(s.d));
  if (deploymentComplete(s.d, statusOf(s.d))) cleanup(s, old);
  syncRolloutStatus(s, all(), newRS);
}

/** `oldPodsRunning`: an old ReplicaSet still reports pods, or a pod of one has not finished. */
export function oldPodsRunning(s: Sync, newRS: KubeObject | undefined, old: readonly KubeObject[]): boolean {
  if (statusSum(old, 'replicas') > 0) return true;
  const oldUids = new Set(old.map(uidOf));
  if (oldUids.size === 0) return false;
  const pods = s.ctx.api.list('pods', {
    namespace: namespaceOf(s.d),
    labelSelector: labelSelectorFromObject(specOf(s.d).selector),
  }).items;
  const newUid = newRS === undefined ? '' : uidOf(newRS);
  return pods.some((pod) => {
    const ref = controllerOf(pod);
    if (ref === undefined || ref.uid === newUid || !oldUids.has(String(ref.uid))) return false;
    const phase = statusOf(pod).phase;
    return phase !== 'Succeeded' && phase !== 'Failed';
  });
}
