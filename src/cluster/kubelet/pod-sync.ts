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
 */

import { createHash } from 'node:crypto';
import { defaultPullPolicy } from '../api/kinds/defaults-pod.js';
import { cloneJson, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import { referenceError } from '../images/reference.js';
import type { CatalogImage, ImageCatalog, ImageReference, NetworkView } from '../images/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { type BehaviourHost, OPAQUE_BEHAVIOUR, processOf } from './behaviour.js';
import {
  type NodeCache,
  type NodeInfo,
  type PodIpam,
  type PodRecord,
  pullsKey,
  type RecordStore,
  type WaitIndex,
} from './caches.js';
import { envSources, resolveContainerEnv } from './env.js';
import { probesOf, probeTitle, runProbe, walkProbes } from './probes.js';
import {
  formatPod,
  goDuration,
  isSidecar,
  kubeletConditions,
  mergeConditions,
  podPhase,
  qosClass,
  sameStatus,
} from './status.js';

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const arr = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The kubelet's pod worker resyncs a pod that failed this long after (`backOffPeriod`). */
const SYNC_MS = 10_000;
/** The first back-off (pull and restart). */
const BACKOFF_INITIAL_MS = 10_000;
/** The longest back-off. */
const BACKOFF_MAX_MS = 300_000;
/** A back-off entry not touched for twice the longest back-off starts over. */
const BACKOFF_RESET_MS = 2 * BACKOFF_MAX_MS;
/** Exit code of a process stopped by SIGTERM, and by SIGKILL. */
const SIGTERM_EXIT = 143;
const SIGKILL_EXIT = 137;
/** The default termination grace period. */
const DEFAULT_GRACE_S = 30;

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

type EventType = 'Normal' | 'Warning';
interface PendingEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly fieldPath?: string;
}

/** A container of the pod being synced, with its status as it is being rewritten. */
interface Slot {
  readonly name: string;
  readonly spec: JsonObject;
  readonly init: boolean;
  readonly sidecar: boolean;
  readonly fieldPath: string;
  status: JsonObject;
}

/** How a container stands after its sync. */
type SlotOutcome = 'running' | 'started' | 'done' | 'stopped' | 'waiting' | 'pulling';

/** 64 hex digits from the cluster's generator (a container id). */
function hex64(ctx: ControllerContext): string {
  return ctx.draw((random) => {
    let out = '';
    for (let i = 0; i < 8; i++) out += random.nextUint32().toString(16).padStart(8, '0');
    return out;
  });
}

/** How long a registry check of an image the node has takes (a stable 200–999 ms per container). */
function quickPullMs(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return 200 + (h % 800);
}

/** The `imageID` the runtime reports: `docker.io/library/nginx@sha256:…`. */
function imageIdOf(image: CatalogImage): string {
  const ref = image.reference;
  return `${ref.registry}/${ref.repository}@${image.digest}`;
}

/** Syncs one pod; `key` is its `namespace/name`. */
export function syncPod(ctx: ControllerContext, state: KubeletState, key: string, pod: KubeObject): void {
  new PodSync(ctx, state, key, pod).run();
}

class PodSync {
  private readonly now: number;
  private readonly nowIso: string;
  private readonly meta: JsonObject;
  private readonly spec: JsonObject;
  private readonly uid: string;
  private readonly namespace: string;
  private readonly name: string;
  private readonly nodeName: string;
  private readonly oldStatus: JsonObject;
  private status: JsonObject;
  private readonly record: PodRecord;
  private readonly events: PendingEvent[] = [];
  private readonly waitKeys: string[] = [];
  private readonly startedHere = new Set<string>();
  private readonly from: number;
  private readonly host: BehaviourHost;
  private node!: NodeInfo;
  private progressAt: number | undefined;
  private waitAt: number | undefined;
  private initSlots: Slot[] = [];
  private mainSlots: Slot[] = [];

  constructor(
    private readonly ctx: ControllerContext,
    private readonly state: KubeletState,
    private readonly key: string,
    private readonly pod: KubeObject,
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
      if (this.meta.deletionTimestamp != null && this.meta.deletionGracePeriodSeconds !== 0) this.deletePod();
      return;
    }
    const node = this.state.nodes.get(this.ctx, this.nodeName);
    if (node === undefined) return;
    this.node = node;
    this.buildSlots();
    if (this.meta.deletionTimestamp != null) {
      this.terminate();
      return;
    }
    if (this.status.startTime === undefined) this.status.startTime = this.nowIso;
    if (str(this.status.hostIP) === '' && node.internalIP !== '') {
      this.status.hostIP = node.internalIP;
      this.status.hostIPs = [{ ip: node.internalIP }];
    }
    if (this.status.qosClass === undefined) this.status.qosClass = qosClass(this.spec);
    const sandbox = this.sandbox();
    if (sandbox) this.syncContainers();
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

  // ---------------------------------------------------------------- containers

  private syncContainers(): void {
    const regularStarted = this.mainSlots.some((s) => this.hasRun(s));
    let blocked = false;
    let initFailed = false;
    for (const slot of this.initSlots) {
      if (blocked) continue;
      const outcome = this.syncSlot(slot, true);
      if (slot.sidecar) {
        if (outcome !== 'started') blocked = true;
      } else if (outcome !== 'done') {
        blocked = true;
        if (outcome === 'stopped') initFailed = true;
      }
    }
    if ((blocked && !regularStarted) || initFailed) return;
    let pulling = false;
    for (const slot of this.mainSlots) {
      if (this.syncSlot(slot, !pulling) === 'pulling') pulling = true;
    }
  }

  private hasRun(slot: Slot): boolean {
    const state = obj(slot.status.state);
    return (
      isJsonObject(state.running) ||
      isJsonObject(state.terminated) ||
      isJsonObject(obj(slot.status.lastState).terminated)
    );
  }

  /** Brings one container to now. */
  private syncSlot(slot: Slot, canStart: boolean): SlotOutcome {
    for (let guard = 0; guard < 16; guard++) {
      const state = obj(slot.status.state);
      if (isJsonObject(state.running)) {
        if (canStart && this.definitionChanged(slot)) {
          // A new image: the kubelet kills the container and starts it again, whatever the policy.
          this.event(
            slot,
            'Normal',
            'Killing',
            `Container ${slot.name} definition changed, will be restarted`,
          );
          const start = Date.parse(str(obj(state.running).startedAt));
          const process = processOf(this.host, this.view(), slot.name, str(slot.status.containerID), start);
          const code = process?.behaviour.ignoresSigterm ? SIGKILL_EXIT : SIGTERM_EXIT;
          this.terminated(slot, code, 'Error', this.now);
          slot.status.lastState = { terminated: obj(slot.status.state).terminated };
          slot.status.state = { waiting: { reason: 'ContainerCreating' } };
        } else {
          const outcome = this.running(slot);
          if (outcome !== 'ended') return outcome;
          continue;
        }
      }
      if (isJsonObject(obj(slot.status.state).terminated)) {
        const outcome = this.afterExit(slot);
        if (outcome !== 'restart') return outcome;
      } else if (obj(obj(slot.status.state).waiting).reason === 'CrashLoopBackOff') {
        if (this.backOff(slot) !== 'restart') return 'waiting';
      }
      if (!canStart) return 'waiting';
      const started = this.start(slot);
      if (started !== 'started') return started;
    }
    return 'waiting';
  }

  /** Whether a running container's image is no longer the one its spec names. */
  private definitionChanged(slot: Slot): boolean {
    const catalog = this.state.catalog;
    const running = catalog.parse(str(slot.status.image))?.canonical ?? str(slot.status.image);
    const wanted = catalog.parse(str(slot.spec.image))?.canonical ?? str(slot.spec.image);
    return running !== '' && running !== wanted;
  }

  /** A running container: exits, probe kills, and its started and ready flags now. */
  private running(slot: Slot): 'running' | 'started' | 'ended' {
    const running = obj(obj(slot.status.state).running);
    const start = Date.parse(str(running.startedAt));
    const containerID = str(slot.status.containerID);
    const process = processOf(this.host, this.view(), slot.name, containerID, start);
    // A container that runs did start, whatever the catalog says of its command now.
    const behaviour =
      process === undefined || process.behaviour.startError !== undefined
        ? OPAQUE_BEHAVIOUR
        : process.behaviour;
    const exitAt = behaviour.exit === undefined ? undefined : start + Math.max(0, behaviour.exit.afterMs);
    const regularInit = slot.init && !slot.sidecar;
    const probes = regularInit ? [] : probesOf(slot.spec);
    let started = true;
    let ready = true;
    let stopAt = exitAt;
    let stop: { code: number; reason: string } | undefined;
    if (probes.length > 0 && process !== undefined) {
      const from = this.startedHere.has(slot.name) ? Number.NEGATIVE_INFINITY : this.from;
      const ports = arr(slot.spec.ports);
      const podIP = str(this.status.podIP);
      const walk = walkProbes({
        start,
        up: start + Math.max(0, behaviour.startupMs),
        ...(exitAt === undefined ? {} : { end: exitAt }),
        now: this.now,
        from,
        probes,
        outcome: (probe, up) => runProbe(probe, { ...process, behaviour }, podIP, up, ports, this.now),
      });
      started = walk.started;
      ready = walk.ready;
      for (const f of walk.failures) {
        this.event(slot, 'Warning', 'Unhealthy', `${probeTitle(f.kind)} probe failed: ${f.message}`);
      }
      if (walk.next !== undefined) this.wake(walk.next, 'progress');
      if (walk.kill !== undefined) {
        const kill = walk.kill;
        if (kill.at > from) {
          this.event(
            slot,
            'Normal',
            'Killing',
            `Container ${slot.name} failed ${kill.kind} probe, will be restarted`,
          );
        }
        const probe = probes.find((p) => p.kind === kill.kind);
        const grace = probe?.spec.terminationGracePeriodSeconds ?? this.spec.terminationGracePeriodSeconds;
        const graceMs = (typeof grace === 'number' ? grace : DEFAULT_GRACE_S) * 1000;
        const killStop = behaviour.ignoresSigterm ? kill.at + graceMs : kill.at;
        if (stopAt === undefined || killStop < stopAt) {
          stopAt = killStop;
          stop = { code: behaviour.ignoresSigterm ? SIGKILL_EXIT : SIGTERM_EXIT, reason: 'Error' };
        }
      }
    }
    if (stopAt !== undefined && stopAt <= this.now) {
      const code = stop?.code ?? behaviour.exit?.code ?? 0;
      const reason = stop?.reason ?? behaviour.exit?.reason ?? (code === 0 ? 'Completed' : 'Error');
      this.terminated(slot, code, reason, stopAt);
      return 'ended';
    }
    if (stopAt !== undefined) this.wake(stopAt, 'progress');
    slot.status.started = regularInit ? true : started;
    slot.status.ready = regularInit ? false : started && ready;
    return started ? 'started' : 'running';
  }

  /** The container's process ended at `at`. */
  private terminated(slot: Slot, exitCode: number, reason: string, at: number): void {
    const running = obj(obj(slot.status.state).running);
    slot.status.state = {
      terminated: {
        containerID: str(slot.status.containerID),
        exitCode,
        finishedAt: rfc3339(new Date(at)),
        reason,
        startedAt: str(running.startedAt),
      },
    };
    slot.status.ready = slot.init && !slot.sidecar && exitCode === 0;
    slot.status.started = false;
  }

  private restartPolicy(slot: Slot): string {
    return slot.sidecar ? 'Always' : str(this.spec.restartPolicy) || 'Always';
  }

  /** Restarts of `Always` pods wait for time to pass; those of `OnFailure` pods (Jobs) happen by themselves. */
  private restartWake(slot: Slot, at: number): void {
    this.wake(at, this.restartPolicy(slot) === 'Always' ? 'wait' : 'progress');
  }

  /** A terminated container: done, or restarted (at once, or after its back-off). */
  private afterExit(slot: Slot): 'done' | 'stopped' | 'waiting' | 'restart' {
    const terminated = obj(obj(slot.status.state).terminated);
    const exitCode = typeof terminated.exitCode === 'number' ? terminated.exitCode : 0;
    const policy = this.restartPolicy(slot);
    let restart: boolean;
    if (slot.init && !slot.sidecar) {
      if (exitCode === 0) return 'done';
      restart = policy !== 'Never';
    } else {
      restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    }
    if (!restart) return exitCode === 0 ? 'done' : 'stopped';
    const finished = Date.parse(str(terminated.finishedAt));
    const crash = (this.record.crash ??= {});
    const entry = crash[slot.name];
    if (entry !== undefined && !(finished - entry[1] > BACKOFF_RESET_MS) && this.now - finished < entry[0]) {
      slot.status.lastState = { terminated };
      const message = `back-off ${goDuration(entry[0])} restarting failed container=${slot.name} pod=${formatPod(this.pod)}`;
      slot.status.state = { waiting: { message, reason: 'CrashLoopBackOff' } };
      slot.status.ready = false;
      slot.status.started = false;
      this.event(
        slot,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${slot.name} in pod ${formatPod(this.pod)}`,
      );
      this.restartWake(slot, finished + entry[0]);
      return 'waiting';
    }
    crash[slot.name] =
      entry === undefined || finished - entry[1] > BACKOFF_RESET_MS
        ? [BACKOFF_INITIAL_MS, this.now]
        : [Math.min(entry[0] * 2, BACKOFF_MAX_MS), this.now];
    slot.status.lastState = { terminated };
    slot.status.state = { waiting: { reason: 'ContainerCreating' } };
    slot.status.ready = false;
    slot.status.started = false;
    return 'restart';
  }

  /** A container in `CrashLoopBackOff`: still waiting, or its back-off is over. */
  private backOff(slot: Slot): 'waiting' | 'restart' {
    const terminated = obj(obj(slot.status.lastState).terminated);
    const finished = Date.parse(str(terminated.finishedAt));
    const crash = (this.record.crash ??= {});
    const entry = crash[slot.name] ?? [BACKOFF_INITIAL_MS, finished];
    if (this.now - finished < entry[0]) {
      this.restartWake(slot, finished + entry[0]);
      return 'waiting';
    }
    crash[slot.name] = [Math.min(entry[0] * 2, BACKOFF_MAX_MS), this.now];
    slot.status.state = { waiting: { reason: 'ContainerCreating' } };
    return 'restart';
  }

  /** Starts a container: image, environment, create, start. */
  private start(slot: Slot): 'started' | 'pulling' | 'waiting' {
    const image = this.ensureImage(slot);
    if (image === 'pulling') return 'pulling';
    if (image === 'failed') return 'waiting';
    const env = resolveContainerEnv(this.ctx.api, this.view(), slot.name, {
      allocatable: this.node.allocatable,
      serviceEnv: (namespace, links) => this.state.serviceEnv(namespace, links),
    });
    if (!env.ok) {
      for (const s of envSources(slot.spec)) this.waitKeys.push(`${s.kind}/${this.namespace}/${s.name}`);
      this.setWaiting(slot, 'CreateContainerConfigError', env.message, false, [
        ['Warning', 'Failed', `Error: ${env.message}`],
      ]);
      return 'waiting';
    }
    for (const w of env.warnings ?? []) this.podEvent('Warning', w.reason, w.message);
    const containerID = `containerd://${hex64(this.ctx)}`;
    const restart = str(slot.status.containerID) !== '';
    const restartCount =
      (typeof slot.status.restartCount === 'number' ? slot.status.restartCount : 0) + (restart ? 1 : 0);
    const lastState = isJsonObject(slot.status.lastState) ? slot.status.lastState : {};
    slot.status = {
      containerID,
      image: image.reference.canonical,
      imageID: imageIdOf(image),
      lastState,
      name: slot.name,
      ready: false,
      restartCount,
      started: false,
      state: { running: { startedAt: this.nowIso } },
    };
    this.startedHere.add(slot.name);
    // The process starts with this environment (and the network of this moment).
    const process = processOf(
      this.host,
      this.view(),
      slot.name,
      containerID,
      Date.parse(this.nowIso),
      env.env,
    );
    this.event(slot, 'Normal', 'Created', `Created container: ${slot.name}`);
    const startError = process?.behaviour.startError;
    if (startError !== undefined) {
      this.event(slot, 'Warning', 'Failed', `Error: ${startError}`);
      slot.status.state = {
        terminated: {
          containerID,
          exitCode: 128,
          finishedAt: this.nowIso,
          message: startError,
          reason: 'StartError',
          startedAt: '1970-01-01T00:00:00Z',
        },
      };
      return 'started';
    }
    this.event(slot, 'Normal', 'Started', `Started container ${slot.name}`);
    return 'started';
  }

  /** `EnsureImageExists`: the image, or why the container cannot start yet. */
  private ensureImage(slot: Slot): CatalogImage | 'pulling' | 'failed' {
    const raw = str(slot.spec.image);
    const policy = str(slot.spec.imagePullPolicy) || defaultPullPolicy(raw);
    const catalog = this.state.catalog;
    const ref = catalog.parse(raw);
    if (ref === undefined) {
      const why = referenceError(raw) ?? 'invalid reference format';
      const message = `Failed to apply default image tag "${raw}": couldn't parse image name "${raw}": ${why}`;
      this.setWaiting(slot, 'InvalidImageName', message, false, [
        ['Warning', 'InspectFailed', message],
        ['Warning', 'Failed', 'Error: InvalidImageName'],
      ]);
      return 'failed';
    }
    const present = this.node.images.has(ref.canonical) || this.node.images.has(raw);
    const pull = this.record.pull?.[slot.name];
    if (pull !== undefined) {
      const [requested, done] = pull;
      if (this.now < done) {
        this.wake(done, 'progress');
        return 'pulling';
      }
      return this.pulled(slot, raw, ref, requested, done);
    }
    const failed = this.record.pullFail?.[slot.name];
    if (failed !== undefined && this.now < failed[0] + failed[1]) {
      const [at, backoff] = failed;
      if (backoff <= SYNC_MS) {
        this.wake(at + backoff, 'wait');
      } else if (this.now < at + SYNC_MS) {
        this.wake(at + SYNC_MS, 'progress');
      } else {
        const message = `Back-off pulling image "${raw}"`;
        this.setWaiting(slot, 'ImagePullBackOff', message, false, [
          ['Normal', 'BackOff', message],
          ['Warning', 'Failed', 'Error: ImagePullBackOff'],
        ]);
        this.wake(at + backoff, 'wait');
      }
      return 'failed';
    }
    if (policy === 'Never' && !present) {
      const message = `Container image "${raw}" is not present with pull policy of Never`;
      this.waitKeys.push(`nodes/${this.nodeName}`);
      this.setWaiting(slot, 'ErrImageNeverPull', message, false, [
        ['Warning', 'ErrImageNeverPull', message],
        ['Warning', 'Failed', 'Error: ErrImageNeverPull'],
      ]);
      return 'failed';
    }
    if (present && policy !== 'Always') {
      this.event(slot, 'Normal', 'Pulled', `Container image "${raw}" already present on machine`);
      return this.imageOf(raw, ref);
    }
    const outcome = catalog.pull(raw);
    if (!outcome.ok && outcome.reason === 'InvalidImageName') {
      this.setWaiting(slot, 'InvalidImageName', outcome.message, false, [
        ['Warning', 'InspectFailed', outcome.message],
        ['Warning', 'Failed', 'Error: InvalidImageName'],
      ]);
      return 'failed';
    }
    this.event(slot, 'Normal', 'Pulling', `Pulling image "${raw}"`);
    if (!outcome.ok) {
      const pullFail = (this.record.pullFail ??= {});
      const previous = pullFail[slot.name];
      const backoff =
        previous === undefined || this.now - previous[0] > BACKOFF_RESET_MS
          ? BACKOFF_INITIAL_MS
          : Math.min(previous[1] * 2, BACKOFF_MAX_MS);
      pullFail[slot.name] = [this.now, backoff];
      // The runtime's gRPC error, as the kubelet passes it on (`rpc error: code = NotFound desc = …`).
      const message = outcome.message.startsWith('rpc error:')
        ? outcome.message
        : `rpc error: code = ${outcome.code ?? 'Unknown'} desc = ${outcome.message}`;
      const failure = `Failed to pull image "${raw}": ${message}`;
      this.setWaiting(slot, 'ErrImagePull', message, true, [
        ['Warning', 'Failed', failure],
        ['Warning', 'Failed', 'Error: ErrImagePull'],
      ]);
      this.wake(this.now + SYNC_MS, backoff <= SYNC_MS ? 'wait' : 'progress');
      return 'failed';
    }
    if (this.record.pullFail !== undefined) delete this.record.pullFail[slot.name];
    const image = outcome.image;
    if (present) {
      // `Always` with the image on the node: the registry only confirms the digest.
      const took = goDuration(quickPullMs(`${this.uid}/${slot.name}/${str(slot.status.containerID)}`));
      this.event(
        slot,
        'Normal',
        'Pulled',
        `Successfully pulled image "${raw}" in ${took} (${took} including waiting). Image size: ${image.sizeBytes} bytes.`,
      );
      return image;
    }
    // One pull per image and node: a pod needing an image being pulled waits for that pull.
    const pulls = obj(this.ctx.meta.get(pullsKey(this.nodeName)));
    const shared = pulls[ref.canonical];
    let done: number;
    if (typeof shared === 'number') done = shared;
    else {
      done = this.now + Math.max(0, image.pullMs);
      this.ctx.meta.set(pullsKey(this.nodeName), { ...pulls, [ref.canonical]: done });
    }
    if (done <= this.now) return this.pulled(slot, raw, ref, this.now, this.now);
    (this.record.pull ??= {})[slot.name] = [this.now, done];
    this.wake(done, 'progress');
    return 'pulling';
  }

  /** A pull ended: the node has the image. */
  private pulled(
    slot: Slot,
    raw: string,
    ref: ImageReference,
    requested: number,
    done: number,
  ): CatalogImage {
    if (this.record.pull !== undefined) delete this.record.pull[slot.name];
    const image = this.imageOf(raw, ref);
    this.addNodeImage(image);
    const pulls = obj(this.ctx.meta.get(pullsKey(this.nodeName)));
    if (pulls[ref.canonical] !== undefined) {
      const { [ref.canonical]: _, ...rest } = pulls;
      this.ctx.meta.set(pullsKey(this.nodeName), Object.keys(rest).length > 0 ? rest : undefined);
    }
    const took = goDuration(done - requested);
    this.event(
      slot,
      'Normal',
      'Pulled',
      `Successfully pulled image "${raw}" in ${took} (${took} including waiting). Image size: ${image.sizeBytes} bytes.`,
    );
    return image;
  }

  /** The catalog's image, or (an image the node has that the catalog does not know) a stand-in. */
  private imageOf(raw: string, ref: ImageReference): CatalogImage {
    const outcome = this.state.catalog.pull(raw);
    if (outcome.ok) return outcome.image;
    return {
      reference: ref,
      digest: `sha256:${createHash('sha256').update(ref.canonical).digest('hex')}`,
      sizeBytes: 0,
      pullMs: 0,
      entry: ref.canonical,
    };
  }

  /** Reports an image in the node's `status.images` (names: repo digest and tag, as containerd lists them). */
  private addNodeImage(image: CatalogImage): void {
    const canonical = image.reference.canonical;
    if (this.node.images.has(canonical)) return;
    const node = this.ctx.api.get('nodes', '', this.nodeName);
    const status = obj(node.status);
    const images = arr(status.images);
    if (images.some((i) => Array.isArray(i.names) && i.names.includes(canonical))) return;
    const updated = this.ctx.api.update(
      {
        ...node,
        status: {
          ...status,
          images: [...images, { names: [imageIdOf(image), canonical], sizeBytes: image.sizeBytes }],
        },
      },
      { subresource: 'status', fieldManager: 'kubelet' },
    );
    this.state.nodes.observe('MODIFIED', updated);
    const fresh = this.state.nodes.get(this.ctx, this.nodeName);
    if (fresh !== undefined) this.node = fresh;
  }

  /** Puts a container in a waiting state; its events are recorded when it enters it (or always, with `force`). */
  private setWaiting(
    slot: Slot,
    reason: string,
    message: string,
    force: boolean,
    events: readonly [EventType, string, string][],
  ): void {
    const waiting = obj(obj(slot.status.state).waiting);
    const same = waiting.reason === reason && waiting.message === message;
    if (!same) {
      slot.status.state = { waiting: { message, reason } };
      slot.status.ready = false;
      slot.status.started = false;
    }
    if (!same || force) for (const [type, r, m] of events) this.event(slot, type, r, m);
  }

  // ---------------------------------------------------------------- termination

  /** A pod being deleted: stop its containers, then delete it with grace 0. */
  private terminate(): void {
    const deadline = Date.parse(str(this.meta.deletionTimestamp));
    const first = this.record.stopping === undefined;
    const since = (this.record.stopping ??= this.now);
    let last = this.now;
    let stopped = true;
    for (const slot of [...this.initSlots, ...this.mainSlots]) {
      const running = obj(obj(slot.status.state).running);
      if (!isJsonObject(obj(slot.status.state).running)) continue;
      if (first) this.event(slot, 'Normal', 'Killing', `Stopping container ${slot.name}`);
      const start = Date.parse(str(running.startedAt));
      const process = processOf(this.host, this.view(), slot.name, str(slot.status.containerID), start);
      const behaviour = process?.behaviour ?? OPAQUE_BEHAVIOUR;
      const exitAt = behaviour.exit === undefined ? undefined : start + behaviour.exit.afterMs;
      let stopAt = behaviour.ignoresSigterm ? Math.max(deadline, since) : since;
      let code = behaviour.ignoresSigterm ? SIGKILL_EXIT : SIGTERM_EXIT;
      let reason = 'Error';
      if (exitAt !== undefined && exitAt < stopAt) {
        stopAt = exitAt;
        code = behaviour.exit?.code ?? 0;
        reason = behaviour.exit?.reason ?? (code === 0 ? 'Completed' : 'Error');
      }
      if (stopAt <= this.now) this.terminated(slot, code, reason, stopAt);
      else {
        stopped = false;
        last = Math.max(last, stopAt);
      }
    }
    if (!stopped) {
      this.wake(last, 'progress');
      this.finish(str(this.status.podIP) !== '', false);
      return;
    }
    const finalizers = this.meta.finalizers;
    if (Array.isArray(finalizers) && finalizers.length > 0) {
      // Someone still holds the pod (a Job's tracking finalizer): it keeps its final status.
      for (const slot of [...this.initSlots, ...this.mainSlots]) {
        if (!isJsonObject(obj(slot.status.state).waiting)) continue;
        slot.status.state = {
          terminated: {
            exitCode: SIGKILL_EXIT,
            finishedAt: this.nowIso,
            message: 'The container could not be located when the pod was terminated',
            reason: 'ContainerStatusUnknown',
            startedAt: null,
          },
        };
        slot.status.ready = false;
        slot.status.started = false;
      }
      this.finish(false, true);
    } else {
      this.recordEvents(this.pod);
    }
    this.deletePod();
    this.state.records.set(this.ctx, this.uid, {});
    this.state.waits.set(this.key, []);
  }

  private deletePod(): void {
    try {
      this.ctx.api.delete('pods', this.namespace, this.name, {
        gracePeriodSeconds: 0,
        preconditions: { uid: this.uid },
        fieldManager: 'kubelet',
      });
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status.code !== 404 && error.status.code !== 409))
        throw error;
    }
  }

  // ---------------------------------------------------------------- output

  /** The pod as the kubelet sees it now (its status being rewritten). */
  private view(): KubeObject {
    return { ...this.pod, status: this.status };
  }

  private wake(at: number, kind: 'progress' | 'wait'): void {
    if (kind === 'progress') {
      if (this.progressAt === undefined || at < this.progressAt) this.progressAt = at;
    } else if (this.waitAt === undefined || at < this.waitAt) this.waitAt = at;
  }

  private event(slot: Slot, type: EventType, reason: string, message: string): void {
    this.events.push({ type, reason, message, fieldPath: slot.fieldPath });
  }

  private podEvent(type: EventType, reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }

  private recordEvents(pod: KubeObject): void {
    if (this.events.length === 0) return;
    const recorder = this.ctx.recorder('kubelet', this.nodeName);
    for (const e of this.events) recorder.record(pod, e.type, e.reason, e.message, e.fieldPath);
  }

  /** Assembles the status, writes it when it changed, records events, stores the record, schedules wake-ups. */
  private finish(sandboxReady: boolean, terminal: boolean): void {
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
