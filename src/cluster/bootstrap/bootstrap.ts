/**
 * The bootstrap timeline: what a kubeadm cluster shows after `kubeadm init`, the CNI manifest and
 * `kubeadm join` on each worker, replayed through the API at plausible times so ages, start times
 * and conditions read naturally. The timeline ends at the moment the cluster is first opened.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import type { SeededRandom } from '../api/machinery/seeded-random.js';
import {
  bootstrapTokenSecret,
  createServiceAccount,
  fakeCaCertificate,
  KUBE_SYSTEM_ACCOUNTS,
  populateNamespace,
} from './accounts.js';
import { corednsDeployment, createAddonConfigMaps, kubeProxyDaemonSet, weaveNetDaemonSet } from './addons.js';
import {
  createClusterInfo,
  createExtensionApiserverAuthentication,
  createKubeadmConfigMaps,
  createKubeDnsEndpoints,
  createKubeDnsService,
  createKubernetesService,
  createNamespaces,
  createPriorityClasses,
  createStorageClass,
  NAMESPACES,
} from './cluster-objects.js';
import type { BootstrapContext } from './context.js';
import { createControlPlanePods } from './control-plane.js';
import { registerNode } from './nodes.js';
import { createRbac } from './rbac.js';
import { apiServerURL, DEFAULT_NODES, IMAGES, MAX_NODES } from './topology.js';
import {
  completeDaemonSet,
  createDaemonPod,
  createDaemonSet,
  createDeployment,
  type DaemonSetRef,
  PodNetwork,
  placement,
} from './workloads.js';

/** Seconds after the start of the timeline at which each step happens. */
export const TIMELINE = {
  apiServer: 0,
  controlPlaneNode: 5,
  staticPods: 8,
  kubeadmUpload: 15,
  serviceAccounts: 16,
  addons: 20,
  network: 40,
  dnsReady: 55,
  storage: 60,
  /** The first worker joins then, each next one `workerStep` later. */
  firstWorker: 75,
  workerStep: 20,
  /** After the last worker joined, until the timeline ends. */
  settle: 30,
} as const;

/** The length of the timeline for `nodes` nodes, in seconds. */
export function timelineSeconds(nodes: number): number {
  return TIMELINE.firstWorker + TIMELINE.workerStep * Math.max(0, nodes - 2) + TIMELINE.settle;
}

/** What the bootstrap needs from the cluster it fills. */
export interface BootstrapOptions {
  readonly api: ClusterApi;
  /** @default 3 */
  readonly nodes?: number;
  /** The end of the timeline (the moment the cluster is first opened). */
  readonly end: Date;
  /** Moves the cluster clock (the API stamps objects with it). */
  readonly setClock: (time: Date) => void;
  /** Runs `fn` with the cluster's seeded generator (stored with the cluster). */
  readonly draw: <T>(fn: (random: SeededRandom) => T) => T;
}

/** Checks a node count: an integer from 1 to {@link MAX_NODES}. */
export function checkNodeCount(nodes: number): number {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new RangeError(`the number of nodes must be an integer from 1 to ${MAX_NODES}, not ${nodes}`);
  }
  return nodes;
}

const CONTROL_PLANE_IMAGES = [
  IMAGES.etcd,
  IMAGES.apiserver,
  IMAGES.controllerManager,
  IMAGES.scheduler,
  IMAGES.proxy,
  IMAGES.coredns,
  IMAGES.weaveKube,
  IMAGES.weaveNpc,
  'registry.k8s.io/pause:3.10.1',
];
const WORKER_IMAGES = [IMAGES.proxy, IMAGES.weaveKube, IMAGES.weaveNpc, 'registry.k8s.io/pause:3.10.1'];

/**
 * Creates every object of a fresh cluster through the API (so each one is defaulted and
 * validated as a user's would be). Run it inside one store transaction: it is all or nothing.
 */
export function bootstrapCluster(options: BootstrapOptions): void {
  const nodes = checkNodeCount(options.nodes ?? DEFAULT_NODES);
  const start = options.end.getTime() - timelineSeconds(nodes) * 1000;
  let now = start;
  const { caCert, frontProxyCa } = options.draw((random) => ({
    caCert: fakeCaCertificate(random),
    frontProxyCa: fakeCaCertificate(random),
  }));
  const ctx: BootstrapContext = {
    api: options.api,
    nodes,
    at(seconds) {
      now = start + seconds * 1000;
      options.setClock(new Date(now));
    },
    time: (seconds = 0) => rfc3339(new Date(now + seconds * 1000)),
    draw: options.draw,
    caCert,
  };

  ctx.at(TIMELINE.apiServer);
  createNamespaces(ctx);
  createPriorityClasses(ctx);
  createRbac(ctx);
  createKubernetesService(ctx);
  createExtensionApiserverAuthentication(ctx, frontProxyCa);

  ctx.at(TIMELINE.controlPlaneNode);
  const node1 = registerNode(ctx, 1, CONTROL_PLANE_IMAGES);
  ctx.at(TIMELINE.staticPods);
  createControlPlanePods(ctx, node1);

  ctx.at(TIMELINE.kubeadmUpload);
  createKubeadmConfigMaps(ctx);
  createClusterInfo(ctx);
  bootstrapTokenSecret(ctx);
  createAddonConfigMaps(ctx, apiServerURL());
  createKubeDnsService(ctx);

  ctx.at(TIMELINE.serviceAccounts);
  for (const namespace of NAMESPACES) populateNamespace(ctx, namespace);
  for (const name of KUBE_SYSTEM_ACCOUNTS) createServiceAccount(ctx, 'kube-system', name);

  // CoreDNS is scheduled on node1 (the only node then) but waits for the pod network to run.
  ctx.at(TIMELINE.addons);
  const network = new PodNetwork();
  const waitForNetwork = TIMELINE.network - TIMELINE.addons + 8;
  const dns = createDeployment(ctx, corednsDeployment(), 'kubeadm', () =>
    placement(1, false, network, waitForNetwork, waitForNetwork + 2),
  );
  const daemons: DaemonSetRef[] = [];
  const proxy = createDaemonSetOn(ctx, daemons, kubeProxyDaemonSet(), 'kubeadm');
  createDaemonPod(ctx, proxy, placement(1, true, network, 2, 3));

  ctx.at(TIMELINE.network);
  const weave = createDaemonSetOn(ctx, daemons, weaveNetDaemonSet(), 'kubectl-client-side-apply');
  createDaemonPod(ctx, weave, placement(1, true, network, 3, 8));

  ctx.at(TIMELINE.dnsReady);
  createKubeDnsEndpoints(ctx, dns.pods);
  ctx.at(TIMELINE.storage);
  createStorageClass(ctx);

  for (let index = 2; index <= nodes; index++) {
    ctx.at(TIMELINE.firstWorker + TIMELINE.workerStep * (index - 2));
    registerNode(ctx, index, WORKER_IMAGES, 12);
    createDaemonPod(ctx, proxy, placement(index, true, network, 4, 5));
    createDaemonPod(ctx, weave, placement(index, true, network, 5, 12));
  }

  ctx.at(timelineSeconds(nodes));
  for (const ds of daemons) completeDaemonSet(ctx, ds, nodes);
}

function createDaemonSetOn(
  ctx: BootstrapContext,
  all: DaemonSetRef[],
  manifest: Record<string, unknown>,
  manager: string,
): DaemonSetRef {
  const ds = createDaemonSet(ctx, manifest, manager);
  all.push(ds);
  return ds;
}
