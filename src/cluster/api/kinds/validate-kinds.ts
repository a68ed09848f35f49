/**
 * Per-kind semantic validation (`pkg/apis/<group>/validation`), for the rules the training and
 * common charts run into, with the API server's messages. Keyed by `group/Kind`.
 */

import { isConfigMapKey, isDns1123Label } from '../../../internal/k8s-names.js';
import {
  duplicate,
  forbidden,
  invalid,
  type KubeFieldError,
  notSupported,
  required,
  tooLong,
} from '../schema/field-errors.js';
import { child, items, type Obj } from './object-paths.js';
import { validateSchedule } from './validate-cron.js';
import {
  isEmptySelector,
  renderLabels,
  renderSelector,
  selectorMatches,
  validateLabelSelector,
  validateLabels,
} from './validate-meta.js';
import { validatePodSpec, validatePodTemplate, validatePortNumOrName } from './validate-pod.js';

/** ConfigMap and Secret data may not exceed 1 MiB. */
export const MAX_SECRET_SIZE = 1024 * 1024;

type KindValidator = (o: Obj) => KubeFieldError[];

const ALWAYS = ['Always'];
const JOB_RESTART = ['OnFailure', 'Never'];
const PERCENT_RE = /^[0-9]+%$/;

function nonNegative(o: Obj | undefined, field: string, path: string): KubeFieldError[] {
  const v = o?.[field];
  return typeof v === 'number' && v < 0
    ? [invalid(`${path}.${field}`, v, 'must be greater than or equal to 0')]
    : [];
}

/** `ValidateIntOrPercent` plus the ≤ 100% rule of rolling-update fields. */
function intOrPercent(v: unknown, path: string): KubeFieldError[] {
  if (typeof v === 'number') return v < 0 ? [invalid(path, v, 'must be greater than or equal to 0')] : [];
  if (typeof v !== 'string') return [];
  if (!PERCENT_RE.test(v))
    return [
      invalid(
        path,
        v,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    ];
  return Number.parseInt(v, 10) > 100 ? [invalid(path, v, 'must not be greater than 100%')] : [];
}

const isZero = (v: unknown) => v === 0 || v === '0%';

/** The template labels a selector does not match. */
function selectorMismatch(labels: Obj | undefined): KubeFieldError {
  return invalid(
    'spec.template.metadata.labels',
    labels ?? null,
    '`selector` does not match template `labels`',
    renderLabels(labels),
  );
}

/** Selector + template rules shared by Deployment, ReplicaSet, DaemonSet and StatefulSet. */
function selectorAndTemplate(o: Obj, what: string): KubeFieldError[] {
  const spec = child(o, 'spec');
  const errs: KubeFieldError[] = [];
  const selector = child(spec, 'selector');
  const template = child(spec, 'template');
  if (!selector) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    if (isEmptySelector(selector))
      errs.push(
        invalid('spec.selector', selector, `empty selector is invalid for ${what}`, renderSelector(selector)),
      );
  }
  const labels = child(child(template, 'metadata'), 'labels');
  if (selector && !isEmptySelector(selector) && !selectorMatches(selector, labels ?? {}))
    errs.push(selectorMismatch(labels));
  errs.push(...nonNegative(spec, 'replicas', 'spec'));
  errs.push(...nonNegative(spec, 'minReadySeconds', 'spec'));
  errs.push(...nonNegative(spec, 'revisionHistoryLimit', 'spec'));
  const claims = items(spec, 'volumeClaimTemplates').map((c) => String(child(c, 'metadata')?.name ?? ''));
  errs.push(...validatePodTemplate(template, 'spec.template', ALWAYS, claims));
  return errs;
}

function rollingUpdate(strategy: Obj | undefined, path: string, recreateType: string): KubeFieldError[] {
  if (!strategy) return [];
  const ru = child(strategy, 'rollingUpdate');
  if (!ru) return [];
  if (strategy.type === recreateType)
    return [
      forbidden(`${path}.rollingUpdate`, `may not be specified when strategy \`type\` is '${recreateType}'`),
    ];
  const errs = [
    ...intOrPercent(ru.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`),
    ...intOrPercent(ru.maxSurge, `${path}.rollingUpdate.maxSurge`),
  ];
  if (isZero(ru.maxUnavailable) && (ru.maxSurge === undefined || isZero(ru.maxSurge)))
    errs.push(
      invalid(`${path}.rollingUpdate.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'),
    );
  return errs;
}

/** ConfigMap/Secret keys, and the 1 MiB limit. */
function dataKeys(
  o: Obj,
  fields: readonly string[],
  sizePath: string,
  decode: (field: string, v: string) => number,
): KubeFieldError[] {
  const errs: KubeFieldError[] = [];
  let total = 0;
  const seen = new Set<string>();
  for (const field of fields) {
    const data = child(o, field);
    if (!data) continue;
    for (const [k, v] of Object.entries(data)) {
      for (const m of isConfigMapKey(k)) errs.push(invalid(`${field}[${k}]`, k, m));
      if (seen.has(k)) errs.push(invalid(`${field}[${k}]`, k, 'duplicate of key present in data'));
      seen.add(k);
      if (typeof v === 'string') total += decode(field, v);
    }
  }
  if (total > MAX_SECRET_SIZE)
    errs.push(tooLong(sizePath, MAX_SECRET_SIZE, `must have at most ${MAX_SECRET_SIZE} bytes`));
  return errs;
}

function validateServicePorts(spec: Obj): KubeFieldError[] {
  const errs: KubeFieldError[] = [];
  const ports = items(spec, 'ports');
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && spec.type !== 'ExternalName' && !headless) errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `spec.ports[${i}]`;
    if (typeof port.name === 'string' && port.name !== '') {
      for (const m of isDns1123Label(port.name)) errs.push(invalid(`${p}.name`, port.name, m));
      if (names.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      names.add(port.name);
    } else if (ports.length > 1) errs.push(required(`${p}.name`));
    if (typeof port.port !== 'number' || port.port < 1 || port.port > 65535)
      errs.push(invalid(`${p}.port`, port.port ?? 0, 'must be between 1 and 65535, inclusive'));
    if (port.targetPort !== undefined && port.targetPort !== 0 && port.targetPort !== '')
      errs.push(...validatePortNumOrName(port.targetPort, `${p}.targetPort`));
  });
  return errs;
}

function validateRules(o: Obj, namespaced: boolean): KubeFieldError[] {
  const errs: KubeFieldError[] = [];
  items(o, 'rules').forEach((r, i) => {
    const p = `rules[${i}]`;
    if (!Array.isArray(r.verbs) || r.verbs.length === 0)
      errs.push(required(`${p}.verbs`, 'verbs must contain at least one value'));
    const urls = Array.isArray(r.nonResourceURLs) ? r.nonResourceURLs : [];
    if (namespaced && urls.length > 0)
      errs.push(invalid(`${p}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    const resources = Array.isArray(r.resources) ? r.resources : [];
    if (resources.length > 0 && (!Array.isArray(r.apiGroups) || r.apiGroups.length === 0))
      errs.push(required(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
  });
  return errs;
}

function validateBinding(o: Obj, cluster: boolean): KubeFieldError[] {
  const errs: KubeFieldError[] = [];
  const ref = child(o, 'roleRef');
  const kinds = cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!ref) errs.push(required('roleRef'));
  else {
    if (ref.apiGroup !== 'rbac.authorization.k8s.io')
      errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', ['rbac.authorization.k8s.io']));
    if (!kinds.includes(String(ref.kind))) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
    if (typeof ref.name !== 'string' || ref.name === '') errs.push(required('roleRef.name'));
  }
  items(o, 'subjects').forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (typeof s.name !== 'string' || s.name === '') errs.push(required(`${p}.name`));
    if (!['ServiceAccount', 'User', 'Group'].includes(String(s.kind)))
      errs.push(notSupported(`${p}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    else if (
      s.kind === 'ServiceAccount' &&
      cluster &&
      (typeof s.namespace !== 'string' || s.namespace === '')
    )
      errs.push(required(`${p}.namespace`));
  });
  return errs;
}

/** Semantic rules per `group/Kind`; kinds without an entry get metadata and schema checks only. */
export const KIND_VALIDATORS: Readonly<Record<string, KindValidator>> = {
  '/Pod': (o) => validatePodSpec(o.spec, 'spec'),
  '/PodTemplate': (o) => validatePodTemplate(o.template, 'template'),
  '/ReplicationController': (o) => {
    const spec = child(o, 'spec');
    const errs: KubeFieldError[] = [];
    const selector = child(spec, 'selector');
    const labels = child(child(child(spec, 'template'), 'metadata'), 'labels');
    if (!selector || Object.keys(selector).length === 0) errs.push(required('spec.selector'));
    else {
      errs.push(...validateLabels(selector, 'spec.selector'));
      if (!selectorMatches({ matchLabels: selector }, labels ?? {})) errs.push(selectorMismatch(labels));
    }
    errs.push(...nonNegative(spec, 'replicas', 'spec'));
    errs.push(...validatePodTemplate(spec?.template, 'spec.template', ALWAYS));
    return errs;
  },
  '/Service': (o) => {
    const spec = child(o, 'spec');
    if (!spec) return [required('spec.ports')];
    const errs = validateServicePorts(spec);
    errs.push(...validateLabels(spec.selector, 'spec.selector'));
    if (spec.type === 'ExternalName' && (typeof spec.externalName !== 'string' || spec.externalName === ''))
      errs.push(required('spec.externalName'));
    return errs;
  },
  '/ConfigMap': (o) =>
    dataKeys(o, ['data', 'binaryData'], '[]', (f, v) =>
      f === 'data' ? Buffer.byteLength(v) : Math.floor((v.length * 3) / 4),
    ),
  '/Secret': (o) =>
    dataKeys(o, ['data'], 'data', (_, v) => Math.floor((v.replace(/=+$/, '').length * 3) / 4)),
  '/PersistentVolumeClaim': (o) => {
    const spec = child(o, 'spec');
    const errs: KubeFieldError[] = [];
    if (!Array.isArray(spec?.accessModes) || spec.accessModes.length === 0)
      errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
    if (child(child(spec, 'resources'), 'requests')?.storage === undefined)
      errs.push(required('spec.resources[storage]'));
    errs.push(...validateLabelSelector(spec?.selector, 'spec.selector'));
    return errs;
  },
  '/PersistentVolume': (o) => {
    const spec = child(o, 'spec');
    const errs: KubeFieldError[] = [];
    if (!child(spec, 'capacity')) errs.push(required('spec.capacity'));
    if (!Array.isArray(spec?.accessModes) || spec.accessModes.length === 0)
      errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
    return errs;
  },
  'apps/Deployment': (o) => {
    const spec = child(o, 'spec');
    const errs = selectorAndTemplate(o, 'deployment');
    errs.push(...rollingUpdate(child(spec, 'strategy'), 'spec.strategy', 'Recreate'));
    const pds = spec?.progressDeadlineSeconds;
    const mrs = typeof spec?.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (typeof pds === 'number' && pds <= mrs)
      errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
    return errs;
  },
  'apps/ReplicaSet': (o) => selectorAndTemplate(o, 'deployment'),
  'apps/DaemonSet': (o) => {
    const errs = selectorAndTemplate(o, 'daemonset');
    errs.push(...rollingUpdate(child(child(o, 'spec'), 'updateStrategy'), 'spec.updateStrategy', 'OnDelete'));
    return errs;
  },
  'apps/StatefulSet': (o) => selectorAndTemplate(o, 'statefulset'),
  'batch/Job': (o) => {
    const spec = child(o, 'spec');
    const errs = [
      ...nonNegative(spec, 'parallelism', 'spec'),
      ...nonNegative(spec, 'completions', 'spec'),
      ...nonNegative(spec, 'backoffLimit', 'spec'),
    ];
    errs.push(...validatePodTemplate(spec?.template, 'spec.template', JOB_RESTART));
    return errs;
  },
  'batch/CronJob': (o) => {
    const spec = child(o, 'spec');
    const errs = validateSchedule(spec?.schedule);
    const jobSpec = child(child(spec, 'jobTemplate'), 'spec');
    errs.push(...validatePodTemplate(jobSpec?.template, 'spec.jobTemplate.spec.template', JOB_RESTART));
    return errs;
  },
  'autoscaling/HorizontalPodAutoscaler': (o) => {
    const spec = child(o, 'spec');
    const errs: KubeFieldError[] = [];
    const ref = child(spec, 'scaleTargetRef');
    if (!ref?.kind) errs.push(required('spec.scaleTargetRef.kind'));
    if (!ref?.name) errs.push(required('spec.scaleTargetRef.name'));
    const min = spec?.minReplicas;
    const max = spec?.maxReplicas;
    if (typeof min === 'number' && min < 1)
      errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
    if (typeof max === 'number' && max < 1)
      errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to 1'));
    if (typeof min === 'number' && typeof max === 'number' && min > max)
      errs.push(invalid('spec.minReplicas', min, 'must be less than or equal to maxReplicas'));
    return errs;
  },
  'networking.k8s.io/Ingress': (o) => {
    const errs: KubeFieldError[] = [];
    items(child(o, 'spec'), 'rules').forEach((rule, r) => {
      items(child(rule, 'http'), 'paths').forEach((path, i) => {
        const p = `spec.rules[${r}].http.paths[${i}]`;
        if (typeof path.pathType !== 'string' || path.pathType === '')
          errs.push(required(`${p}.pathType`, 'pathType must be specified'));
        else if (
          (path.pathType === 'Prefix' || path.pathType === 'Exact') &&
          typeof path.path === 'string' &&
          !path.path.startsWith('/')
        )
          errs.push(invalid(`${p}.path`, path.path, 'must be an absolute path'));
        const backend = child(path, 'backend');
        const service = child(backend, 'service');
        if (!service && !child(backend, 'resource'))
          errs.push(invalid(`${p}.backend`, '', 'resource or service must be specified'));
        const port = child(service, 'port');
        if (service && (!port || (port.number === undefined && port.name === undefined)))
          errs.push(required(`${p}.backend.service.port`, 'port name or number is required'));
      });
    });
    return errs;
  },
  'networking.k8s.io/NetworkPolicy': (o) =>
    validateLabelSelector(child(o, 'spec')?.podSelector, 'spec.podSelector'),
  'policy/PodDisruptionBudget': (o) => {
    const spec = child(o, 'spec');
    const errs = validateLabelSelector(spec?.selector, 'spec.selector');
    if (spec && spec.minAvailable !== undefined && spec.maxUnavailable !== undefined)
      errs.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
    return errs;
  },
  'rbac.authorization.k8s.io/Role': (o) => validateRules(o, true),
  'rbac.authorization.k8s.io/ClusterRole': (o) => validateRules(o, false),
  'rbac.authorization.k8s.io/RoleBinding': (o) => validateBinding(o, false),
  'rbac.authorization.k8s.io/ClusterRoleBinding': (o) => validateBinding(o, true),
  'apiextensions.k8s.io/CustomResourceDefinition': (o) => {
    const spec = child(o, 'spec');
    const names = child(spec, 'names');
    const errs: KubeFieldError[] = [];
    const name = child(o, 'metadata')?.name;
    const expected = `${String(names?.plural ?? '')}.${String(spec?.group ?? '')}`;
    if (typeof name === 'string' && name !== expected)
      errs.push(invalid('metadata.name', name, `must be spec.names.plural+"."+spec.group`));
    if (!names?.kind) errs.push(required('spec.names.kind'));
    if (!names?.plural) errs.push(required('spec.names.plural'));
    const versions = items(spec, 'versions');
    if (versions.length === 0)
      errs.push(required('spec.versions', 'must have exactly one version marked as storage version'));
    else if (versions.filter((v) => v.storage === true).length !== 1)
      errs.push(
        invalid(
          'spec.versions',
          versions.map((v) => v.name),
          'must have exactly one version marked as storage version',
        ),
      );
    return errs;
  },
};

/** Runs the kind's rules on a served-version object (after defaulting). */
export function validateKind(o: Obj, group: string, kind: string): KubeFieldError[] {
  const v = KIND_VALIDATORS[`${group}/${kind}`];
  return v ? v(o) : [];
}
