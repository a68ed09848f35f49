/**
 * Defaulting per kind, as kube-apiserver applies it to the served version (`SetDefaults_*` in
 * `pkg/apis/<group>/<version>/defaults.go`, plus what the registries' `PrepareForCreate` fill in).
 * Simple "field absent → value" defaults are data ({@link SIMPLE_DEFAULTS}); conditional ones are
 * the functions in {@link KIND_DEFAULTERS}. Allocation (ClusterIPs, NodePorts) is not here.
 */

import { defaultPod, defaultPodTemplate, type PodDefaultsOptions } from './defaults-pod.js';
import { child, ensure, isObj, items, type Obj, setDefault, setDefaultString } from './object-paths.js';

/** Options of {@link applyKindDefaults}. */
export interface DefaultsOptions extends PodDefaultsOptions {}

/** `group/Kind` → [path, value] pairs; a path may cross arrays with `[]` (`spec.ports[].protocol`). */
export const SIMPLE_DEFAULTS: Readonly<Record<string, readonly (readonly [string, unknown])[]>> = {
  '/Endpoints': [['subsets[].ports[].protocol', 'TCP']],
  '/PersistentVolume': [
    ['spec.persistentVolumeReclaimPolicy', 'Retain'],
    ['spec.volumeMode', 'Filesystem'],
    ['status.phase', 'Pending'],
  ],
  '/PersistentVolumeClaim': [
    ['spec.volumeMode', 'Filesystem'],
    ['status.phase', 'Pending'],
  ],
  '/ReplicationController': [['spec.replicas', 1]],
  '/Secret': [['type', 'Opaque']],
  'apps/DaemonSet': [['spec.revisionHistoryLimit', 10]],
  'apps/Deployment': [
    ['spec.replicas', 1],
    ['spec.revisionHistoryLimit', 10],
    ['spec.progressDeadlineSeconds', 600],
  ],
  'apps/ReplicaSet': [['spec.replicas', 1]],
  'apps/StatefulSet': [
    ['spec.replicas', 1],
    ['spec.podManagementPolicy', 'OrderedReady'],
    ['spec.revisionHistoryLimit', 10],
    ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted', 'Retain'],
    ['spec.persistentVolumeClaimRetentionPolicy.whenScaled', 'Retain'],
    ['spec.volumeClaimTemplates[].apiVersion', 'v1'],
    ['spec.volumeClaimTemplates[].kind', 'PersistentVolumeClaim'],
    ['spec.volumeClaimTemplates[].spec.volumeMode', 'Filesystem'],
    ['spec.volumeClaimTemplates[].status.phase', 'Pending'],
  ],
  'autoscaling/HorizontalPodAutoscaler': [['spec.minReplicas', 1]],
  'batch/CronJob': [
    ['spec.concurrencyPolicy', 'Allow'],
    ['spec.suspend', false],
    ['spec.successfulJobsHistoryLimit', 3],
    ['spec.failedJobsHistoryLimit', 1],
  ],
  'batch/Job': [
    ['spec.completionMode', 'NonIndexed'],
    ['spec.suspend', false],
  ],
  'discovery.k8s.io/EndpointSlice': [['ports[].protocol', 'TCP']],
  'networking.k8s.io/NetworkPolicy': [
    ['spec.ingress[].ports[].protocol', 'TCP'],
    ['spec.egress[].ports[].protocol', 'TCP'],
  ],
  'scheduling.k8s.io/PriorityClass': [['preemptionPolicy', 'PreemptLowerPriority']],
  'storage.k8s.io/CSIDriver': [
    ['spec.attachRequired', true],
    ['spec.podInfoOnMount', false],
    ['spec.requiresRepublish', false],
    ['spec.storageCapacity', false],
    ['spec.seLinuxMount', false],
    ['spec.fsGroupPolicy', 'ReadWriteOnceWithFSType'],
    ['spec.volumeLifecycleModes', ['Persistent']],
  ],
  'storage.k8s.io/StorageClass': [
    ['reclaimPolicy', 'Delete'],
    ['volumeBindingMode', 'Immediate'],
  ],
  'apiextensions.k8s.io/CustomResourceDefinition': [['spec.conversion.strategy', 'None']],
};

/** Applies one `a.b[].c` default; objects along the way are created, arrays are not. */
export function applyPathDefault(o: Obj, path: string, value: unknown): void {
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? '' : path.slice(dot + 1);
  if (head.endsWith('[]')) {
    for (const item of items(o, head.slice(0, -2))) if (rest) applyPathDefault(item, rest, value);
    return;
  }
  if (!rest) {
    if (typeof value === 'string') setDefaultString(o, head, value);
    else setDefault(o, head, Array.isArray(value) || isObj(value) ? structuredClone(value) : value);
    return;
  }
  const next = ensure(o, head);
  if (next) applyPathDefault(next, rest, value);
}

const templateOf = (o: Obj) => child(child(o, 'spec'), 'template');

function defaultRollingUpdate(strategy: Obj, kind: 'Deployment' | 'DaemonSet'): void {
  setDefaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type !== 'RollingUpdate') return;
  const ru = ensure(strategy, 'rollingUpdate');
  if (!ru) return;
  setDefault(ru, 'maxUnavailable', kind === 'Deployment' ? '25%' : 1);
  setDefault(ru, 'maxSurge', kind === 'Deployment' ? '25%' : 0);
}

function labelsOf(o: Obj | undefined): Obj | undefined {
  const labels = child(child(o, 'metadata'), 'labels');
  return labels && Object.keys(labels).length > 0 ? labels : undefined;
}

/** Conditional defaults per `group/Kind`, run after {@link SIMPLE_DEFAULTS}. */
export const KIND_DEFAULTERS: Readonly<Record<string, (o: Obj, options: DefaultsOptions) => void>> = {
  '/Pod': (o, options) => defaultPod(o, options),
  '/PodTemplate': (o) => defaultPodTemplate(child(o, 'template')),
  '/ReplicationController': (o) => {
    const spec = child(o, 'spec');
    const template = templateOf(o);
    defaultPodTemplate(template);
    const labels = labelsOf(template);
    if (!spec || !labels) return;
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    const meta = ensure(o, 'metadata');
    if (meta && (!isObj(meta.labels) || Object.keys(meta.labels).length === 0)) meta.labels = { ...labels };
  },
  '/Service': (o) => {
    const spec = ensure(o, 'spec');
    if (!spec) return;
    setDefaultString(spec, 'type', 'ClusterIP');
    setDefaultString(spec, 'sessionAffinity', 'None');
    if (spec.sessionAffinity === 'ClientIP') {
      const clientIP = ensure(ensure(spec, 'sessionAffinityConfig') ?? {}, 'clientIP');
      if (clientIP) setDefault(clientIP, 'timeoutSeconds', 10800);
    }
    for (const port of items(spec, 'ports')) {
      setDefaultString(port, 'protocol', 'TCP');
      if (
        port.targetPort === undefined ||
        port.targetPort === null ||
        port.targetPort === 0 ||
        port.targetPort === ''
      )
        port.targetPort = port.port;
    }
    const type = spec.type;
    if (type === 'ExternalName') return;
    setDefaultString(spec, 'internalTrafficPolicy', 'Cluster');
    setDefaultString(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'ipFamilies', ['IPv4']);
    if (type === 'NodePort' || type === 'LoadBalancer')
      setDefaultString(spec, 'externalTrafficPolicy', 'Cluster');
    if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  },
  '/Secret': (o) => {
    // stringData is write-only: the API server merges it into data, base64-encoded.
    const stringData = child(o, 'stringData');
    if (!stringData) return;
    const data = ensure(o, 'data');
    if (!data) return;
    for (const [k, v] of Object.entries(stringData))
      if (typeof v === 'string') data[k] = Buffer.from(v).toString('base64');
    delete o.stringData;
  },
  '/Namespace': (o) => {
    const meta = ensure(o, 'metadata');
    const labels = meta && ensure(meta, 'labels');
    if (labels && typeof meta.name === 'string') labels['kubernetes.io/metadata.name'] = meta.name;
    const spec = ensure(o, 'spec');
    if (spec) setDefault(spec, 'finalizers', ['kubernetes']);
    const status = ensure(o, 'status');
    if (status) setDefaultString(status, 'phase', 'Active');
  },
  'apps/Deployment': (o) => {
    const strategy = ensure(ensure(o, 'spec') ?? {}, 'strategy');
    if (strategy) defaultRollingUpdate(strategy, 'Deployment');
    defaultPodTemplate(templateOf(o));
  },
  'apps/DaemonSet': (o) => {
    const strategy = ensure(ensure(o, 'spec') ?? {}, 'updateStrategy');
    if (strategy) defaultRollingUpdate(strategy, 'DaemonSet');
    defaultPodTemplate(templateOf(o));
  },
  'apps/ReplicaSet': (o) => defaultPodTemplate(templateOf(o)),
  'apps/StatefulSet': (o) => {
    const strategy = ensure(ensure(o, 'spec') ?? {}, 'updateStrategy');
    if (strategy) {
      setDefaultString(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const ru = ensure(strategy, 'rollingUpdate');
        if (ru) setDefault(ru, 'partition', 0);
      }
    }
    defaultPodTemplate(templateOf(o));
  },
  'batch/Job': (o) => {
    const spec = ensure(o, 'spec');
    if (!spec) return;
    if (
      (spec.completions === undefined || spec.completions === null) &&
      (spec.parallelism === undefined || spec.parallelism === null)
    )
      spec.completions = 1;
    setDefault(spec, 'parallelism', 1);
    setDefault(
      spec,
      'backoffLimit',
      spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null ? 2147483647 : 6,
    );
    setDefaultString(
      spec,
      'podReplacementPolicy',
      isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed',
    );
    defaultPodTemplate(templateOf(o));
    generateJobSelector(o, spec);
    const labels = labelsOf(templateOf(o));
    const meta = ensure(o, 'metadata');
    if (meta && labels && (!isObj(meta.labels) || Object.keys(meta.labels).length === 0))
      meta.labels = { ...labels };
  },
  'batch/CronJob': (o) =>
    defaultPodTemplate(child(child(child(child(o, 'spec'), 'jobTemplate'), 'spec'), 'template')),
  'autoscaling/HorizontalPodAutoscaler': (o) => {
    const spec = child(o, 'spec');
    if (!spec || (Array.isArray(spec.metrics) && spec.metrics.length > 0)) return;
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ];
  },
  'networking.k8s.io/NetworkPolicy': (o) => {
    const spec = child(o, 'spec');
    if (!spec || (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0)) return;
    spec.policyTypes =
      Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  'rbac.authorization.k8s.io/RoleBinding': (o) => defaultSubjects(o),
  'rbac.authorization.k8s.io/ClusterRoleBinding': (o) => defaultSubjects(o),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': (o) => defaultWebhooks(o, true),
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': (o) => defaultWebhooks(o, false),
  'apiextensions.k8s.io/CustomResourceDefinition': (o) => {
    const names = child(child(o, 'spec'), 'names');
    if (!names || typeof names.kind !== 'string') return;
    setDefaultString(names, 'singular', names.kind.toLowerCase());
    setDefaultString(names, 'listKind', `${names.kind}List`);
  },
};

/** A Job's generated selector (`batch.kubernetes.io/controller-uid`), once it has a uid. */
export function generateJobSelector(job: Obj, spec: Obj): void {
  const meta = child(job, 'metadata');
  const uid = meta?.uid;
  if (typeof uid !== 'string' || uid === '' || spec.manualSelector === true || isObj(spec.selector)) return;
  const name = typeof meta?.name === 'string' ? meta.name : '';
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const tmeta = ensure(ensure(spec, 'template') ?? {}, 'metadata');
  const labels = tmeta && ensure(tmeta, 'labels');
  if (!labels) return;
  Object.assign(labels, {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  });
}

function defaultSubjects(o: Obj): void {
  for (const s of items(o, 'subjects'))
    if (s.kind === 'User' || s.kind === 'Group') setDefaultString(s, 'apiGroup', 'rbac.authorization.k8s.io');
}

function defaultWebhooks(o: Obj, mutating: boolean): void {
  for (const w of items(o, 'webhooks')) {
    setDefaultString(w, 'failurePolicy', 'Fail');
    setDefaultString(w, 'matchPolicy', 'Equivalent');
    setDefault(w, 'namespaceSelector', {});
    setDefault(w, 'objectSelector', {});
    setDefault(w, 'timeoutSeconds', 10);
    if (mutating) setDefaultString(w, 'reinvocationPolicy', 'Never');
    for (const r of items(w, 'rules')) setDefaultString(r, 'scope', '*');
    const service = child(child(w, 'clientConfig'), 'service');
    if (service) setDefault(service, 'port', 443);
  }
}

/** Applies the defaults of `group/Kind` to a served-version object, in place. */
export function applyKindDefaults(o: Obj, group: string, kind: string, options: DefaultsOptions): void {
  const key = `${group}/${kind}`;
  for (const [path, value] of SIMPLE_DEFAULTS[key] ?? []) applyPathDefault(o, path, value);
  KIND_DEFAULTERS[key]?.(o, options);
}
