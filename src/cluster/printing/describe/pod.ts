/** `kubectl describe pod` and the Pod Template section of controllers (`describePod`, `DescribePodTemplate`). */

import { age } from '../duration.js';
import { parseQuantity } from '../quantity.js';
import { get, isMap, list, map, num, optNum, str, strMap } from '../values.js';
import { describeContainers, describeResources } from './containers.js';
import { describeVolumes } from './volumes.js';
import {
  controllerOf,
  describeEvents,
  LEVEL_0,
  LEVEL_1,
  PrefixWriter,
  printAnnotations,
  printLabels,
  printMetadata,
  printTolerations,
  rfc1123z,
} from './writer.js';

/** `ComputePodQOS` over cpu and memory of all containers, unless the kubelet reported the class. */
export function podQosClass(pod: unknown): string {
  const reported = str(pod, 'status', 'qosClass');
  if (reported !== '') return reported;
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const c of [...list(pod, 'spec', 'containers'), ...list(pod, 'spec', 'initContainers')]) {
    for (const [key, acc] of [
      ['requests', requests],
      ['limits', limits],
    ] as const) {
      const found = new Set<string>();
      for (const [name, v] of Object.entries(map(c, 'resources', key))) {
        const q = parseQuantity(v);
        if ((name !== 'cpu' && name !== 'memory') || q === undefined || q.nanos <= 0n) continue;
        found.add(name);
        acc.set(name, (acc.get(name) ?? 0n) + q.nanos);
      }
      if (key === 'limits' && !(found.has('cpu') && found.has('memory'))) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** `DescribePodTemplate`: the template's labels, containers, volumes, node selectors and tolerations. */
export function describePodTemplate(w: PrefixWriter, template: unknown): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!isMap(template)) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  printLabels(w, '  Labels', strMap(template, 'metadata', 'labels'));
  const annotations = strMap(template, 'metadata', 'annotations');
  if (Object.keys(annotations).length > 0) printAnnotations(w, '  Annotations', annotations);
  const spec = get(template, 'spec');
  if (str(spec, 'serviceAccountName') !== '')
    w.write(LEVEL_1, `Service Account:\t${str(spec, 'serviceAccountName')}\n`);
  if (list(spec, 'initContainers').length > 0) {
    describeContainers(w, 'Init Containers', list(spec, 'initContainers'), undefined, undefined, '  ');
  }
  describeContainers(w, 'Containers', list(spec, 'containers'), undefined, undefined, '  ');
  describeVolumes(w, list(spec, 'volumes'), '  ');
  if (str(spec, 'priorityClassName') !== '')
    w.write(LEVEL_1, `Priority Class Name:\t${str(spec, 'priorityClassName')}\n`);
  printLabels(w, '  Node-Selectors', strMap(spec, 'nodeSelector'));
  printTolerations(w, '  Tolerations', list(spec, 'tolerations'));
}

/** `kubectl describe pod`. `events` are the pod's events. */
export function describePod(pod: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(pod, 'metadata', 'name')}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(pod, 'metadata', 'namespace')}\n`);
  const spec = get(pod, 'spec');
  const priority = optNum(spec, 'priority');
  if (priority !== undefined) w.write(LEVEL_0, `Priority:\t${priority}\n`);
  if (str(spec, 'priorityClassName') !== '')
    w.write(LEVEL_0, `Priority Class Name:\t${str(spec, 'priorityClassName')}\n`);
  if (str(spec, 'runtimeClassName') !== '')
    w.write(LEVEL_0, `Runtime Class Name:\t${str(spec, 'runtimeClassName')}\n`);
  if (str(spec, 'serviceAccountName') !== '')
    w.write(LEVEL_0, `Service Account:\t${str(spec, 'serviceAccountName')}\n`);
  const node = str(spec, 'nodeName');
  w.write(LEVEL_0, node === '' ? 'Node:\t<none>\n' : `Node:\t${node}/${str(pod, 'status', 'hostIP')}\n`);
  if (str(pod, 'status', 'startTime') !== '')
    w.write(LEVEL_0, `Start Time:\t${rfc1123z(get(pod, 'status', 'startTime'))}\n`);
  printMetadata(w, pod);
  const phase = str(pod, 'status', 'phase');
  if (str(pod, 'metadata', 'deletionTimestamp') !== '' && phase !== 'Failed' && phase !== 'Succeeded') {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${age(get(pod, 'metadata', 'deletionTimestamp'), now)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${num(pod, 'metadata', 'deletionGracePeriodSeconds')}s\n`);
  } else {
    w.write(LEVEL_0, `Status:\t${phase}\n`);
  }
  if (str(pod, 'status', 'reason') !== '') w.write(LEVEL_0, `Reason:\t${str(pod, 'status', 'reason')}\n`);
  if (str(pod, 'status', 'message') !== '') w.write(LEVEL_0, `Message:\t${str(pod, 'status', 'message')}\n`);
  const seccomp = get(spec, 'securityContext', 'seccompProfile');
  if (isMap(seccomp)) {
    w.write(LEVEL_0, `SeccompProfile:\t${str(seccomp, 'type')}\n`);
    if (str(seccomp, 'type') === 'Localhost')
      w.write(LEVEL_0, `LocalhostProfile:\t${str(seccomp, 'localhostProfile')}\n`);
  }
  w.write(LEVEL_0, `IP:\t${str(pod, 'status', 'podIP')}\n`);
  const ips = list(pod, 'status', 'podIPs');
  if (ips.length === 0) w.write(LEVEL_0, 'IPs:\t<none>\n');
  else {
    w.write(LEVEL_0, 'IPs:\n');
    for (const ip of ips) w.write(LEVEL_1, `IP:\t${str(ip, 'ip')}\n`);
  }
  const controlledBy = controllerOf(pod);
  if (controlledBy !== '') w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  const nominated = str(pod, 'status', 'nominatedNodeName');
  if (nominated !== '') w.write(LEVEL_0, `NominatedNodeName:\t${nominated}\n`);
  if (isMap(get(spec, 'resources'))) {
    w.write(LEVEL_0, 'Resources:\n');
    describeResources(w, get(spec, 'resources'), LEVEL_1);
  }
  if (list(spec, 'initContainers').length > 0) {
    describeContainers(
      w,
      'Init Containers',
      list(spec, 'initContainers'),
      list(pod, 'status', 'initContainerStatuses'),
      pod,
    );
  }
  describeContainers(
    w,
    'Containers',
    list(spec, 'containers'),
    list(pod, 'status', 'containerStatuses'),
    pod,
  );
  const conditions = list(pod, 'status', 'conditions');
  const gates = list(spec, 'readinessGates');
  if (gates.length > 0) {
    w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of gates) {
      const c = conditions.find((x) => str(x, 'type') === str(g, 'conditionType'));
      w.write(LEVEL_1, `${str(g, 'conditionType')} \t${c === undefined ? '<none>' : str(c, 'status')} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(LEVEL_1, `${str(c, 'type')} \t${str(c, 'status')} \n`);
  }
  describeVolumes(w, list(spec, 'volumes'));
  w.write(LEVEL_0, `QoS Class:\t${podQosClass(pod)}\n`);
  printLabels(w, 'Node-Selectors', strMap(spec, 'nodeSelector'));
  printTolerations(w, 'Tolerations', list(spec, 'tolerations'));
  describeEvents(w, events, now);
  return w.toString();
}
