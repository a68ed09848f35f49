/** `kubectl describe node`: conditions, addresses, capacity, system info, its pods and their requests. */

import { age } from '../duration.js';
import { nodeRoles } from '../printers-cluster.js';
import {
  addQuantities,
  formatQuantity,
  milliValue,
  parseQuantity,
  type Quantity,
  value,
  ZERO,
} from '../quantity.js';
import { get, isMap, list, map, nameOf, namespaceOf, str } from '../values.js';
import {
  describeEvents,
  LEVEL_0,
  LEVEL_1,
  PrefixWriter,
  printMetadata,
  printTaints,
  rfc1123z,
} from './writer.js';

type Resources = Map<string, Quantity>;

const add = (into: Resources, from: Resources): void => {
  for (const [k, q] of from) into.set(k, addQuantities(into.get(k) ?? ZERO, q));
};

const resourcesOf = (container: unknown, key: 'requests' | 'limits'): Resources => {
  const out: Resources = new Map();
  for (const [k, v] of Object.entries(map(container, 'resources', key))) {
    const q = parseQuantity(v);
    if (q !== undefined) out.set(k, q);
  }
  return out;
};

/** `resourcehelper.PodRequests`/`PodLimits`: containers plus sidecars, at least each init container, plus overhead. */
export function podResources(pod: unknown, key: 'requests' | 'limits'): Resources {
  const total: Resources = new Map();
  for (const c of list(pod, 'spec', 'containers')) add(total, resourcesOf(c, key));
  const sidecars: Resources = new Map();
  for (const c of list(pod, 'spec', 'initContainers')) {
    const r = resourcesOf(c, key);
    if (str(c, 'restartPolicy') === 'Always') {
      add(total, r);
      add(sidecars, r);
      continue;
    }
    const during: Resources = new Map(r);
    add(during, sidecars);
    for (const [k, q] of during) if (q.nanos > (total.get(k)?.nanos ?? 0n)) total.set(k, q);
  }
  const overhead: Resources = new Map();
  for (const [k, v] of Object.entries(map(pod, 'spec', 'overhead'))) {
    const q = parseQuantity(v);
    if (q !== undefined) overhead.set(k, q);
  }
  if (overhead.size > 0) add(total, overhead);
  return total;
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.trunc((part / whole) * 100));

/** `kubectl describe node`; `pods` are the node's non-terminated pods, `lease` its kube-node-lease Lease. */
export function describeNode(
  node: unknown,
  pods: readonly unknown[],
  lease: unknown,
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(node)}\n`);
  w.write(LEVEL_0, `Roles:\t${nodeRoles(node).join(',') || '<none>'}\n`);
  printMetadata(w, node);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(get(node, 'metadata', 'creationTimestamp'))}\n`);
  printTaints(w, 'Taints', list(node, 'spec', 'taints'));
  w.write(LEVEL_0, `Unschedulable:\t${get(node, 'spec', 'unschedulable') === true}\n`);
  if (isMap(lease)) {
    w.write(LEVEL_0, 'Lease:\n');
    w.write(LEVEL_1, `HolderIdentity:\t${str(lease, 'spec', 'holderIdentity') || '<unset>'}\n`);
    const t = (k: string) => (str(lease, 'spec', k) === '' ? '<unset>' : rfc1123z(get(lease, 'spec', k)));
    w.write(LEVEL_1, `AcquireTime:\t${t('acquireTime')}\n`);
    w.write(LEVEL_1, `RenewTime:\t${t('renewTime')}\n`);
  } else {
    w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${nameOf(node)}" not found\n`);
  }
  const conds = list(node, 'status', 'conditions');
  if (conds.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conds) {
      w.write(
        LEVEL_1,
        `${str(c, 'type')} \t${str(c, 'status')} \t${rfc1123z(get(c, 'lastHeartbeatTime'))} \t${rfc1123z(get(c, 'lastTransitionTime'))} \t${str(c, 'reason')} \t${str(c, 'message')}\n`,
      );
    }
  }
  w.write(LEVEL_0, 'Addresses:\n');
  for (const a of list(node, 'status', 'addresses'))
    w.write(LEVEL_1, `${str(a, 'type')}:\t${str(a, 'address')}\n`);
  for (const [key, title] of [
    ['capacity', 'Capacity'],
    ['allocatable', 'Allocatable'],
  ] as const) {
    const resources = map(node, 'status', key);
    const names = Object.keys(resources).sort();
    if (names.length === 0) continue;
    w.write(LEVEL_0, `${title}:\n`);
    for (const r of names)
      w.write(LEVEL_0, `  ${r}:\t${formatQuantity(parseQuantity(resources[r]) ?? ZERO)}\n`);
  }
  const info = (k: string) => str(node, 'status', 'nodeInfo', k);
  w.write(LEVEL_0, 'System Info:\n');
  const infoRows: [string, string][] = [
    ['Machine ID', 'machineID'],
    ['System UUID', 'systemUUID'],
    ['Boot ID', 'bootID'],
    ['Kernel Version', 'kernelVersion'],
    ['OS Image', 'osImage'],
    ['Operating System', 'operatingSystem'],
    ['Architecture', 'architecture'],
    ['Container Runtime Version', 'containerRuntimeVersion'],
    ['Kubelet Version', 'kubeletVersion'],
    ['Kube-Proxy Version', 'kubeProxyVersion'],
  ];
  for (const [label, key] of infoRows) w.write(LEVEL_0, `  ${label}:\t${info(key)}\n`);
  if (str(node, 'spec', 'podCIDR') !== '') w.write(LEVEL_0, `PodCIDR:\t${str(node, 'spec', 'podCIDR')}\n`);
  const cidrs = list(node, 'spec', 'podCIDRs');
  if (cidrs.length > 0) w.write(LEVEL_0, `PodCIDRs:\t${cidrs.join(',')}\n`);
  if (str(node, 'spec', 'providerID') !== '')
    w.write(LEVEL_0, `ProviderID:\t${str(node, 'spec', 'providerID')}\n`);

  const allocatable =
    Object.keys(map(node, 'status', 'allocatable')).length > 0
      ? map(node, 'status', 'allocatable')
      : map(node, 'status', 'capacity');
  const alloc = (k: string) => parseQuantity(allocatable[k]) ?? ZERO;
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const reqs: Resources = new Map();
  const limits: Resources = new Map();
  const cell = (q: Quantity | undefined, whole: Quantity, milli: boolean): string => {
    const v = q ?? ZERO;
    return `${formatQuantity(v)} (${percent(milli ? milliValue(v) : value(v), milli ? milliValue(whole) : value(whole))}%)`;
  };
  for (const pod of pods) {
    const r = podResources(pod, 'requests');
    const l = podResources(pod, 'limits');
    add(reqs, r);
    add(limits, l);
    w.write(
      LEVEL_1,
      `${namespaceOf(pod)}\t${nameOf(pod)}\t\t${cell(r.get('cpu'), alloc('cpu'), true)}\t${cell(l.get('cpu'), alloc('cpu'), true)}\t${cell(r.get('memory'), alloc('memory'), false)}\t${cell(l.get('memory'), alloc('memory'), false)}\t${age(get(pod, 'metadata', 'creationTimestamp'), now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  for (const [name, milli] of [
    ['cpu', true],
    ['memory', false],
    ['ephemeral-storage', false],
  ] as const) {
    w.write(
      LEVEL_1,
      `${name}\t${cell(reqs.get(name), alloc(name), milli)}\t${cell(limits.get(name), alloc(name), milli)}\n`,
    );
  }
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);
  const names = Object.keys(allocatable);
  for (const hp of names.filter((n) => n.startsWith('hugepages-')).sort()) {
    w.write(
      LEVEL_1,
      `${hp}\t${cell(reqs.get(hp), alloc(hp), false)}\t${cell(limits.get(hp), alloc(hp), false)}\n`,
    );
  }
  for (const ext of names
    .filter(
      (n) =>
        !n.startsWith('hugepages-') &&
        !standard.has(n) &&
        !n.startsWith('requests.') &&
        !n.startsWith('limits.'),
    )
    .sort()) {
    w.write(
      LEVEL_1,
      `${ext}\t${formatQuantity(reqs.get(ext) ?? ZERO)}\t${formatQuantity(limits.get(ext) ?? ZERO)}\n`,
    );
  }
  describeEvents(w, events, now);
  return w.toString();
}
