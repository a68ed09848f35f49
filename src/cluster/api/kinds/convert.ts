/**
 * Conversion of seed-era apiVersions to the served ones. Current Kubernetes refuses all of these
 * (`no matches for kind "Deployment" in version "extensions/v1beta1"`); bosun converts them so
 * the training's manifests keep working, the way an apiserver of their era did: first the old
 * version's own defaults (which differ: an `extensions/v1beta1` DaemonSet updates `OnDelete`),
 * then the field moves (Ingress `serviceName`/`servicePort` → `service.name`/`service.port`).
 * Kinds removed without a successor (PodSecurityPolicy) are refused.
 */

import { applyPathDefault } from './defaults.js';
import {
  child,
  clone,
  ensure,
  isObj,
  items,
  type Obj,
  setDefault,
  setDefaultString,
} from './object-paths.js';

/** Converts a copy of an old-version object in place (its `apiVersion` is set by the caller). */
type Converter = (o: Obj) => void;

const MAX_INT32 = 2147483647;

/** Old versions defaulted a missing selector from the template's labels. */
function selectorFromTemplate(o: Obj): void {
  const spec = child(o, 'spec');
  const labels = child(child(child(spec, 'template'), 'metadata'), 'labels');
  if (!spec || !labels || (spec.selector !== undefined && spec.selector !== null)) return;
  spec.selector = { matchLabels: { ...labels } };
}

function rollingStrategy(
  o: Obj,
  field: string,
  type: string,
  maxUnavailable: unknown,
  maxSurge: unknown,
): void {
  const strategy = ensure(ensure(o, 'spec') ?? {}, field);
  if (!strategy) return;
  setDefaultString(strategy, 'type', type);
  if (strategy.type !== 'RollingUpdate') return;
  const ru = ensure(strategy, 'rollingUpdate');
  if (!ru) return;
  setDefault(ru, 'maxUnavailable', maxUnavailable);
  if (maxSurge !== undefined) setDefault(ru, 'maxSurge', maxSurge);
}

function dropSpecFields(o: Obj, ...fields: string[]): void {
  const spec = child(o, 'spec');
  if (spec) for (const f of fields) delete spec[f];
}

const defaults =
  (...pairs: (readonly [string, unknown])[]): Converter =>
  (o) => {
    for (const [path, value] of pairs) applyPathDefault(o, path, value);
  };

const chain =
  (...steps: Converter[]): Converter =>
  (o) => {
    for (const step of steps) step(o);
  };

const identity: Converter = () => {};

/** `serviceName`/`servicePort` → `service: {name, port: {number | name}}`. */
function convertIngressBackend(b: Obj | undefined): void {
  if (!b || !('serviceName' in b || 'servicePort' in b)) return;
  const port = b.servicePort;
  const service: Obj = { name: b.serviceName };
  if (typeof port === 'number') service.port = { number: port };
  else if (typeof port === 'string') service.port = { name: port };
  delete b.serviceName;
  delete b.servicePort;
  b.service = service;
}

const ingressToV1: Converter = (o) => {
  const spec = child(o, 'spec');
  if (!spec) return;
  if ('backend' in spec) {
    spec.defaultBackend = spec.backend;
    delete spec.backend;
  }
  convertIngressBackend(child(spec, 'defaultBackend'));
  for (const rule of items(spec, 'rules')) {
    for (const path of items(child(rule, 'http'), 'paths')) {
      setDefaultString(path, 'pathType', 'ImplementationSpecific');
      convertIngressBackend(child(path, 'backend'));
    }
  }
};

/** autoscaling/v2beta1 metric → v2: `targetAverageUtilization` etc. become a `target`. */
function convertMetricV2beta1(m: Obj): void {
  const src = child(m, 'resource') ?? child(m, 'pods') ?? child(m, 'object') ?? child(m, 'external');
  if (!src) return;
  const target: Obj = {};
  if (src.targetAverageUtilization !== undefined) {
    target.type = 'Utilization';
    target.averageUtilization = src.targetAverageUtilization;
  } else if (src.targetAverageValue !== undefined) {
    target.type = 'AverageValue';
    target.averageValue = src.targetAverageValue;
  } else if (src.averageValue !== undefined) {
    target.type = 'AverageValue';
    target.averageValue = src.averageValue;
  } else if (src.targetValue !== undefined) {
    target.type = 'Value';
    target.value = src.targetValue;
  }
  if ('metricName' in src || 'metricSelector' in src || 'selector' in src) {
    const metric: Obj = { name: src.metricName };
    const selector = src.metricSelector ?? src.selector;
    if (selector !== undefined) metric.selector = selector;
    src.metric = metric;
  }
  if (isObj(src.target) && m.object) {
    src.describedObject = src.target;
  }
  for (const f of [
    'targetAverageUtilization',
    'targetAverageValue',
    'averageValue',
    'targetValue',
    'metricName',
    'metricSelector',
    'selector',
  ])
    delete src[f];
  src.target = target;
}

const hpaV2beta1: Converter = (o) => {
  for (const m of items(child(o, 'spec'), 'metrics')) convertMetricV2beta1(m);
};

const hpaV1: Converter = (o) => {
  const spec = child(o, 'spec');
  if (!spec) return;
  const pct = spec.targetCPUUtilizationPercentage;
  delete spec.targetCPUUtilizationPercentage;
  if (pct !== undefined && pct !== null)
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } },
      },
    ];
};

/** policy/v1beta1: an empty selector matched nothing; v1's matches everything, so keep the meaning. */
const pdbV1beta1: Converter = (o) => {
  const spec = child(o, 'spec');
  const sel = child(spec, 'selector');
  if (spec && sel && Object.keys(sel).length === 0)
    spec.selector = {
      matchExpressions: [
        { key: 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match', operator: 'Exists' },
      ],
    };
};

const endpointSliceV1beta1: Converter = (o) => {
  for (const ep of items(o, 'endpoints')) {
    const topology = child(ep, 'topology');
    if (!topology) continue;
    const rest: Obj = {};
    for (const [k, v] of Object.entries(topology)) {
      if (k === 'kubernetes.io/hostname') setDefault(ep, 'nodeName', v);
      else if (k === 'topology.kubernetes.io/zone') setDefault(ep, 'zone', v);
      else rest[k] = v;
    }
    delete ep.topology;
    if (Object.keys(rest).length) ep.deprecatedTopology = rest;
  }
};

const webhooksV1beta1: Converter = (o) => {
  for (const w of items(o, 'webhooks')) {
    setDefaultString(w, 'failurePolicy', 'Ignore');
    setDefaultString(w, 'matchPolicy', 'Exact');
    setDefaultString(w, 'sideEffects', 'Unknown');
    setDefault(w, 'timeoutSeconds', 30);
    setDefault(w, 'admissionReviewVersions', ['v1beta1']);
  }
};

/** apiextensions.k8s.io/v1beta1 → v1: top-level version, schema, subresources and columns move per version. */
const crdV1beta1: Converter = (o) => {
  const spec = child(o, 'spec');
  if (!spec) return;
  const versions: Obj[] = items(spec, 'versions').length
    ? items(spec, 'versions')
    : typeof spec.version === 'string'
      ? [{ name: spec.version, served: true, storage: true }]
      : [];
  const preserve = spec.preserveUnknownFields !== false;
  const topSchema = child(child(spec, 'validation'), 'openAPIV3Schema');
  const columns = items(spec, 'additionalPrinterColumns');
  for (const v of versions) {
    const schema =
      child(child(v, 'schema'), 'openAPIV3Schema') ?? (topSchema ? clone(topSchema) : { type: 'object' });
    if (preserve) schema['x-kubernetes-preserve-unknown-fields'] = true;
    v.schema = { openAPIV3Schema: schema };
    if (!('subresources' in v) && isObj(spec.subresources)) v.subresources = clone(spec.subresources);
    const cols = items(v, 'additionalPrinterColumns').length
      ? items(v, 'additionalPrinterColumns')
      : clone(columns);
    for (const c of cols) {
      if ('JSONPath' in c) {
        c.jsonPath = c.JSONPath;
        delete c.JSONPath;
      }
    }
    if (cols.length) v.additionalPrinterColumns = cols;
  }
  spec.versions = versions;
  for (const f of [
    'version',
    'validation',
    'subresources',
    'additionalPrinterColumns',
    'preserveUnknownFields',
  ])
    delete spec[f];
  const conversion = child(spec, 'conversion');
  if (conversion && ('webhookClientConfig' in conversion || 'conversionReviewVersions' in conversion)) {
    conversion.webhook = {
      clientConfig: conversion.webhookClientConfig,
      conversionReviewVersions: conversion.conversionReviewVersions ?? ['v1beta1'],
    };
    delete conversion.webhookClientConfig;
    delete conversion.conversionReviewVersions;
  }
};

const csrV1beta1: Converter = (o) => {
  const spec = child(o, 'spec');
  if (spec) setDefaultString(spec, 'signerName', 'kubernetes.io/legacy-unknown');
};

const subjectAccessReviewV1beta1: Converter = (o) => {
  const spec = child(o, 'spec');
  if (spec && 'group' in spec) {
    spec.groups = spec.group;
    delete spec.group;
  }
};

/** `apiVersion\0Kind` → converter to the served version. Versions with the same shape map to {@link identity}. */
export const CONVERTERS: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  [
    'extensions/v1beta1\0Deployment',
    chain(
      selectorFromTemplate,
      defaults(
        ['spec.replicas', 1],
        ['spec.revisionHistoryLimit', MAX_INT32],
        ['spec.progressDeadlineSeconds', MAX_INT32],
      ),
      (o) => rollingStrategy(o, 'strategy', 'RollingUpdate', 1, 1),
      (o) => dropSpecFields(o, 'rollbackTo'),
    ),
  ],
  [
    'apps/v1beta1\0Deployment',
    chain(
      selectorFromTemplate,
      defaults(['spec.replicas', 1], ['spec.revisionHistoryLimit', 2], ['spec.progressDeadlineSeconds', 600]),
      (o) => rollingStrategy(o, 'strategy', 'RollingUpdate', '25%', '25%'),
      (o) => dropSpecFields(o, 'rollbackTo'),
    ),
  ],
  ['apps/v1beta2\0Deployment', identity],
  [
    'extensions/v1beta1\0DaemonSet',
    chain(
      selectorFromTemplate,
      (o) => rollingStrategy(o, 'updateStrategy', 'OnDelete', 1, undefined),
      (o) => dropSpecFields(o, 'templateGeneration'),
    ),
  ],
  ['apps/v1beta2\0DaemonSet', identity],
  ['extensions/v1beta1\0ReplicaSet', selectorFromTemplate],
  ['apps/v1beta2\0ReplicaSet', identity],
  [
    'apps/v1beta1\0StatefulSet',
    chain(selectorFromTemplate, (o) =>
      rollingStrategy(o, 'updateStrategy', 'OnDelete', undefined, undefined),
    ),
  ],
  ['apps/v1beta2\0StatefulSet', identity],
  ['extensions/v1beta1\0Ingress', ingressToV1],
  ['networking.k8s.io/v1beta1\0Ingress', ingressToV1],
  ['extensions/v1beta1\0NetworkPolicy', identity],
  ['autoscaling/v1\0HorizontalPodAutoscaler', hpaV1],
  ['autoscaling/v2beta1\0HorizontalPodAutoscaler', hpaV2beta1],
  ['autoscaling/v2beta2\0HorizontalPodAutoscaler', identity],
  ['policy/v1beta1\0PodDisruptionBudget', pdbV1beta1],
  ['discovery.k8s.io/v1beta1\0EndpointSlice', endpointSliceV1beta1],
  ['admissionregistration.k8s.io/v1beta1\0MutatingWebhookConfiguration', webhooksV1beta1],
  ['admissionregistration.k8s.io/v1beta1\0ValidatingWebhookConfiguration', webhooksV1beta1],
  ['apiextensions.k8s.io/v1beta1\0CustomResourceDefinition', crdV1beta1],
  ['certificates.k8s.io/v1beta1\0CertificateSigningRequest', csrV1beta1],
  ['authorization.k8s.io/v1beta1\0SubjectAccessReview', subjectAccessReviewV1beta1],
  ['authorization.k8s.io/v1beta1\0LocalSubjectAccessReview', subjectAccessReviewV1beta1],
]);

/**
 * Converts `object` (written in an older `apiVersion`) to `servedApiVersion`: a converted copy,
 * or the object itself when it already is in the served version. Versions without an entry in
 * {@link CONVERTERS} that the registry accepts have the served shape (identity).
 */
export function convertObject(object: Obj, kind: string, servedApiVersion: string): Obj {
  const from = object.apiVersion;
  if (from === servedApiVersion) return object;
  const copy = clone(object);
  CONVERTERS.get(`${String(from)}\0${kind}`)?.(copy);
  copy.apiVersion = servedApiVersion;
  return copy;
}
