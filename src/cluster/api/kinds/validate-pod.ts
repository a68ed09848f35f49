/**
 * Validation of pod specs (Pods and every pod template), with the API server's messages
 * (`ValidatePodSpec`, `validateContainers`, `ValidateVolumes`, `validateProbe`, …): the rules the
 * training's manifests run into.
 */

import { isDns1123Label, isEnvVarName, isIanaSvcName, isValidPortNum } from '../../../internal/k8s-names.js';
import { quantityNumber } from '../../../internal/quantity.js';
import {
  duplicate,
  invalid,
  type KubeFieldError,
  notFound,
  notSupported,
  required,
} from '../schema/field-errors.js';
import { child, isObj, items, type Obj } from './object-paths.js';
import { validateLabels } from './validate-meta.js';

/** A quantity's value as a number (`500m` → 0.5, `1Gi` → 1073741824), or undefined. */
export const quantityValue = quantityNumber;

/** A named or numbered port (`targetPort`, probe ports). */
export function validatePortNumOrName(port: unknown, path: string): KubeFieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(path, port, m));
  if (typeof port === 'string') return isIanaSvcName(port).map((m) => invalid(path, port, m));
  return [];
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function validateProbe(probe: Obj | undefined, path: string, liveness: boolean): KubeFieldError[] {
  if (!probe) return [];
  const errs: KubeFieldError[] = [];
  const handlers = HANDLERS.filter((h) => isObj(probe[h]));
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  else if (handlers.length > 1)
    errs.push({
      type: 'Forbidden',
      field: `${path}.${handlers[1]}`,
      message: 'may not specify more than 1 handler type',
    });
  const port = child(probe, 'httpGet')?.port ?? child(probe, 'tcpSocket')?.port;
  if (port !== undefined) errs.push(...validatePortNumOrName(port, `${path}.${handlers[0]}.port`));
  if (liveness && probe.successThreshold !== undefined && probe.successThreshold !== 1)
    errs.push(invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  return errs;
}

function validateResources(res: Obj | undefined, path: string): KubeFieldError[] {
  const limits = child(res, 'limits');
  const requests = child(res, 'requests');
  if (!limits || !requests) return [];
  const errs: KubeFieldError[] = [];
  for (const [name, req] of Object.entries(requests)) {
    const lim = limits[name];
    const r = quantityValue(req);
    const l = quantityValue(lim);
    if (r !== undefined && l !== undefined && r > l)
      errs.push(
        invalid(`${path}.requests`, req, `must be less than or equal to ${name} limit of ${String(lim)}`),
      );
  }
  return errs;
}

function validateContainer(
  c: Obj,
  path: string,
  volumes: ReadonlySet<string>,
  hostNetwork: boolean,
): KubeFieldError[] {
  const errs: KubeFieldError[] = [];
  if (typeof c.name === 'string' && c.name !== '')
    for (const m of isDns1123Label(c.name)) errs.push(invalid(`${path}.name`, c.name, m));
  if (typeof c.image !== 'string' || c.image.trim() === '') errs.push(required(`${path}.image`));
  const portNames = new Set<string>();
  items(c, 'ports').forEach((port, i) => {
    const p = `${path}.ports[${i}]`;
    if (typeof port.name === 'string' && port.name !== '') {
      for (const m of isIanaSvcName(port.name)) errs.push(invalid(`${p}.name`, port.name, m));
      if (portNames.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      portNames.add(port.name);
    }
    if (port.containerPort === undefined || port.containerPort === 0)
      errs.push(required(`${p}.containerPort`));
    else if (typeof port.containerPort === 'number')
      for (const m of isValidPortNum(port.containerPort))
        errs.push(invalid(`${p}.containerPort`, port.containerPort, m));
    if (typeof port.hostPort === 'number' && port.hostPort !== 0) {
      for (const m of isValidPortNum(port.hostPort)) errs.push(invalid(`${p}.hostPort`, port.hostPort, m));
      if (hostNetwork && port.hostPort !== port.containerPort)
        errs.push(
          invalid(`${p}.hostPort`, port.hostPort, 'must match `containerPort` when `hostNetwork` is true'),
        );
    }
  });
  items(c, 'env').forEach((env, i) => {
    const p = `${path}.env[${i}]`;
    if (typeof env.name !== 'string' || env.name === '') errs.push(required(`${p}.name`));
    else for (const m of isEnvVarName(env.name)) errs.push(invalid(`${p}.name`, env.name, m));
    if (isObj(env.valueFrom) && typeof env.value === 'string' && env.value !== '')
      errs.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
  });
  const mountPaths = new Set<string>();
  items(c, 'volumeMounts').forEach((m, i) => {
    const p = `${path}.volumeMounts[${i}]`;
    if (typeof m.name === 'string' && m.name !== '' && !volumes.has(m.name))
      errs.push(notFound(`${p}.name`, m.name));
    if (typeof m.mountPath !== 'string' || m.mountPath === '') errs.push(required(`${p}.mountPath`));
    else if (mountPaths.has(m.mountPath)) errs.push(invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    else mountPaths.add(m.mountPath);
  });
  errs.push(...validateProbe(child(c, 'livenessProbe'), `${path}.livenessProbe`, true));
  errs.push(...validateProbe(child(c, 'readinessProbe'), `${path}.readinessProbe`, false));
  errs.push(...validateProbe(child(c, 'startupProbe'), `${path}.startupProbe`, true));
  errs.push(...validateResources(child(c, 'resources'), `${path}.resources`));
  return errs;
}

const VOLUME_NAME_FIELDS: Readonly<Record<string, string>> = {
  configMap: 'name',
  secret: 'secretName',
  persistentVolumeClaim: 'claimName',
  hostPath: 'path',
};

function validateVolumes(spec: Obj, path: string): { errs: KubeFieldError[]; names: Set<string> } {
  const errs: KubeFieldError[] = [];
  const names = new Set<string>();
  items(spec, 'volumes').forEach((v, i) => {
    const p = `${path}.volumes[${i}]`;
    if (typeof v.name === 'string' && v.name !== '') {
      for (const m of isDns1123Label(v.name)) errs.push(invalid(`${p}.name`, v.name, m));
      if (names.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      names.add(v.name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== null && v[k] !== undefined);
    if (sources.length > 1)
      errs.push({
        type: 'Forbidden',
        field: `${p}.${sources[1]}`,
        message: 'may not specify more than 1 volume type',
      });
    for (const [source, field] of Object.entries(VOLUME_NAME_FIELDS)) {
      const src = child(v, source);
      if (src && (typeof src[field] !== 'string' || src[field] === ''))
        errs.push(required(`${p}.${source}.${field}`));
    }
  });
  return { errs, names };
}

/** Which restart policies a pod spec may use (templates of controllers restrict them). */
export type RestartPolicies = readonly string[] | undefined;

/**
 * `ValidatePodSpec` for the rules the training hits: containers (names, images, ports, env,
 * mounts, probes, resources), volumes, tolerations, node selector, and — for controllers'
 * templates — the allowed restart policies.
 */
export function validatePodSpec(
  spec: unknown,
  path: string,
  restartPolicies?: RestartPolicies,
  claimTemplates: readonly string[] = [],
): KubeFieldError[] {
  if (!isObj(spec)) return [required(`${path}.containers`)];
  const { errs, names } = validateVolumes(spec, path);
  for (const claim of claimTemplates) names.add(claim);
  const hostNetwork = spec.hostNetwork === true;
  const containerNames = new Set<string>();
  for (const list of ['initContainers', 'containers']) {
    items(spec, list).forEach((c, i) => {
      const p = `${path}.${list}[${i}]`;
      if (typeof c.name === 'string' && c.name !== '') {
        if (containerNames.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
        containerNames.add(c.name);
      }
      errs.push(...validateContainer(c, p, names, hostNetwork));
    });
  }
  if (items(spec, 'containers').length === 0 && !errs.some((e) => e.field === `${path}.containers`))
    errs.push(required(`${path}.containers`));
  if (
    restartPolicies &&
    typeof spec.restartPolicy === 'string' &&
    !restartPolicies.includes(spec.restartPolicy)
  )
    errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, restartPolicies));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  items(spec, 'tolerations').forEach((t, i) => {
    const p = `${path}.tolerations[${i}]`;
    const key = typeof t.key === 'string' ? t.key : '';
    if (t.operator === 'Exists' && typeof t.value === 'string' && t.value !== '')
      errs.push(invalid(`${p}.operator`, t.operator, "value must be empty when `operator` is 'Exists'"));
    if (key === '' && t.operator !== 'Exists')
      errs.push(
        invalid(
          `${p}.operator`,
          t.operator ?? '',
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
  });
  return errs;
}

/**
 * Validates a pod template (`spec.template`): its labels and its pod spec. A StatefulSet's
 * `claimTemplates` (volumeClaimTemplates names) count as volumes its containers may mount.
 */
export function validatePodTemplate(
  template: unknown,
  path: string,
  restartPolicies?: RestartPolicies,
  claimTemplates: readonly string[] = [],
): KubeFieldError[] {
  if (!isObj(template)) return [required(`${path}.spec.containers`)];
  const meta = child(template, 'metadata');
  const errs = validateLabels(meta?.labels, `${path}.metadata.labels`);
  errs.push(...validatePodSpec(template.spec, `${path}.spec`, restartPolicies, claimTemplates));
  return errs;
}
