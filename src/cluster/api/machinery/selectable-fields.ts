/**
 * The fields each resource can be selected by (`pkg/registry/<kind>/strategy.go`
 * `*ToSelectableFields`): `metadata.name` and `metadata.namespace` everywhere, plus the extras
 * below. Policy as data: a field label maps to a path in the object and the text of an absent value.
 */

import { getPath, isJsonObject } from './json-values.js';

/** Where a selectable field's value comes from. */
interface FieldSource {
  readonly path: readonly string[];
  /** The text when the field is absent (Go's zero value: `false`, `0`, ''). */
  readonly absent?: string;
  /** Joins the values of a list of objects at `path` by this property (`status.podIPs`). */
  readonly listOf?: string;
}

const path = (dotted: string, absent?: string): FieldSource => ({
  path: dotted.split('.'),
  ...(absent === undefined ? {} : { absent }),
});

/** Extra selectable fields by store resource key. */
export const SELECTABLE_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldSource>>>> = {
  pods: {
    'spec.nodeName': path('spec.nodeName'),
    'spec.restartPolicy': path('spec.restartPolicy'),
    'spec.schedulerName': path('spec.schedulerName'),
    'spec.serviceAccountName': path('spec.serviceAccountName'),
    'spec.hostNetwork': path('spec.hostNetwork', 'false'),
    'status.phase': path('status.phase'),
    'status.podIP': path('status.podIP'),
    'status.podIPs': { path: ['status', 'podIPs'], listOf: 'ip' },
    'status.nominatedNodeName': path('status.nominatedNodeName'),
  },
  events: {
    'involvedObject.kind': path('involvedObject.kind'),
    'involvedObject.namespace': path('involvedObject.namespace'),
    'involvedObject.name': path('involvedObject.name'),
    'involvedObject.uid': path('involvedObject.uid'),
    'involvedObject.apiVersion': path('involvedObject.apiVersion'),
    'involvedObject.resourceVersion': path('involvedObject.resourceVersion'),
    'involvedObject.fieldPath': path('involvedObject.fieldPath'),
    reason: path('reason'),
    reportingComponent: path('reportingComponent'),
    source: path('source.component'),
    type: path('type'),
  },
  secrets: { type: path('type') },
  namespaces: { 'status.phase': path('status.phase') },
  nodes: { 'spec.unschedulable': path('spec.unschedulable', 'false') },
  'replicasets.apps': { 'status.replicas': path('status.replicas', '0') },
  replicationcontrollers: { 'status.replicas': path('status.replicas', '0') },
  'jobs.batch': { 'status.successful': path('status.successful', '0') },
};

function text(v: unknown, absent: string): string {
  if (v === undefined || v === null) return absent;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Whether `field` can select objects of `resource`. */
export function isSelectableField(resource: string, field: string): boolean {
  return (
    field === 'metadata.name' ||
    field === 'metadata.namespace' ||
    Object.hasOwn(SELECTABLE_FIELDS[resource] ?? {}, field)
  );
}

/** The value of a selectable field on an object (undefined when the field is not selectable). */
export function selectableFieldValue(resource: string, object: unknown, field: string): string | undefined {
  if (field === 'metadata.name' || field === 'metadata.namespace') {
    return text(getPath(object, field.split('.')), '');
  }
  const fields = SELECTABLE_FIELDS[resource];
  if (fields === undefined || !Object.hasOwn(fields, field)) return undefined;
  const source = fields[field]!;
  const v = getPath(object, source.path);
  if (source.listOf !== undefined) {
    const items = Array.isArray(v) ? v : [];
    return items.map((item) => (isJsonObject(item) ? text(item[source.listOf!], '') : '')).join(',');
  }
  return text(v, source.absent ?? '');
}
