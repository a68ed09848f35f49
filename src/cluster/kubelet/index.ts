/**
 * The simulated kubelet of every node: it turns the pods bound to a node (`spec.nodeName`) into
 * running (or failing) containers, with the statuses, events, back-offs, probes, restarts and
 * termination a real kubelet gives them (see `pod-sync.ts`). Containers behave as the image
 * catalog says their images do.
 *
 * Work is keyed by pod (`namespace/name`; `namespace/name~wait` for the pod's *wait* wake-ups).
 * A pod is synced when it changes (not by the kubelet's own writes), when a wake-up it asked for
 * comes, and when a ConfigMap, Secret, claim or node image it waits for appears.
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { ImageCatalog, NetworkView } from '../images/types.js';
import { type Controller, type ControllerContext, objectKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { behaviourOf, contextOf } from './behaviour.js';
import { NodeCache, PodIpam, RecordStore, WaitIndex } from './caches.js';
import { defaultCatalog, defaultNetwork } from './defaults.js';
import { envSources, serviceEnvironment } from './env.js';
import { type KubeletState, syncPod, WAIT_SUFFIX } from './pod-sync.js';

export { behaviourOf } from './behaviour.js';
export { resolveContainerEnv } from './env.js';

/** How a kubelet is built (tests give their own catalog). */
export interface KubeletOptions {
  /** The image catalog. @default the cluster's catalog */
  readonly catalog?: (ctx: ControllerContext) => ImageCatalog;
  /** The network containers see (exec probes, HTTP probes). @default the cluster's network view */
  readonly network?: (ctx: ControllerContext, catalog: ImageCatalog) => NetworkView;
}

/** The key of the reconcile that forgets a deleted pod's record. */
const FORGET_PREFIX = '~forget/';

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Builds the kubelet. */
export function kubeletController(options: KubeletOptions = {}): Controller {
  let state: KubeletState | undefined;
  let catalog: ImageCatalog | undefined;
  const canonical = (name: string): string | undefined => catalog?.parse(name)?.canonical;
  const nodes = new NodeCache(canonical);
  const ipam = new PodIpam();
  const records = new RecordStore();
  const waits = new WaitIndex();
  const memo = new Map<string, { rev?: number; seen?: number }>();
  const serviceEnvs = new Map<string, Readonly<Record<string, string>>>();

  const stateOf = (ctx: ControllerContext): KubeletState => {
    if (state === undefined) {
      catalog = options.catalog?.(ctx) ?? defaultCatalog(ctx.meta);
      const cat = catalog;
      const host = { api: ctx.api, catalog: cat, network: undefined as NetworkView | undefined };
      const network =
        options.network?.(ctx, cat) ??
        defaultNetwork({
          api: ctx.api,
          catalog: cat,
          now: () => ctx.now(),
          behaviourOf: (pod, name) => behaviourOf(host, pod, name),
          contextOf: (pod, name) => contextOf(host, pod, name),
        });
      host.network = network;
      state = {
        catalog: cat,
        network,
        nodes,
        ipam,
        records,
        waits,
        memo,
        serviceEnv(namespace, links) {
          const id = `${namespace}\0${links}`;
          let env = serviceEnvs.get(id);
          if (env === undefined) {
            env = serviceEnvironment(ctx.api, namespace, links);
            serviceEnvs.set(id, env);
          }
          return env;
        },
      };
    }
    return state;
  };

  /** Without a resync since this process started, the waiting pods are found from one list. */
  const loadWaits = (ctx: ControllerContext): void => {
    if (waits.isComplete) return;
    waits.markComplete();
    for (const pod of ctx.api.list('pods').items) {
      const spec = obj(pod.spec);
      const status = obj(pod.status);
      if (str(spec.nodeName) === '' || status.phase === 'Succeeded' || status.phase === 'Failed') continue;
      const namespace = str(obj(pod.metadata).namespace);
      const keys: string[] = [];
      const containers = [
        ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
        ...(Array.isArray(spec.containers) ? spec.containers : []),
      ].filter(isJsonObject);
      const statuses = [
        ...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []),
        ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : []),
      ].filter(isJsonObject);
      const reasons = new Set(statuses.map((s) => str(obj(obj(s.state).waiting).reason)));
      if (reasons.has('CreateContainerConfigError')) {
        for (const c of containers)
          for (const s of envSources(c)) keys.push(`${s.kind}/${namespace}/${s.name}`);
      }
      if (reasons.has('ErrImageNeverPull')) keys.push(`nodes/${str(spec.nodeName)}`);
      if (str(status.podIP) === '') {
        for (const v of Array.isArray(spec.volumes) ? spec.volumes.filter(isJsonObject) : []) {
          if (isJsonObject(v.configMap)) keys.push(`configmaps/${namespace}/${str(v.configMap.name)}`);
          if (isJsonObject(v.secret)) keys.push(`secrets/${namespace}/${str(v.secret.secretName)}`);
          if (isJsonObject(v.persistentVolumeClaim))
            keys.push(`persistentvolumeclaims/${namespace}/${str(v.persistentVolumeClaim.claimName)}`);
        }
      }
      if (keys.length > 0) waits.set(objectKey(pod), keys);
    }
  };

  const wake = (ctx: ControllerContext, key: string): void => {
    for (const pod of waits.waiting(key)) ctx.enqueue(pod);
  };

  const observePod = (type: string, pod: KubeObject, revision: number, ctx: ControllerContext): void => {
    ipam.observe(type, pod);
    const meta = obj(pod.metadata);
    const uid = str(meta.uid);
    const key = objectKey(pod);
    if (type === 'DELETED') {
      memo.delete(uid);
      waits.set(key, []);
      if (records.mayHave(uid)) ctx.enqueue(`${FORGET_PREFIX}${uid}`);
      records.forget(uid);
      return;
    }
    if (str(obj(pod.spec).nodeName) === '') return;
    if (memo.get(uid)?.rev === revision) return;
    const phase = obj(pod.status).phase;
    if ((phase === 'Succeeded' || phase === 'Failed') && meta.deletionTimestamp == null) return;
    ctx.enqueue(key);
  };

  return {
    name: 'kubelet',
    resources: ['pods', 'nodes', 'configmaps', 'secrets', 'persistentvolumeclaims', 'services'],

    observe(event, ctx) {
      stateOf(ctx);
      const { type, object } = event;
      switch (event.key.resource) {
        case 'pods':
          observePod(type, object, event.revision, ctx);
          return;
        case 'nodes':
          nodes.observe(type, object);
          // A node's images changed maybe: pods that may not pull (policy Never) look again.
          if (type !== 'DELETED') {
            loadWaits(ctx);
            wake(ctx, `nodes/${event.key.name}`);
          }
          return;
        case 'services':
          // Containers started from now on see the new service links.
          serviceEnvs.clear();
          return;
        case 'persistentvolumeclaims':
          if (type === 'DELETED' || obj(object.status).phase !== 'Bound') return;
          loadWaits(ctx);
          wake(ctx, `persistentvolumeclaims/${event.key.namespace}/${event.key.name}`);
          return;
        default:
          if (type === 'DELETED') return;
          loadWaits(ctx);
          wake(ctx, `${event.key.resource}/${event.key.namespace}/${event.key.name}`);
      }
    },

    reconcile(key, ctx) {
      if (key.startsWith(FORGET_PREFIX)) {
        records.set(ctx, key.slice(FORGET_PREFIX.length), {});
        return;
      }
      const podKey = key.endsWith(WAIT_SUFFIX) ? key.slice(0, -WAIT_SUFFIX.length) : key;
      const slash = podKey.indexOf('/');
      const namespace = podKey.slice(0, slash);
      const name = podKey.slice(slash + 1);
      let pod: KubeObject;
      try {
        pod = ctx.api.get('pods', namespace, name);
      } catch (error) {
        if (error instanceof ApiError && error.status.code === 404) {
          waits.set(podKey, []);
          return;
        }
        throw error;
      }
      const spec = obj(pod.spec);
      if (str(spec.nodeName) === '') return;
      const uid = str(obj(pod.metadata).uid);
      try {
        syncPod(ctx, stateOf(ctx), podKey, pod);
      } catch (error) {
        // The reconcile's writes are undone: so is the address it may have taken.
        if (str(obj(pod.status).podIP) === '') ipam.release(str(spec.nodeName), uid);
        records.forget(uid);
        throw error;
      }
    },

    reset() {
      nodes.reset();
      ipam.reset();
      records.reset();
      waits.reset();
      memo.clear();
      serviceEnvs.clear();
    },
  };
}
