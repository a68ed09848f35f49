/**
 * One kubelet sync of one pod (`SyncPod` and `generateAPIPodStatus`): from the pod's stored
 * status (and the few things a status cannot say, kept in the pod's record) to the status at the
 * current instant, the events of what happened in between, and the next instant something will
 * happen by itself (a pull ends, a process exits, a probe tick, a back-off ends).
 *
 * - Sandbox: ConfigMap/Secret volumes and claims must be there first (`FailedMount`); then the pod
 *   gets its IP (host-local IPAM on the node's pod CIDR, the node's IP for host-network pods).
 * - Init containers run one after the other, then every container starts, in order (a pull under
 *   way holds the next starts back, as the kubelet's sequential `startContainer` does).
 * - Starting a container: the image (`imagePullPolicy`, pulls shared per node, pull back-off
 *   10 s doubling to 300 s, `InvalidImageName` never retried), its environment
 *   (`CreateContainerConfigError`), then `Created` and `Started`.
 * - A running container exits when its behaviour says so, or when a liveness or startup probe
 *   kills it; it is restarted per `restartPolicy`, at once the first time, then after a back-off
 *   (10 s doubling to 300 s, reset after 10 minutes of running): `CrashLoopBackOff`.
 * - A pod being deleted has its containers stopped (at once, or at the grace deadline for a
 *   process that ignores SIGTERM, exit 137), then the kubelet deletes it with grace 0.
 *
 * Nothing is written when the status is what it was: several changes at one instant make one
 * write, so a pod whose image is on its node goes from bound to Running and Ready in one write.
 *
 * The steps live beside this file: the containers' lives in `pod-sync-containers.ts`, starting one
 * (image, environment) in `pod-sync-start.ts`, a deletion in `pod-sync-termination.ts`, and what they
 * share in `pod-sync-helpers.ts`; `PodSync` holds the sync's state and writes its outcome.
 */

import { cloneJson, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import type { ImageCatalog, NetworkView } from '../images/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import type { BehaviourHost } from './behaviour.js';
import type { NodeCache, NodeInfo, PodIpam, PodRecord, RecordStore, WaitIndex } from './caches.js';
import { syncContainers } from './pod-sync-containers.js';
import { arr, type EventType, obj, type PendingEvent, type Slot, SYNC_MS, str } from './pod-sync-helpers.js';
import { deletePod, terminate } from './pod-sync-termination.js';
import { isSidecar, kubeletConditions, mergeConditions, podPhase, qosClass, sameStatus } from './status.js';

/** What one kubelet keeps across syncs. */
export interface KubeletState {
  readonly catalog: ImageCatalog;
  readonly network: NetworkView;
  readonly nodes: NodeCache;
  readonly ipam: PodIpam;
  readonly records: RecordStore;
  readonly waits: WaitIndex;
  /** Per pod uid: the revision the kubelet last wrote, and when it last synced the pod. */
  readonly memo: Map<string, { rev?: number; seen?: number }>;
  /** The service environment of a namespace now (kept until a service changes). */
  serviceEnv(namespace: string, enableServiceLinks: boolean): Readonly<Record<string, string>>;
}

/** Syncs one pod; `key` is its `namespace/name`. */
export function syncPod(ctx: ControllerContext, state: KubeletState, key: string, pod: KubeObject): void {
  new PodSync(ctx, state, key, pod).run();
}

/**
 * The state of one sync. Its members are read and updated by the steps in the `pod-sync-*.ts`
 * modules, which take the sync as their first argument; the rest stays private.
 */
export class PodSync {
  readonly now: number;
  readonly nowIso: string;
  readonly meta: JsonObject;
  readonly spec: JsonObject;
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly nodeName: string;
  private readonly oldStatus: JsonObject;
  status: JsonObject;
  readonly record: PodRecord;
  private readonly events: PendingEvent[] = [];
  readonly waitKeys: string[] = [];
  readonly startedHere = new Set<string>();
  readonly from: number;
  readonly host: BehaviourHost;
  node!: NodeInfo;
  private progressAt: number | undefined;
  private waitAt: number | undefined;
  initSlots: Slot[] = [];
  mainSlots: Slot[] = [];

  constructor(
    readonly ctx: ControllerContext,
    readonly state: KubeletState,
    readonly key: string,
    readonly pod: KubeObject,
  ) {
    this.now = ctx.now().getTime();
    this.nowIso = rfc3339(new Date(this.now));
    this.meta = obj(pod.metadata);
    this.spec = obj(pod.spec);
    this.uid = str(this.meta.uid);
    this.namespace = str(this.meta.namespace);
    this.name = str(this.meta.name);
    this.nodeName = str(this.spec.nodeName);
    this.oldStatus = obj(pod.status);
    this.status = cloneJson(this.oldStatus);
    this.record = state.records.get(ctx, this.uid);
    this.from = state.memo.get(this.uid)?.seen ?? this.now - 1;
    this.host = { api: ctx.api, catalog: state.catalog, network: state.network };
  }

  run(): void {
    const phase = this.oldStatus.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // A finished pod keeps its status; one being deleted goes once nothing holds it.
      if (this.meta.deletionTimestamp != null && this.meta.deletionGracePeriodSeconds !== 0) deletePod(this);
      return;
    }
    const node = this.state.nodes.get(this.ctx, this.nodeName);
    if (node === undefined) return;
    this.node = node;
    this.buildSlots();
    if (this.meta.deletionTimestamp != null) {
      terminate(this);
      return;
    }
    if (this.status.startTime === undefined) this.status.startTime = this.nowIso;
    if (str(this.status.hostIP) === '' && node.internalIP !== '') {
      this.status.hostIP = node.internalIP;
      this.status.hostIPs = [{ ip: node.internalIP }];
    }
    if (this.status.qosClass === undefined) this.status.qosClass = qosClass(this.spec);
    const sandbox = this.sandbox();
    if (sandbox) syncContainers(this);
    this.finish(sandbox, false);
  }

  // ---------------------------------------------------------------- slots

  private buildSlots(): void {
    const hasInits = arr(this.spec.initContainers).length > 0;
    const slot = (c: JsonObject, init: boolean, statuses: JsonObject[]): Slot => {
      const name = str(c.name);
      const existing = statuses.find((s) => s.name === name);
      return {
        name,
        spec: c,
        init,
        sidecar: init && isSidecar(c),
        fieldPath: `spec.${init ? 'initContainers' : 'containers'}{${name}}`,
        status: existing === undefined ? this.defaultStatus(c, hasInits) : cloneJson(existing),
      };
    };
    const inits = arr(this.oldStatus.initContainerStatuses);
    const mains = arr(this.oldStatus.containerStatuses);
    this.initSlots = arr(this.spec.initContainers).map((c) => slot(c, true, inits));
    this.mainSlots = arr(this.spec.containers).map((c) => slot(c, false, mains));
  }

  /** A container the runtime has not created yet (`ContainerCreating`, or `PodInitializing` with init containers). */
  private defaultStatus(c: JsonObject, hasInits: boolean): JsonObject {
    return {
      image: str(c.image),
      imageID: '',
      lastState: {},
      name: str(c.name),
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: hasInits ? 'PodInitializing' : 'ContainerCreating' } },
    };
  }

  // ---------------------------------------------------------------- sandbox

  /** Volumes, then the pod's IP; false while the sandbox cannot be created. */
  private sandbox(): boolean {
    if (str(this.status.podIP) !== '') return true;
    const blocked = this.missingVolumes();
    if (blocked.length > 0) {
      const messages = blocked.filter((m) => m !== '');
      const summary = messages.join('\n');
      if (this.record.mount !== summary) {
        for (const message of messages) this.podEvent('Warning', 'FailedMount', message);
        this.record.mount = summary;
      }
      return false;
    }
    delete this.record.mount;
    let ip: string | undefined;
    if (this.spec.hostNetwork === true) ip = this.node.internalIP;
    else ip = this.state.ipam.allocate(this.ctx, this.nodeName, this.node.podCIDR, this.uid);
    if (ip === undefined || ip === '') {
      this.podEvent(
        'Warning',
        'FailedCreatePodSandBox',
        `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${this.node.podCIDR}`,
      );
      this.wake(this.now + SYNC_MS, 'wait');
      return false;
    }
    this.status.podIP = ip;
    this.status.podIPs = [{ ip }];
    return true;
  }

  /** FailedMount messages of the volumes that cannot be set up ('' for a claim not bound yet). */
  private missingVolumes(): string[] {
    const out: string[] = [];
    for (const volume of arr(this.spec.volumes)) {
      const name = str(volume.name);
      const check = (kind: 'configmaps' | 'secrets', ref: string, optional: boolean): void => {
        if (optional || this.exists(kind, ref)) return;
        this.waitKeys.push(`${kind}/${this.namespace}/${ref}`);
        const what = kind === 'configmaps' ? 'configmap' : 'secret';
        out.push(`MountVolume.SetUp failed for volume "${name}" : ${what} "${ref}" not found`);
      };
      if (isJsonObject(volume.configMap)) {
        check('configmaps', str(volume.configMap.name), volume.configMap.optional === true);
      } else if (isJsonObject(volume.secret)) {
        check('secrets', str(volume.secret.secretName), volume.secret.optional === true);
      } else if (isJsonObject(volume.persistentVolumeClaim)) {
        const claim = str(volume.persistentVolumeClaim.claimName);
        const pvc = this.read('persistentvolumeclaims', claim);
        if (pvc === undefined || obj(pvc.status).phase !== 'Bound') {
          this.waitKeys.push(`persistentvolumeclaims/${this.namespace}/${claim}`);
          out.push('');
        }
      }
    }
    return out;
  }

  private read(resource: string, name: string): KubeObject | undefined {
    try {
      return this.ctx.api.get(resource, this.namespace, name);
    } catch (error) {
      if (error instanceof ApiError && error.status.code === 404) return undefined;
      throw error;
    }
  }

  private exists(resource: string, name: string): boolean {
    return this.read(resource, name) !== undefined;
  }

  // ---------------------------------------------------------------- output

  /** The pod as the kubelet sees it now (its status being rewritten). */
  view(): KubeObject {
    return { ...this.pod, status: this.status };
  }

  wake(at: number, kind: 'progress' | 'wait'): void {
    if (kind === 'progress') {
      if (this.progressAt === undefined || at < this.progressAt) this.progressAt = at;
    } else if (this.waitAt === undefined || at < this.waitAt) this.waitAt = at;
  }

  event(slot: Slot, type: EventType, reason: string, message: string): void {
    this.events.push({ type, reason, message, fieldPath: slot.fieldPath });
  }

  podEvent(type: EventType, reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }

  recordEvents(pod: KubeObject): void {
    if (this.events.length === 0) return;
    const recorder = this.ctx.recorder('kubelet', this.nodeName);
    for (const e of this.events) recorder.record(pod, e.type, e.reason, e.message, e.fieldPath);
  }

  /** Assembles the status, writes it when it changed, records events, stores the record, schedules wake-ups. */
  finish(sandboxReady: boolean, terminal: boolean): void {
    const status = this.status;
    const initStatuses = this.initSlots.map((s) => s.status);
    const statuses = this.mainSlots.map((s) => s.status).sort((a, b) => (str(a.name) < str(b.name) ? -1 : 1));
    if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
    status.containerStatuses = statuses;
    const phase = podPhase(this.spec, initStatuses, statuses, terminal);
    status.phase = phase;
    const finished = phase === 'Succeeded' || phase === 'Failed';
    const oldConditions = arr(this.oldStatus.conditions);
    const computed = kubeletConditions(
      this.spec,
      oldConditions,
      sandboxReady && !finished,
      initStatuses,
      statuses,
      phase,
    );
    status.conditions = mergeConditions(oldConditions, computed, this.nowIso);
    let pod = this.pod;
    if (!sameStatus(this.oldStatus, status)) {
      pod = this.ctx.api.update({ ...this.pod, status }, { subresource: 'status', fieldManager: 'kubelet' });
      const rev = Number(obj(pod.metadata).resourceVersion);
      this.memo().rev = rev;
    }
    this.recordEvents(pod);
    if (terminal) return;
    this.state.records.set(this.ctx, this.uid, this.record);
    this.state.waits.set(this.key, this.waitKeys);
    this.memo().seen = this.now;
    if (this.progressAt !== undefined) this.ctx.after(this.key, this.progressAt - this.now, 'progress');
    if (this.waitAt !== undefined)
      this.ctx.after(`${this.key}${WAIT_SUFFIX}`, this.waitAt - this.now, 'wait');
  }

  private memo(): { rev?: number; seen?: number } {
    let memo = this.state.memo.get(this.uid);
    if (memo === undefined) {
      memo = {};
      this.state.memo.set(this.uid, memo);
    }
    return memo;
  }
}

/** The suffix of a pod's key for its *wait* wake-ups (a pod can have both kinds pending). */
export const WAIT_SUFFIX = '~wait';
