/**
 * The scale subresource: an `autoscaling/v1` `Scale` view (`spec.replicas`, `status.replicas`,
 * `status.selector` as a string) of the kinds that have one, as data; custom resources use the
 * conventional paths. Writes through it change only the replica count.
 */

import type { KubeObject, StoredObject } from '../../store/types.js';
import { type KindInfo, resourceKeyOf } from '../types.js';
import { notFound } from './api-errors.js';
import { invalid } from './invalid-error.js';
import {
  cloneJson,
  getOwn,
  getPath,
  isJsonObject,
  type JsonObject,
  metaString,
  setPath,
} from './json-values.js';
import { labelSelectorFromMap, labelSelectorFromObject, labelSelectorToString } from './label-selector.js';
import { stampRevision } from './object-stamps.js';
import type { ObjectWriter } from './object-writer.js';

/** Where a kind keeps what `Scale` shows. */
interface ScaleTarget {
  readonly specReplicas: readonly string[];
  readonly statusReplicas: readonly string[];
  /** Where the selector is and its form: a `LabelSelector`, a plain map or already a string. */
  readonly selector: { readonly path: readonly string[]; readonly form: 'object' | 'map' | 'string' };
}

const WORKLOAD: ScaleTarget = {
  specReplicas: ['spec', 'replicas'],
  statusReplicas: ['status', 'replicas'],
  selector: { path: ['spec', 'selector'], form: 'object' },
};

/** Scale targets by store resource key. */
export const SCALE_TARGETS: Readonly<Record<string, ScaleTarget>> = {
  'deployments.apps': WORKLOAD,
  'replicasets.apps': WORKLOAD,
  'statefulsets.apps': WORKLOAD,
  replicationcontrollers: { ...WORKLOAD, selector: { path: ['spec', 'selector'], form: 'map' } },
};

/** The conventional paths of a custom resource's scale subresource. */
const CUSTOM: ScaleTarget = {
  specReplicas: ['spec', 'replicas'],
  statusReplicas: ['status', 'replicas'],
  selector: { path: ['status', 'selector'], form: 'string' },
};

/** The scale target of a kind, or undefined when it has no scale subresource. */
export function scaleTargetOf(info: KindInfo, resourceKey: string): ScaleTarget | undefined {
  return SCALE_TARGETS[resourceKey] ?? (info.subresources.includes('scale') ? CUSTOM : undefined);
}

function selectorString(target: ScaleTarget, object: JsonObject): string {
  const v = getPath(object, target.selector.path);
  if (target.selector.form === 'string') return typeof v === 'string' ? v : '';
  if (target.selector.form === 'map') {
    const map: Record<string, string> = {};
    if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) map[k] = String(x);
    return labelSelectorToString(labelSelectorFromMap(map));
  }
  return v === undefined ? '' : labelSelectorToString(labelSelectorFromObject(v));
}

/** The `Scale` of an object. */
export function scaleOf(target: ScaleTarget, object: JsonObject): JsonObject {
  const meta = isJsonObject(object.metadata) ? object.metadata : {};
  const spec = getPath(object, target.specReplicas);
  const status = getPath(object, target.statusReplicas);
  const selector = selectorString(target, object);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: metaString(object, 'name'),
      ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
      uid: metaString(object, 'uid'),
      resourceVersion: metaString(object, 'resourceVersion'),
      creationTimestamp: getOwn(meta, 'creationTimestamp') ?? null,
    },
    spec: { replicas: typeof spec === 'number' ? spec : 0 },
    status: { replicas: typeof status === 'number' ? status : 0, ...(selector === '' ? {} : { selector }) },
  };
}

/** The `Scale` kind, for messages. */
export const SCALE_KIND = { group: 'autoscaling', kind: 'Scale' } as const;

/** The scale target of a kind; 404 when it has no scale subresource. */
export function requireScaleTarget(info: KindInfo): ScaleTarget {
  const target = scaleTargetOf(info, resourceKeyOf(info));
  if (target === undefined) throw notFound({ group: info.group, plural: `${info.plural}/scale` }, '');
  return target;
}

/**
 * Sets a scaled object's replicas from a `Scale` (its resourceVersion, when set, a precondition)
 * and returns the new Scale.
 */
export function writeScale(
  w: ObjectWriter,
  info: KindInfo,
  current: StoredObject,
  scale: KubeObject,
  fieldManager: string,
): KubeObject {
  const target = requireScaleTarget(info);
  const replicas = getOwn(getOwn(scale, 'spec'), 'replicas');
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(SCALE_KIND, current.key.name, [
      {
        type: 'Invalid',
        field: 'spec.replicas',
        value: replicas ?? null,
        message: 'must be greater than or equal to 0',
      },
    ]);
  }
  const object = cloneJson(stampRevision(current));
  const rv = metaString(scale, 'resourceVersion');
  if (rv !== '') (object.metadata as JsonObject).resourceVersion = rv;
  setPath(object, target.specReplicas, replicas);
  return scaleOf(target, w.replace(info, current, object, { fieldManager, subresource: 'scale' }));
}
