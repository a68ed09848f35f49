/**
 * Nodes as their kubelets register them: node1 is the control plane (its role label and
 * NoSchedule taint), node2…nodeN are workers; each Ready, with capacity, addresses, nodeInfo and
 * its /24 of the pod network, and its heartbeat Lease in kube-node-lease.
 */

import { type BootstrapContext, create, type Json, setStatus } from './context.js';
import { NODE_CAPACITY, NODE_INFO, nodeIP, nodeName, nodePodCIDR } from './topology.js';

/** The control-plane taint kubeadm (1.24 and later) puts on node1. */
export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** Conditions of a healthy node: no pressure, Ready. */
const CONDITIONS: readonly (readonly [type: string, status: string, reason: string, message: string])[] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** A deterministic, machine-id-looking hex string derived from a node name. */
function machineId(name: string, salt: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let i = 0; out.length < 32; i++) {
    for (const c of `${salt}/${name}/${i}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 32);
}

/** The Node object of node `index` (1-based), as its kubelet registers it. */
export function nodeManifest(index: number): Json {
  const name = nodeName(index);
  const controlPlane = index === 1;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane
          ? {
              'node-role.kubernetes.io/control-plane': '',
              'node.kubernetes.io/exclude-from-external-load-balancers': '',
            }
          : {}),
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: nodePodCIDR(index),
      podCIDRs: [nodePodCIDR(index)],
      ...(controlPlane ? { taints: [CONTROL_PLANE_TAINT] } : {}),
    },
  };
}

/** The status node `index` reports once Ready at `readyAt` (RFC 3339). */
export function nodeStatus(
  index: number,
  registeredAt: string,
  readyAt: string,
  images: readonly string[],
): Json {
  const name = nodeName(index);
  return {
    ...structuredClone(NODE_CAPACITY),
    conditions: CONDITIONS.map(([type, status, reason, message]) => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: readyAt,
      lastTransitionTime: type === 'Ready' ? readyAt : registeredAt,
    })),
    addresses: [
      { type: 'InternalIP', address: nodeIP(index) },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      ...NODE_INFO,
      bootID: machineId(name, 'boot').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      machineID: machineId(name, 'machine'),
      systemUUID: machineId(name, 'system').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    },
    images: images.map((image) => ({
      names: [image],
      sizeBytes: 20_000_000 + (fnvSize(image) % 80_000_000),
    })),
  };
}

function fnvSize(text: string): number {
  let h = 0x811c9dc5;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** The node's heartbeat Lease in kube-node-lease, owned by the Node. */
export function nodeLease(node: Json, renewTime: string): Json {
  const meta = node.metadata as Json;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: meta.name,
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: meta.name, uid: meta.uid }],
    },
    spec: {
      holderIdentity: meta.name,
      leaseDurationSeconds: 40,
      renewTime: renewTime.replace('Z', '.000000Z'),
    },
  };
}

/**
 * Registers node `index`: the Node (Ready `readyAfter` seconds later, with the images it has
 * pulled) and its Lease. Returns the stored Node.
 */
export function registerNode(
  ctx: BootstrapContext,
  index: number,
  images: readonly string[],
  readyAfter = 10,
): Json {
  const node = create(ctx, nodeManifest(index), 'kubelet');
  const status = nodeStatus(index, ctx.time(), ctx.time(readyAfter), images);
  const stored = setStatus(ctx, node, status, 'kubelet');
  create(ctx, nodeLease(stored, ctx.time(readyAfter)), 'kubelet');
  return stored;
}
