/**
 * Fields an update may not change, per kind, with Kubernetes' messages (`field is immutable`,
 * `spec: Forbidden: …`). Policy as data: each rule names its kinds and builds its check from a
 * few shapes (one immutable path, a path immutable except some sub-fields, a conditional rule).
 */

import type { FieldError } from '../types.js';
import { forbiddenField, GoLiteral, goSyntax, invalidValue } from './invalid-error.js';
import {
  cloneJson,
  getOwn,
  getPath,
  isJsonObject,
  type JsonObject,
  jsonEqual,
  setPath,
} from './json-values.js';

/** Compares an old and a new object; returns the errors of changes the rule forbids. */
type Check = (oldObject: JsonObject, newObject: JsonObject) => FieldError[];

/** One rule: the kinds (`Kind` or `Kind.group`) it applies to and its check. */
interface ImmutableRule {
  readonly kinds: readonly string[];
  readonly check: Check;
}

const IMMUTABLE = 'field is immutable';

/** A label selector as Go prints a `v1.LabelSelector`. */
function goLabelSelector(v: unknown): GoLiteral {
  const s = isJsonObject(v) ? v : {};
  const labels = isJsonObject(s.matchLabels) ? goSyntax(s.matchLabels) : 'map[string]string(nil)';
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e) => {
          const x = isJsonObject(e) ? e : {};
          const values = Array.isArray(x.values) ? goSyntax(x.values.map(String)) : '[]string(nil)';
          return `v1.LabelSelectorRequirement{Key:${JSON.stringify(String(x.key ?? ''))}, Operator:${JSON.stringify(String(x.operator ?? ''))}, Values:${values}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoLiteral(`v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`);
}

/** `path: Invalid value: <new>: field is immutable` when the value at `path` changes. */
function immutable(path: string, show: (v: unknown) => unknown = (v) => v, message = IMMUTABLE): Check {
  const p = path.split('.');
  return (o, n) => {
    const [a, b] = [getPath(o, p), getPath(n, p)];
    return jsonEqual(a, b) ? [] : [invalidValue(path, show(b ?? null), message)];
  };
}

/** `path: Forbidden: <message>` when the value at `path` changes outside the `except` sub-paths. */
function immutableExcept(path: string, except: readonly string[], message: string): Check {
  const p = path.split('.');
  return (o, n) => {
    const [a, b] = [getPath(o, p), getPath(n, p)];
    if (jsonEqual(a, b)) return [];
    const masked = (v: unknown, from: unknown): unknown => {
      if (!isJsonObject(v)) return v;
      const copy = cloneJson(v);
      for (const e of except) {
        const ep = e.split('.');
        const keep = getPath(from, ep);
        if (keep === undefined) deletePath(copy, ep);
        else setPath(copy, ep, cloneJson(keep));
      }
      return copy;
    };
    return jsonEqual(a, masked(b, a)) ? [] : [forbiddenField(path, message)];
  };
}

function deletePath(root: JsonObject, path: readonly string[]): void {
  const parent = getPath(root, path.slice(0, -1));
  if (isJsonObject(parent)) delete parent[path[path.length - 1]!];
}

/** A check that only runs when `when(old, new)` holds. */
function onlyWhen(when: (o: JsonObject, n: JsonObject) => boolean, check: Check): Check {
  return (o, n) => (when(o, n) ? check(o, n) : []);
}

const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';
const isImmutable = (o: JsonObject) => o.immutable === true;

/** Pod updates may change little: images, deadlines, tolerations (additions), a first node. */
const podSpec: Check = (o, n) => {
  const [a, b] = [getOwn(o, 'spec'), getOwn(n, 'spec')];
  if (jsonEqual(a, b) || !isJsonObject(a) || !isJsonObject(b)) return [];
  const copy = cloneJson(b);
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const olds = getOwn(a, list);
    const news = getOwn(copy, list);
    if (Array.isArray(olds) && Array.isArray(news) && olds.length === news.length) {
      news.forEach((c, i) => {
        if (isJsonObject(c) && isJsonObject(olds[i])) c.image = (olds[i] as JsonObject).image;
      });
    }
  }
  for (const f of ['activeDeadlineSeconds', 'terminationGracePeriodSeconds', 'schedulingGates']) {
    if (a[f] === undefined) delete copy[f];
    else copy[f] = cloneJson(a[f]);
  }
  const oldTolerations = Array.isArray(a.tolerations) ? a.tolerations : [];
  const newTolerations = Array.isArray(copy.tolerations) ? copy.tolerations : [];
  if (oldTolerations.every((t) => newTolerations.some((x) => jsonEqual(x, t))))
    copy.tolerations = cloneJson(a.tolerations);
  if (!a.nodeName) copy.nodeName = a.nodeName;
  if (copy.nodeName === undefined) delete copy.nodeName;
  if (copy.tolerations === undefined) delete copy.tolerations;
  if (jsonEqual(a, copy)) return [];
  return [
    forbiddenField(
      'spec',
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ),
  ];
};

const goRoleRef = (v: unknown): GoLiteral => {
  const r = isJsonObject(v) ? v : {};
  const s = (k: string) => JSON.stringify(String(r[k] ?? ''));
  return new GoLiteral(`rbac.RoleRef{APIGroup:${s('apiGroup')}, Kind:${s('kind')}, Name:${s('name')}}`);
};

/** The rules. */
export const IMMUTABLE_RULES: readonly ImmutableRule[] = [
  // DaemonSet selectors stay mutable: the training moves rng to a DaemonSet and then edits its
  // selector (`isactive: "yes"`), which extensions/v1beta1 allowed. Deliberate deviation from
  // apps/v1, so the exercise keeps working.
  {
    kinds: ['Deployment.apps', 'ReplicaSet.apps', 'StatefulSet.apps', 'Job.batch'],
    check: immutable('spec.selector', goLabelSelector),
  },
  { kinds: ['Job.batch'], check: immutable('spec.template', () => new GoLiteral('core.PodTemplateSpec{…}')) },
  {
    kinds: ['StatefulSet.apps'],
    check: immutableExcept(
      'spec',
      [
        'replicas',
        'ordinals',
        'template',
        'updateStrategy',
        'persistentVolumeClaimRetentionPolicy',
        'minReadySeconds',
        'selector',
      ],
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  },
  {
    kinds: ['Service'],
    check: onlyWhen((_o, n) => getPath(n, ['spec', 'type']) !== 'ExternalName', immutable('spec.clusterIP')),
  },
  {
    kinds: ['PersistentVolumeClaim'],
    check: onlyWhen(
      (o) => !getPath(o, ['spec', 'volumeName']),
      immutableExcept(
        'spec',
        ['resources.requests', 'volumeAttributesClassName', 'volumeName'],
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    ),
  },
  {
    kinds: ['PersistentVolumeClaim'],
    check: onlyWhen(
      (o) => !!getPath(o, ['spec', 'volumeName']),
      immutableExcept(
        'spec',
        ['resources.requests', 'volumeAttributesClassName'],
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    ),
  },
  {
    kinds: ['ConfigMap', 'Secret'],
    check: onlyWhen(isImmutable, immutableExcept('data', [], IMMUTABLE_WHEN_SET)),
  },
  {
    kinds: ['ConfigMap', 'Secret'],
    check: onlyWhen(isImmutable, immutableExcept('binaryData', [], IMMUTABLE_WHEN_SET)),
  },
  {
    kinds: ['ConfigMap', 'Secret'],
    check: onlyWhen(isImmutable, immutableExcept('immutable', [], IMMUTABLE_WHEN_SET)),
  },
  { kinds: ['Secret'], check: immutable('type') },
  { kinds: ['Pod'], check: podSpec },
  {
    kinds: ['RoleBinding.rbac.authorization.k8s.io', 'ClusterRoleBinding.rbac.authorization.k8s.io'],
    check: immutable('roleRef', goRoleRef, 'cannot change roleRef'),
  },
  ...['parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode'].map((f) => ({
    kinds: ['StorageClass.storage.k8s.io'],
    check: immutableExcept(f, [], `updates to ${f} are forbidden.`),
  })),
  { kinds: ['EndpointSlice.discovery.k8s.io'], check: immutable('addressType') },
];

/** The errors of changes from `oldObject` to `newObject` that a rule for `kindKey` forbids. */
export function immutableFieldErrors(
  kindKey: string,
  oldObject: JsonObject,
  newObject: JsonObject,
): FieldError[] {
  return IMMUTABLE_RULES.filter((r) => r.kinds.includes(kindKey)).flatMap((r) =>
    r.check(oldObject, newObject),
  );
}
