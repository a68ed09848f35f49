/**
 * A minimal Kubernetes API server for the kubectl parity tests: legacy discovery for the kinds
 * below, GET of objects and lists (label and field selectors), and Tables from `toTable` when
 * kubectl asks for them, all from a fixed set of objects.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type KubeObject, type PrinterColumn, toTable } from '../../../src/cluster/printing/index.js';

/** A served kind: what discovery says about it. */
export interface ServedKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  /** In the `all` category (`kubectl get all`). */
  readonly all?: boolean;
}

const k = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ServedKind> = {},
): ServedKind => ({
  group,
  version,
  kind,
  plural,
  namespaced,
  ...extra,
});

/** The kinds served, in discovery order (which is also the order `get all` prints them in). */
export const SERVED_KINDS: readonly ServedKind[] = [
  k('', 'v1', 'Pod', 'pods', true, { shortNames: ['po'], all: true }),
  k('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], all: true }),
  k('', 'v1', 'Endpoints', 'endpoints', true),
  k('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  k('', 'v1', 'Secret', 'secrets', true),
  k('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  k('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'] }),
  k('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'] }),
  k('', 'v1', 'PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'] }),
  k('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'] }),
  k('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  k('', 'v1', 'ResourceQuota', 'resourcequotas', true, { shortNames: ['quota'] }),
  k('', 'v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  k('', 'v1', 'ReplicationController', 'replicationcontrollers', true, { shortNames: ['rc'], all: true }),
  k('apps', 'v1', 'Deployment', 'deployments', true, { shortNames: ['deploy'], all: true }),
  k('apps', 'v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'], all: true }),
  k('apps', 'v1', 'StatefulSet', 'statefulsets', true, { shortNames: ['sts'], all: true }),
  k('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], all: true }),
  k('batch', 'v1', 'Job', 'jobs', true, { all: true }),
  k('batch', 'v1', 'CronJob', 'cronjobs', true, { shortNames: ['cj'], all: true }),
  k('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
    shortNames: ['hpa'],
    all: true,
  }),
  k('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { shortNames: ['ing'] }),
  k('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  k('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
  k('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  k('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  k('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  k('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  k('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  k('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  k('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'] }),
  k('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  k('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, { shortNames: ['pc'] }),
  k('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd'],
  }),
  k('example.com', 'v1', 'Widget', 'widgets', true),
  k('example.com', 'v1', 'Gadget', 'gadgets', true),
];

/** The printer columns of the `Widget` custom resource's CRD. */
export const WIDGET_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
  { name: 'Color', type: 'string', jsonPath: '.spec.color' },
  { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
  { name: 'Labels', type: 'string', jsonPath: '.metadata.labels', priority: 1 },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/** Printer columns by kind. */
export const PRINTER_COLUMNS: Readonly<Record<string, readonly PrinterColumn[]>> = { Widget: WIDGET_COLUMNS };

const field = (obj: unknown, path: string): string => {
  let cur: unknown = obj;
  for (const key of path.split('.'))
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return typeof cur === 'string' ? cur : '';
};

/** Whether an object passes a `k=v,k!=v` selector over `get(obj, key)`. */
function passes(selector: string | null, get: (key: string) => string): boolean {
  for (const part of (selector ?? '').split(',')) {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
    if (m === null) continue;
    const equal = get(m[1]!) === m[3];
    if (m[2] === '!=' ? equal : !equal) return false;
  }
  return true;
}

const labelOf = (obj: KubeObject, key: string): string => {
  const labels = (obj.metadata as Record<string, unknown> | undefined)?.labels;
  const v =
    labels !== null && typeof labels === 'object' ? (labels as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : '';
};

const gv = (kind: ServedKind) => (kind.group === '' ? kind.version : `${kind.group}/${kind.version}`);

/** Starts the server on a free port; resolves with its URL and a `close`. */
export async function startServer(
  objects: readonly KubeObject[],
  now: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const send = (code: number, body: unknown, table = false) => {
      res.writeHead(code, {
        'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
      });
      res.end(JSON.stringify(body));
    };
    const notFound = (message: string) =>
      send(404, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'NotFound',
        code: 404,
      });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const table = (req.headers.accept ?? '').includes('as=Table');
    if (url.pathname === '/version') return send(200, { major: '1', minor: '34', gitVersion: 'v1.34.5' });
    if (url.pathname === '/api')
      return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') {
      const groups = [...new Set(SERVED_KINDS.filter((s) => s.group !== '').map(gv))].map((g) => {
        const [name, version] = g.split('/') as [string, string];
        return {
          name,
          versions: [{ groupVersion: g, version }],
          preferredVersion: { groupVersion: g, version },
        };
      });
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const m =
      /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (m === null) return notFound('the server could not find the requested resource');
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    let ns: string | undefined = m[4];
    let plural: string | undefined = m[5];
    let name: string | undefined = m[6];
    if (ns !== undefined && plural === undefined) {
      // `/api/v1/namespaces/<name>` is the Namespace itself.
      name = ns;
      ns = undefined;
      plural = 'namespaces';
    }
    if (plural === undefined) {
      const resources = SERVED_KINDS.filter((s) => s.group === group && s.version === version).map((s) => ({
        name: s.plural,
        singularName: s.kind.toLowerCase(),
        namespaced: s.namespaced,
        kind: s.kind,
        verbs: ['get', 'list', 'watch'],
        ...(s.shortNames === undefined ? {} : { shortNames: s.shortNames }),
        ...(s.all === true ? { categories: ['all'] } : {}),
      }));
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group === '' ? version : `${group}/${version}`,
        resources,
      });
    }
    const kind = SERVED_KINDS.find((s) => s.group === group && s.plural === plural);
    if (kind === undefined) return notFound('the server could not find the requested resource');
    let items = objects.filter(
      (o) => o.kind === kind.kind && (ns === undefined || field(o, 'metadata.namespace') === ns),
    );
    const tableOf = (list: readonly KubeObject[]) =>
      toTable(list, {
        kind: kind.kind,
        now,
        resourceVersion: '100',
        ...(PRINTER_COLUMNS[kind.kind] ? { printerColumns: PRINTER_COLUMNS[kind.kind]! } : {}),
      });
    if (name !== undefined) {
      const obj = items.find((o) => field(o, 'metadata.name') === name);
      if (obj === undefined)
        return notFound(
          `${kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`} "${name}" not found`,
        );
      return table ? send(200, tableOf([obj]), true) : send(200, obj);
    }
    items = items.filter(
      (o) =>
        passes(url.searchParams.get('labelSelector'), (key) => labelOf(o, key)) &&
        passes(url.searchParams.get('fieldSelector'), (key) => field(o, key)),
    );
    if (table) return send(200, tableOf(items), true);
    const bare = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    return send(200, {
      kind: `${kind.kind}List`,
      apiVersion: gv(kind),
      metadata: { resourceVersion: '100' },
      items: bare,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
