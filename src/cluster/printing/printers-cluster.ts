/**
 * Table columns and cells of the configuration, storage, cluster and RBAC kinds (`printers.go`):
 * Node, Namespace, ConfigMap, Secret, ServiceAccount, PersistentVolume(Claim), StorageClass,
 * Event, Role(Binding)s, Lease, PriorityClass, ResourceQuota, LimitRange, CSIDriver, webhook
 * configurations, CustomResourceDefinition.
 */

import { age, rfc3339 } from './duration.js';
import { canonicalQuantity } from './quantity.js';
import { type Cell, column, type KindPrinter } from './table.js';
import { get, type KubeObject, list, map, mapSize, nameOf, num, optBool, str, strMap } from './values.js';

const created = (obj: unknown, now: number): string => age(get(obj, 'metadata', 'creationTimestamp'), now);

/** Roles of a node from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels, sorted. */
export function nodeRoles(node: unknown): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(strMap(node, 'metadata', 'labels'))) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role !== '') roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

/** A node's STATUS: `Ready`, `NotReady` or `Unknown`, plus `SchedulingDisabled` when cordoned. */
export function nodeStatus(node: unknown): string {
  const status: string[] = [];
  const ready = list(node, 'status', 'conditions').filter((c) => str(c, 'type') === 'Ready');
  const cond = ready[ready.length - 1];
  if (cond !== undefined) status.push(str(cond, 'status') === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (get(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

const nodeAddress = (node: unknown, type: string): string =>
  str(
    list(node, 'status', 'addresses').find((a) => str(a, 'type') === type),
    'address',
  ) || '<none>';

/** `GetAccessModesAsString`: `RWO,ROX,RWX,RWOP`. */
export function accessModes(modes: readonly unknown[]): string {
  const order: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return order
    .filter(([m]) => modes.includes(m))
    .map(([, s]) => s)
    .join(',');
}

/** A PV's or PVC's storage class: `spec.storageClassName`, else the beta annotation. */
export function storageClassOf(obj: unknown): string {
  const cls = get(obj, 'spec', 'storageClassName');
  if (typeof cls === 'string') return cls;
  return str(obj, 'metadata', 'annotations', 'volume.beta.kubernetes.io/storage-class');
}

/** Whether a StorageClass is the cluster's default. */
export function isDefaultClass(obj: unknown): boolean {
  const a = strMap(obj, 'metadata', 'annotations');
  return (
    a['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    a['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  );
}

/** `Quantity.String()`: the API stores quantities canonical; hand-written objects are made so. */
const quantity = (v: unknown): string => canonicalQuantity(v ?? '0');

/** `SubjectsStrings`: users, groups and service accounts (`ns/name`) of a binding. */
export function subjectsStrings(binding: unknown): {
  users: string[];
  groups: string[];
  serviceAccounts: string[];
} {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of list(binding, 'subjects')) {
    const kind = str(s, 'kind');
    if (kind === 'ServiceAccount') serviceAccounts.push(`${str(s, 'namespace')}/${str(s, 'name')}`);
    else if (kind === 'User') users.push(str(s, 'name'));
    else if (kind === 'Group') groups.push(str(s, 'name'));
  }
  return { users, groups, serviceAccounts };
}

/** Age of an event's first and last occurrence and its count (the events.k8s.io fields when set). */
export function eventTimes(ev: unknown, now: number): { first: string; last: string; count: number } {
  const firstTs = get(ev, 'firstTimestamp');
  let first =
    typeof firstTs === 'string' && firstTs !== '' ? age(firstTs, now) : age(get(ev, 'eventTime'), now);
  const lastTs = get(ev, 'lastTimestamp');
  let last = typeof lastTs === 'string' && lastTs !== '' ? age(lastTs, now) : first;
  let count = num(ev, 'count');
  const series = get(ev, 'series');
  if (series !== undefined && series !== null) {
    last = age(get(series, 'lastObservedTime'), now);
    count = num(series, 'count');
  } else if (count === 0) {
    count = 1;
  }
  if (first === '') first = '<unknown>';
  return { first, last, count };
}

const firstNonEmpty = (...xs: string[]): string => xs.find((x) => x !== '') ?? '';

const bindingPrinter: KindPrinter = {
  columns: [
    column('Name'),
    column('Role'),
    column('Age'),
    column('Users', 'string', 1),
    column('Groups', 'string', 1),
    column('ServiceAccounts', 'string', 1),
  ],
  cells: (o, now) => {
    const s = subjectsStrings(o);
    return [
      nameOf(o),
      `${str(o, 'roleRef', 'kind')}/${str(o, 'roleRef', 'name')}`,
      created(o, now),
      s.users.join(', '),
      s.groups.join(', '),
      s.serviceAccounts.join(', '),
    ];
  },
};

/** The API server's default columns (Name, Created At) for kinds without their own printer. */
export const CREATED_AT_PRINTER: KindPrinter = {
  columns: [column('Name'), column('Created At', 'date')],
  cells: (o) => [nameOf(o), rfc3339(get(o, 'metadata', 'creationTimestamp'))],
};

const webhookPrinter: KindPrinter = {
  columns: [column('Name'), column('Webhooks', 'integer'), column('Age')],
  cells: (o, now) => [nameOf(o), list(o, 'webhooks').length, created(o, now)],
};

function quotaColumns(o: KubeObject): [string, string] {
  const hard = map(o, 'status', 'hard');
  const used = map(o, 'status', 'used');
  const requests: string[] = [];
  const limits: string[] = [];
  for (const r of Object.keys(hard).sort()) {
    const text = `${r}: ${quantity(used[r])}/${quantity(hard[r])}`;
    (r.split('.').length > 1 && r.startsWith('limits.') ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

/** The configuration, storage, cluster and RBAC kinds' printers, by kind. */
export const CLUSTER_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Node: {
    columns: [
      column('Name'),
      column('Status', 'string', 0, 'The status of the node'),
      column('Roles', 'string', 0, 'The roles of the node'),
      column('Age'),
      column('Version'),
      column('Internal-IP', 'string', 1),
      column('External-IP', 'string', 1),
      column('OS-Image', 'string', 1),
      column('Kernel-Version', 'string', 1),
      column('Container-Runtime', 'string', 1),
    ],
    cells: (o, now) => [
      nameOf(o),
      nodeStatus(o),
      nodeRoles(o).join(',') || '<none>',
      created(o, now),
      str(o, 'status', 'nodeInfo', 'kubeletVersion'),
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      str(o, 'status', 'nodeInfo', 'osImage') || '<unknown>',
      str(o, 'status', 'nodeInfo', 'kernelVersion') || '<unknown>',
      str(o, 'status', 'nodeInfo', 'containerRuntimeVersion') || '<unknown>',
    ],
  },
  Namespace: {
    columns: [column('Name'), column('Status', 'string', 0, 'The status of the namespace'), column('Age')],
    cells: (o, now) => [nameOf(o), str(o, 'status', 'phase'), created(o, now)],
  },
  ConfigMap: {
    columns: [column('Name'), column('Data'), column('Age')],
    cells: (o, now) => [nameOf(o), mapSize(o, 'data') + mapSize(o, 'binaryData'), created(o, now)],
  },
  Secret: {
    columns: [column('Name'), column('Type'), column('Data'), column('Age')],
    cells: (o, now) => [nameOf(o), str(o, 'type'), mapSize(o, 'data'), created(o, now)],
  },
  ServiceAccount: {
    columns: [column('Name'), column('Secrets'), column('Age')],
    cells: (o, now) => [nameOf(o), list(o, 'secrets').length, created(o, now)],
  },
  PersistentVolume: {
    columns: [
      column('Name'),
      column('Capacity'),
      column('Access Modes'),
      column('Reclaim Policy'),
      column('Status'),
      column('Claim'),
      column('StorageClass', 'string', 0, 'StorageClass of the pv'),
      column('VolumeAttributesClass', 'string', 0, 'VolumeAttributesClass of the pv'),
      column('Reason'),
      column('Age'),
      column('VolumeMode', 'string', 1),
    ],
    cells: (o, now) => {
      const claim = get(o, 'spec', 'claimRef');
      return [
        nameOf(o),
        quantity(get(o, 'spec', 'capacity', 'storage')),
        accessModes(list(o, 'spec', 'accessModes')),
        str(o, 'spec', 'persistentVolumeReclaimPolicy'),
        str(o, 'metadata', 'deletionTimestamp') !== '' ? 'Terminating' : str(o, 'status', 'phase'),
        claim === undefined || claim === null ? '' : `${str(claim, 'namespace')}/${str(claim, 'name')}`,
        storageClassOf(o),
        str(o, 'spec', 'volumeAttributesClassName') || '<unset>',
        str(o, 'status', 'reason'),
        created(o, now),
        str(o, 'spec', 'volumeMode') || '<unset>',
      ];
    },
  },
  PersistentVolumeClaim: {
    columns: [
      column('Name'),
      column('Status'),
      column('Volume'),
      column('Capacity'),
      column('Access Modes'),
      column('StorageClass', 'string', 0, 'StorageClass of the pvc'),
      column('VolumeAttributesClass', 'string', 0, 'VolumeAttributesClass of the pvc'),
      column('Age'),
      column('VolumeMode', 'string', 1),
    ],
    cells: (o, now) => {
      const bound = str(o, 'spec', 'volumeName') !== '';
      return [
        nameOf(o),
        str(o, 'metadata', 'deletionTimestamp') !== '' ? 'Terminating' : str(o, 'status', 'phase'),
        str(o, 'spec', 'volumeName'),
        bound ? quantity(get(o, 'status', 'capacity', 'storage')) : '',
        bound ? accessModes(list(o, 'status', 'accessModes')) : '',
        storageClassOf(o),
        str(o, 'spec', 'volumeAttributesClassName') || '<unset>',
        created(o, now),
        str(o, 'spec', 'volumeMode') || '<unset>',
      ];
    },
  },
  StorageClass: {
    columns: [
      column('Name'),
      column('Provisioner'),
      column('ReclaimPolicy'),
      column('VolumeBindingMode'),
      column('AllowVolumeExpansion'),
      column('Age'),
    ],
    cells: (o, now) => [
      isDefaultClass(o) ? `${nameOf(o)} (default)` : nameOf(o),
      str(o, 'provisioner'),
      str(o, 'reclaimPolicy') || 'Delete',
      str(o, 'volumeBindingMode') || 'Immediate',
      optBool(o, 'allowVolumeExpansion') ?? false,
      created(o, now),
    ],
  },
  Event: {
    columns: [
      column('Last Seen'),
      column('Type'),
      column('Reason'),
      column('Object'),
      column('Subobject', 'string', 1),
      column('Source', 'string', 1),
      column('Message'),
      column('First Seen', 'string', 1),
      column('Count', 'string', 1),
      { ...column('Name'), priority: 1 },
    ],
    cells: (o, now): Cell[] => {
      const t = eventTimes(o, now);
      const kind = str(o, 'involvedObject', 'kind').toLowerCase();
      const name = str(o, 'involvedObject', 'name');
      const component = firstNonEmpty(str(o, 'source', 'component'), str(o, 'reportingController'));
      const instance = firstNonEmpty(str(o, 'source', 'host'), str(o, 'reportingInstance'));
      return [
        t.last,
        str(o, 'type'),
        str(o, 'reason'),
        name === '' ? kind : `${kind}/${name}`,
        str(o, 'involvedObject', 'fieldPath'),
        instance === '' ? component : `${component}, ${instance}`,
        str(o, 'message').trim(),
        t.first,
        t.count,
        nameOf(o),
      ];
    },
  },
  Role: CREATED_AT_PRINTER,
  ClusterRole: CREATED_AT_PRINTER,
  LimitRange: CREATED_AT_PRINTER,
  CustomResourceDefinition: CREATED_AT_PRINTER,
  RoleBinding: bindingPrinter,
  ClusterRoleBinding: bindingPrinter,
  Lease: {
    columns: [column('Name'), column('Holder'), column('Age')],
    cells: (o, now) => [nameOf(o), str(o, 'spec', 'holderIdentity'), created(o, now)],
  },
  PriorityClass: {
    columns: [
      column('Name'),
      column('Value', 'integer'),
      column('Global-Default', 'boolean'),
      column('Age'),
      column('PreemptionPolicy'),
    ],
    cells: (o, now) => [
      nameOf(o),
      num(o, 'value'),
      optBool(o, 'globalDefault') ?? false,
      created(o, now),
      str(o, 'preemptionPolicy'),
    ],
  },
  ResourceQuota: {
    columns: [column('Name'), column('Age'), column('Request'), column('Limit')],
    cells: (o, now) => [nameOf(o), created(o, now), ...quotaColumns(o)],
  },
  CSIDriver: {
    columns: [
      column('Name'),
      column('AttachRequired', 'boolean'),
      column('PodInfoOnMount', 'boolean'),
      column('StorageCapacity', 'boolean'),
      column('TokenRequests'),
      column('RequiresRepublish', 'boolean'),
      column('Modes'),
      column('Age'),
    ],
    cells: (o, now) => {
      const tokens = get(o, 'spec', 'tokenRequests');
      return [
        nameOf(o),
        optBool(o, 'spec', 'attachRequired') ?? true,
        optBool(o, 'spec', 'podInfoOnMount') ?? false,
        optBool(o, 'spec', 'storageCapacity') ?? false,
        Array.isArray(tokens) ? tokens.map((t) => str(t, 'audience')).join(',') : '<unset>',
        optBool(o, 'spec', 'requiresRepublish') ?? false,
        list(o, 'spec', 'volumeLifecycleModes').join(',') || '<none>',
        created(o, now),
      ];
    },
  },
  MutatingWebhookConfiguration: webhookPrinter,
  ValidatingWebhookConfiguration: webhookPrinter,
  PodTemplate: {
    columns: [
      column('Name'),
      column('Containers', 'string', 0, 'Names of each container in the template.'),
      column('Images', 'string', 0, 'Images referenced by each container in the template.'),
      column('Pod Labels', 'string', 0, 'The labels for the pod template.'),
    ],
    cells: (o) => {
      const containers = list(o, 'template', 'spec', 'containers');
      const labels = strMap(o, 'template', 'metadata', 'labels');
      const keys = Object.keys(labels).sort();
      return [
        nameOf(o),
        containers.map((c) => str(c, 'name')).join(','),
        containers.map((c) => str(c, 'image')).join(','),
        keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels[k]}`).join(','),
      ];
    },
  },
};
