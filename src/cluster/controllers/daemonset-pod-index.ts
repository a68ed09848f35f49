/**
 * The DaemonSet controller's index of pods, kept from watch events so a sync never lists pods: a
 * lean entry per daemon pod (by its controller's uid) and per orphan (by namespace, as a
 * DaemonSet may adopt it); pods other controllers own are left out.
 */

import type { KubeObject } from '../store/types.js';
import { type DaemonPod, daemonPodOf } from './daemonset-pods.js';
import { controllerOf } from './shared.js';

/** The entry of a pod the controller cares about (a DaemonSet's, or an orphan), else undefined. */
export function daemonEntryOf(pod: KubeObject): DaemonPod | undefined {
  const ref = controllerOf(pod);
  if (ref === undefined) return daemonPodOf(pod, '');
  if (ref.kind !== 'DaemonSet') return undefined;
  return daemonPodOf(pod, String(ref.uid ?? ''));
}

/** Daemon pods and orphans by `<namespace>/<name>`, indexed by owner uid and by namespace. */
export class DaemonPodIndex {
  private readonly pods = new Map<string, DaemonPod>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly orphans = new Map<string, Set<string>>();

  clear(): void {
    this.pods.clear();
    this.byOwner.clear();
    this.orphans.clear();
  }

  get(key: string): DaemonPod | undefined {
    return this.pods.get(key);
  }

  /** The keys of the pods a DaemonSet controls (a copy: syncing may change the index). */
  ownedBy(uid: string): string[] {
    return [...(this.byOwner.get(uid) ?? [])];
  }

  /** The keys of the orphans in a namespace (a copy: adopting them changes the index). */
  orphansIn(namespace: string): string[] {
    return [...(this.orphans.get(namespace) ?? [])];
  }

  /** Replaces (or, with undefined, removes) a pod's entry. */
  set(key: string, entry: DaemonPod | undefined): void {
    const before = this.pods.get(key);
    if (before !== undefined) {
      const index = before.owner === '' ? this.orphans.get(before.namespace) : this.byOwner.get(before.owner);
      index?.delete(key);
      if (index?.size === 0) {
        if (before.owner === '') this.orphans.delete(before.namespace);
        else this.byOwner.delete(before.owner);
      }
      this.pods.delete(key);
    }
    if (entry === undefined) return;
    this.pods.set(key, entry);
    const map = entry.owner === '' ? this.orphans : this.byOwner;
    const id = entry.owner === '' ? entry.namespace : entry.owner;
    let set = map.get(id);
    if (set === undefined) map.set(id, (set = new Set()));
    set.add(key);
  }
}
