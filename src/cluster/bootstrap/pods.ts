/**
 * Pods as the bootstrap creates them: from a controller's stored template (with the owner
 * reference, the labels and the node binding the controller and scheduler add), then Running and
 * Ready through the status subresource, as the kubelet reports them.
 */

import { createHash } from 'node:crypto';
import { type BootstrapContext, controllerRef, create, type Json, metaOf, setStatus } from './context.js';

/** How a pod comes to run. */
export interface PodPlacement {
  /** The node (1-based index) and its name. */
  readonly nodeIndex: number;
  readonly nodeName: string;
  /** The node's InternalIP. */
  readonly hostIP: string;
  /** The pod's IP (the node's for host-network pods). */
  readonly podIP: string;
  /** Seconds from creation to the containers running, and to Ready. */
  readonly startAfter: number;
  readonly readyAfter: number;
}

/** `count` hex digits derived from `seed` (container ids, image digests). */
export function hexDigest(seed: string, count = 64): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, count);
}

type Resources = { requests?: Json; limits?: Json } | undefined;

/** The QoS class of a pod spec, as the API server computes it. */
export function qosClassOf(spec: Json): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...((spec.initContainers ?? []) as Json[]), ...((spec.containers ?? []) as Json[])];
  const resources = containers.map((c) => c.resources as Resources);
  const any = resources.some(
    (r) => Object.keys(r?.requests ?? {}).length > 0 || Object.keys(r?.limits ?? {}).length > 0,
  );
  if (!any) return 'BestEffort';
  const guaranteed = resources.every((r) => {
    const limits = r?.limits ?? {};
    const requests = r?.requests ?? {};
    return (
      limits.cpu !== undefined &&
      limits.memory !== undefined &&
      Object.entries(requests).every(([k, v]) => limits[k] === v)
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The image id the runtime reports: the repository at a (made-up, stable) digest. */
export function imageId(image: string): string {
  const repo = image.replace(/:[^/:]+$/, '');
  const full = repo.includes('/') && repo.split('/')[0]!.includes('.') ? repo : `docker.io/${repo}`;
  return `${full}@sha256:${hexDigest(image)}`;
}

/** The status of a pod whose containers all run and are ready. */
export function runningStatus(
  pod: Json,
  placement: PodPlacement,
  created: string,
  clock: BootstrapContext,
): Json {
  const spec = pod.spec as Json;
  const name = String(metaOf(pod).name);
  const started = clock.time(placement.startAfter);
  const ready = clock.time(placement.readyAfter);
  const containerStatus = (c: Json, init: boolean): Json => ({
    containerID: `containerd://${hexDigest(`${name}/${String(c.name)}`)}`,
    image: c.image,
    imageID: imageId(String(c.image)),
    lastState: {},
    name: c.name,
    ready: !init,
    restartCount: 0,
    ...(init
      ? {
          started: false,
          state: {
            terminated: {
              containerID: '',
              exitCode: 0,
              finishedAt: started,
              reason: 'Completed',
              startedAt: started,
            },
          },
        }
      : { started: true, state: { running: { startedAt: started } } }),
  });
  const inits = (spec.initContainers ?? []) as Json[];
  const condition = (type: string, at: string): Json => ({
    lastProbeTime: null,
    lastTransitionTime: at,
    status: 'True',
    type,
  });
  return {
    conditions: [
      condition('PodReadyToStartContainers', started),
      condition('Initialized', inits.length ? started : created),
      condition('Ready', ready),
      condition('ContainersReady', ready),
      condition('PodScheduled', created),
    ],
    containerStatuses: ((spec.containers ?? []) as Json[]).map((c) => containerStatus(c, false)),
    ...(inits.length
      ? {
          initContainerStatuses: inits.map((c) => {
            const s = containerStatus(c, true);
            const state = s.state as { terminated: Json };
            state.terminated.containerID = s.containerID;
            return s;
          }),
        }
      : {}),
    hostIP: placement.hostIP,
    hostIPs: [{ ip: placement.hostIP }],
    phase: 'Running',
    podIP: placement.podIP,
    podIPs: [{ ip: placement.podIP }],
    qosClass: qosClassOf(spec),
    startTime: created,
  };
}

/** What a controller stamps on the pods it creates from its template. */
export interface PodFromTemplate {
  readonly owner: Json;
  /** The pod's name, or the prefix the API completes (`coredns-<hash>-`). */
  readonly name?: string;
  readonly generateName?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra spec fields (a DaemonSet's node affinity and tolerations). */
  readonly spec?: Json;
}

/** Creates a pod from its owner's stored template, bound to a node, and reports it Running. */
export function createTemplatePod(
  ctx: BootstrapContext,
  from: PodFromTemplate,
  placement: PodPlacement,
  fieldManager: string,
): Json {
  const ownerMeta = metaOf(from.owner);
  const template = structuredClone(((from.owner.spec as Json).template ?? {}) as Json);
  const templateMeta = (template.metadata ?? {}) as Json;
  const manifest: Json = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...templateMeta,
      ...(from.name ? { name: from.name } : { generateName: from.generateName }),
      namespace: ownerMeta.namespace,
      labels: { ...((templateMeta.labels ?? {}) as Json), ...(from.labels ?? {}) },
      ownerReferences: [controllerRef(from.owner)],
    },
    spec: { ...(template.spec as Json), ...(from.spec ?? {}), nodeName: placement.nodeName },
  };
  return startPod(ctx, manifest, placement, fieldManager);
}

/** Creates a pod and reports it Running and Ready (the kubelet's status write). */
export function startPod(
  ctx: BootstrapContext,
  manifest: Json,
  placement: PodPlacement,
  fieldManager: string,
): Json {
  const pod = create(ctx, manifest, fieldManager);
  const created = String(metaOf(pod).creationTimestamp);
  return setStatus(ctx, pod, runningStatus(pod, placement, created, ctx), 'kubelet');
}
