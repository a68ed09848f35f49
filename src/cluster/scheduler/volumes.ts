/**
 * The VolumeBinding plugin: a pod's claims must exist and not be going away (PreFilter), claims
 * of an `Immediate` class must already be bound (PreFilter), a bound claim's volume must be
 * reachable from the node (its PV `nodeAffinity`), and a `WaitForFirstConsumer` claim must be
 * bindable on the node: an available PV that fits it and the node, or a class that provisions
 * there. Once a node is chosen, a pre-bindable PV gets its `claimRef` (the PV controller completes
 * the binding) and a claim to provision gets `volume.kubernetes.io/selected-node` (the PV
 * controller provisions for that node); the pod is bound when its claims are.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { type JsonObject, listAt, objectAt } from '../api/machinery/json-values.js';
import { getOrUndefined } from '../controllers/shared.js';
import type { KubeObject } from '../store/types.js';
import type { NodeView } from './cache.js';
import { REASON, UNBOUND_IMMEDIATE_CLAIMS } from './messages.js';
import type { PodSchedulingInfo } from './pod-info.js';
import { compileNodeTerm, nodeTermMatches, quantityValue } from './predicates.js';

/** The annotation that tells the PV controller which node a delayed claim is for. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
/** The provisioner of classes that never provision (local volumes). */
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** A claim waiting for its first consumer. */
interface DelayedClaim {
  readonly claim: KubeObject;
  readonly key: string;
  readonly className: string;
  readonly storageClass: KubeObject;
}

/** A pod's volume state for one attempt. */
export interface VolumeState {
  /** A PreFilter rejection: the message (all nodes unresolvable). */
  readonly reject?: string;
  /** A scheduler error (`running PreFilter plugin "VolumeBinding": …`). */
  readonly error?: string;
  /** Store keys whose change may help (`pvc:<ns>/<name>`, `sc:<name>`). */
  readonly waitOn: readonly string[];
  /** Volumes of bound claims (undefined when the PV is missing). */
  readonly boundVolumes: readonly (KubeObject | undefined)[];
  readonly delayed: readonly DelayedClaim[];
  /** Available PVs, looked up only when some claim is delayed. */
  readonly availablePVs: readonly KubeObject[];
}

const nameOf = (o: KubeObject): string => String((o.metadata as JsonObject | undefined)?.name ?? '');

/** Whether a claim is bound to a volume. */
export function claimBound(claim: KubeObject): boolean {
  const volumeName = objectAt(claim, 'spec')?.volumeName;
  return typeof volumeName === 'string' && volumeName !== '';
}

/** The class a claim names ('' for none). */
function claimClass(claim: KubeObject): string {
  const v = objectAt(claim, 'spec')?.storageClassName;
  return typeof v === 'string' ? v : '';
}

/** PreFilter: reads the pod's claims. Undefined when the pod uses none. */
export function prepareVolumes(pod: PodSchedulingInfo, api: ClusterApi): VolumeState | undefined {
  if (pod.claims.length === 0) return undefined;
  const waitOn: string[] = [];
  const boundVolumes: (KubeObject | undefined)[] = [];
  const delayed: DelayedClaim[] = [];
  let immediateUnbound = false;
  const empty = { boundVolumes, delayed, availablePVs: [] };
  for (const c of pod.claims) {
    const key = `${pod.namespace}/${c.name}`;
    const claim = getOrUndefined(api, 'persistentvolumeclaims', pod.namespace, c.name);
    if (claim === undefined) {
      waitOn.push(`pvc:${key}`);
      const reject = c.ephemeral
        ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${c.name}"`
        : `persistentvolumeclaim "${c.name}" not found`;
      return { ...empty, reject, waitOn };
    }
    const meta = (claim.metadata ?? {}) as JsonObject;
    if (objectAt(claim, 'status')?.phase === 'Lost')
      return {
        ...empty,
        reject: `persistentvolumeclaim "${c.name}" bound to non-existent persistentvolume "${String(objectAt(claim, 'spec')?.volumeName ?? '')}"`,
        waitOn: [`pvc:${key}`],
      };
    if (meta.deletionTimestamp != null)
      return {
        ...empty,
        reject: `persistentvolumeclaim "${c.name}" is being deleted`,
        waitOn: [`pvc:${key}`],
      };
    if (claimBound(claim)) {
      const volumeName = String(objectAt(claim, 'spec')?.volumeName);
      boundVolumes.push(getOrUndefined(api, 'persistentvolumes', '', volumeName));
      continue;
    }
    waitOn.push(`pvc:${key}`);
    const className = claimClass(claim);
    if (className === '') {
      immediateUnbound = true;
      continue;
    }
    const storageClass = getOrUndefined(api, 'storageclasses.storage.k8s.io', '', className);
    if (storageClass === undefined) {
      return {
        ...empty,
        error: `running PreFilter plugin "VolumeBinding": storageclass.storage.k8s.io "${className}" not found`,
        waitOn: [...waitOn, `sc:${className}`],
      };
    }
    if (storageClass.volumeBindingMode === 'WaitForFirstConsumer')
      delayed.push({ claim, key, className, storageClass });
    else immediateUnbound = true;
  }
  if (immediateUnbound) return { ...empty, reject: UNBOUND_IMMEDIATE_CLAIMS, waitOn };
  const availablePVs =
    delayed.length === 0
      ? []
      : api.list('persistentvolumes').items.filter((pv) => {
          const spec = objectAt(pv, 'spec');
          return objectAt(pv, 'status')?.phase === 'Available' && objectAt(spec, 'claimRef') === undefined;
        });
  return { boundVolumes, delayed, availablePVs, waitOn };
}

/** Whether a PV's `nodeAffinity` lets the node reach it. */
function volumeReachable(pv: KubeObject, view: NodeView): boolean {
  const required = objectAt(objectAt(objectAt(pv, 'spec'), 'nodeAffinity'), 'required');
  if (required === undefined) return true;
  return listAt(required, 'nodeSelectorTerms').some((t) =>
    nodeTermMatches(compileNodeTerm(t), view.labels, view.name),
  );
}

function accessModesCover(pv: KubeObject, claim: KubeObject): boolean {
  const offered = new Set(listAt(objectAt(pv, 'spec'), 'accessModes').map(String));
  return listAt(objectAt(claim, 'spec'), 'accessModes').every((m) => offered.has(String(m)));
}

/** The smallest available PV that fits a delayed claim on the node, not in `taken`. */
function findVolume(
  d: DelayedClaim,
  pvs: readonly KubeObject[],
  view: NodeView,
  taken: ReadonlySet<string>,
): KubeObject | undefined {
  const claimSpec = objectAt(d.claim, 'spec');
  const wanted = quantityValue(
    'storage',
    objectAt(objectAt(claimSpec, 'resources'), 'requests')?.storage ?? '0',
  );
  const mode = String(claimSpec?.volumeMode ?? 'Filesystem');
  let best: KubeObject | undefined;
  let bestSize = Number.POSITIVE_INFINITY;
  for (const pv of pvs) {
    if (taken.has(nameOf(pv))) continue;
    const spec = objectAt(pv, 'spec');
    if (String(spec?.storageClassName ?? '') !== d.className) continue;
    if (String(spec?.volumeMode ?? 'Filesystem') !== mode) continue;
    const size = quantityValue('storage', objectAt(spec, 'capacity')?.storage ?? '0');
    if (size < wanted || size >= bestSize) continue;
    if (!accessModesCover(pv, d.claim) || !volumeReachable(pv, view)) continue;
    best = pv;
    bestSize = size;
  }
  return best;
}

/** Whether a class may provision a volume reachable from the node (`allowedTopologies`). */
function provisionable(storageClass: KubeObject, view: NodeView): boolean {
  if (String(storageClass.provisioner ?? '') === NO_PROVISIONER) return false;
  const topologies = listAt(storageClass, 'allowedTopologies');
  if (topologies.length === 0) return true;
  return topologies.some((t) =>
    listAt(t, 'matchLabelExpressions').every((e) => {
      const key = String((e as JsonObject).key ?? '');
      const value = view.labels[key];
      return value !== undefined && listAt(e, 'values').map(String).includes(value);
    }),
  );
}

/** The VolumeBinding filter on one node: the reason it fails, or undefined. */
export function volumeFilter(state: VolumeState, view: NodeView): string | undefined {
  for (const pv of state.boundVolumes)
    if (pv !== undefined && !volumeReachable(pv, view)) return REASON.volumeNodeConflict;
  const taken = new Set<string>();
  for (const d of state.delayed) {
    const pv = findVolume(d, state.availablePVs, view, taken);
    if (pv !== undefined) taken.add(nameOf(pv));
    else if (!provisionable(d.storageClass, view)) return REASON.volumeBindConflict;
  }
  return undefined;
}

/** The node a delayed claim was already provisioned for, if any (a previous attempt chose it). */
export function selectedNodeOf(state: VolumeState): string | undefined {
  for (const d of state.delayed) {
    const a = objectAt(d.claim.metadata, 'annotations')?.[SELECTED_NODE_ANNOTATION];
    if (typeof a === 'string' && a !== '') return a;
  }
  return undefined;
}

/**
 * Reserves the delayed claims for the chosen node: pre-binds a fitting PV (its `claimRef`) or
 * asks for provisioning (`volume.kubernetes.io/selected-node`). Returns the claim keys the pod
 * now waits for.
 */
export function bindVolumes(
  state: VolumeState,
  view: NodeView,
  api: ClusterApi,
  fieldManager: string,
): string[] {
  const waiting: string[] = [];
  const taken = new Set<string>();
  for (const d of state.delayed) {
    waiting.push(d.key);
    const meta = (d.claim.metadata ?? {}) as JsonObject;
    const pv = findVolume(d, state.availablePVs, view, taken);
    if (pv !== undefined) {
      taken.add(nameOf(pv));
      const spec = objectAt(pv, 'spec') ?? {};
      const pvMeta = (pv.metadata ?? {}) as JsonObject;
      api.update(
        {
          ...pv,
          metadata: {
            ...pvMeta,
            annotations: {
              ...(objectAt(pvMeta, 'annotations') ?? {}),
              'pv.kubernetes.io/bound-by-controller': 'yes',
            },
          },
          spec: {
            ...spec,
            claimRef: {
              kind: 'PersistentVolumeClaim',
              apiVersion: 'v1',
              namespace: meta.namespace,
              name: meta.name,
              uid: meta.uid,
              resourceVersion: meta.resourceVersion,
            },
          },
        },
        { fieldManager },
      );
      continue;
    }
    const annotations = objectAt(meta, 'annotations') ?? {};
    if (annotations[SELECTED_NODE_ANNOTATION] === view.name) continue;
    api.update(
      {
        ...d.claim,
        metadata: { ...meta, annotations: { ...annotations, [SELECTED_NODE_ANNOTATION]: view.name } },
      },
      { fieldManager },
    );
  }
  return waiting;
}
