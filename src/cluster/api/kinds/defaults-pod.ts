/**
 * Pod defaults, as kube-apiserver applies them (`pkg/apis/core/v1/defaults.go`) to Pods and to
 * every pod template, plus the admission plugins that fill a new Pod (ServiceAccount,
 * DefaultTolerationSeconds, Priority).
 */

import { child, ensure, isObj, items, type Obj, setDefault, setDefaultString } from './object-paths.js';

/** Where the service-account token is mounted. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The annotation that marks a mirror pod (a static pod the kubelet reports to the API). */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** Seconds a pod tolerates a not-ready or unreachable node before eviction. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** `imagePullPolicy` from the image reference: `Always` for `:latest` or no tag, else `IfNotPresent`. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? '' : image.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHttpGet(h: Obj | undefined): void {
  if (!h) return;
  setDefaultString(h, 'path', '/');
  setDefaultString(h, 'scheme', 'HTTP');
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  defaultHttpGet(child(p, 'httpGet'));
}

/** Container defaults (also init and ephemeral containers). */
export function defaultContainer(c: Obj): void {
  if (typeof c.image === 'string' && c.image !== '')
    setDefaultString(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setDefaultString(c, 'terminationMessagePath', '/dev/termination-log');
  setDefaultString(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  for (const port of items(c, 'ports')) setDefaultString(port, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(child(c, probe));
  const lifecycle = child(c, 'lifecycle');
  for (const hook of ['postStart', 'preStop']) defaultHttpGet(child(child(lifecycle, hook), 'httpGet'));
  for (const env of items(c, 'env')) {
    const fieldRef = child(child(env, 'valueFrom'), 'fieldRef');
    if (fieldRef) setDefaultString(fieldRef, 'apiVersion', 'v1');
  }
}

const VOLUME_SOURCES_WITH_MODE = ['configMap', 'secret', 'downwardAPI', 'projected'];

/** Volume defaults: no source means `emptyDir: {}`; file modes 0644. */
export function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const s of VOLUME_SOURCES_WITH_MODE) {
    const src = child(v, s);
    if (src) setDefault(src, 'defaultMode', 0o644);
  }
  for (const src of items(child(v, 'projected'), 'sources')) {
    const token = child(src, 'serviceAccountToken');
    if (token) setDefault(token, 'expirationSeconds', 3600);
    for (const item of items(child(src, 'downwardAPI'), 'items')) {
      const fieldRef = child(item, 'fieldRef');
      if (fieldRef) setDefaultString(fieldRef, 'apiVersion', 'v1');
    }
  }
  for (const item of items(child(v, 'downwardAPI'), 'items')) {
    const fieldRef = child(item, 'fieldRef');
    if (fieldRef) setDefaultString(fieldRef, 'apiVersion', 'v1');
  }
}

/** Pod spec defaults shared by Pods and pod templates. */
export function defaultPodSpec(spec: Obj): void {
  setDefaultString(spec, 'dnsPolicy', 'ClusterFirst');
  setDefaultString(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultString(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'])
    for (const c of items(spec, list)) defaultContainer(c);
  for (const v of items(spec, 'volumes')) defaultVolume(v);
}

/** Defaults of a pod template (`spec.template` of every workload). */
export function defaultPodTemplate(template: Obj | undefined): void {
  const spec = template && ensure(template, 'spec');
  if (spec) defaultPodSpec(spec);
}

function tolerates(tolerations: Obj[], key: string): boolean {
  return tolerations.some(
    (t) =>
      (t.operator === 'Exists' && (t.key === undefined || t.key === '')) ||
      (t.key === key && (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute')),
  );
}

/** Options of {@link defaultPod}. */
export interface PodDefaultsOptions {
  /** Five characters for the `kube-api-access-xxxxx` volume name (from the cluster's seeded generator). */
  readonly suffix: string;
}

/**
 * Defaults of a Pod object: the pod spec defaults, then what the API server adds to a Pod
 * only (service links, requests from limits, host ports, service account, its token volume,
 * the not-ready/unreachable tolerations and the default priority).
 */
export function defaultPod(pod: Obj, options: PodDefaultsOptions): void {
  const spec = ensure(pod, 'spec');
  if (!spec) return;
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  for (const list of ['containers', 'initContainers']) {
    for (const c of items(spec, list)) {
      const res = child(c, 'resources');
      const limits = child(res, 'limits');
      if (res && limits && Object.keys(limits).length > 0) {
        const requests = ensure(res, 'requests');
        if (requests) for (const [k, v] of Object.entries(limits)) setDefault(requests, k, v);
      }
      if (spec.hostNetwork === true)
        for (const port of items(c, 'ports')) setDefault(port, 'hostPort', port.containerPort);
    }
  }
  // The ServiceAccount admission plugin leaves mirror pods (static pods the kubelet reports) alone.
  if (child(child(pod, 'metadata'), 'annotations')?.[MIRROR_POD_ANNOTATION] === undefined) {
    setDefaultString(
      spec,
      'serviceAccountName',
      typeof spec.serviceAccount === 'string' && spec.serviceAccount ? spec.serviceAccount : 'default',
    );
    setDefaultString(spec, 'serviceAccount', spec.serviceAccountName as string);
    mountServiceAccountToken(spec, options.suffix);
  }
  const tolerations = listAt(spec, 'tolerations');
  if (tolerations) {
    const objs = tolerations.filter(isObj);
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      if (!tolerates(objs, key))
        tolerations.push({
          key,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
        });
    }
  }
  if (spec.priorityClassName === undefined || spec.priorityClassName === '') setDefault(spec, 'priority', 0);
  setDefaultString(spec, 'preemptionPolicy', 'PreemptLowerPriority');
}

/** The projected `kube-api-access-xxxxx` volume and its mount in every container. */
function mountServiceAccountToken(spec: Obj, suffix: string): void {
  if (spec.automountServiceAccountToken === false) return;
  const containers = [...items(spec, 'initContainers'), ...items(spec, 'containers')];
  const mounted = containers.some((c) =>
    items(c, 'volumeMounts').some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH),
  );
  const volumes = listAt(spec, 'volumes');
  if (mounted || !volumes) return;
  const name = `kube-api-access-${suffix}`;
  volumes.push({
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  });
  for (const c of containers)
    listAt(c, 'volumeMounts')?.push({ name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
}

/** The array at `o[key]`, created when absent or null; undefined when something else is there. */
function listAt(o: Obj, key: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    const created: unknown[] = [];
    o[key] = created;
    return created;
  }
  return Array.isArray(v) ? v : undefined;
}
