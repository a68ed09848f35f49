/**
 * `kubectl describe` of RBAC objects, HorizontalPodAutoscalers, and the generic description kubectl
 * gives kinds without a describer (custom resources, Leases…): every field, labelled in words.
 */

import { goSprint } from '../go-format.js';
import { get, isMap, list, nameOf, namespaceOf, num, optNum, str, strMap } from '../values.js';
import {
  describeEvents,
  goList,
  LEVEL_0,
  LEVEL_1,
  PrefixWriter,
  printAnnotations,
  printLabels,
  printMetadata,
  rfc1123z,
} from './writer.js';

interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const strings = (v: unknown, key: string): string[] => list(v, key).map(String);

/** `rbac.BreakdownRule` then `CompactRules`: one row per group/resource, verbs merged. */
function compactRules(rules: readonly unknown[]): Rule[] {
  const broken: Rule[] = [];
  for (const r of rules) {
    const verbs = strings(r, 'verbs');
    for (const group of strings(r, 'apiGroups')) {
      for (const resource of strings(r, 'resources')) {
        for (const verb of verbs) {
          const names = strings(r, 'resourceNames');
          for (const name of names.length > 0 ? names : [undefined]) {
            broken.push({
              verbs: [verb],
              apiGroups: [group],
              resources: [resource],
              resourceNames: name === undefined ? [] : [name],
              nonResourceURLs: [],
            });
          }
        }
      }
    }
    for (const url of strings(r, 'nonResourceURLs')) {
      for (const verb of verbs)
        broken.push({
          verbs: [verb],
          apiGroups: [],
          resources: [],
          resourceNames: [],
          nonResourceURLs: [url],
        });
    }
  }
  const compacted: Rule[] = [];
  const simple = new Map<string, Rule>();
  for (const rule of broken) {
    if (rule.nonResourceURLs.length > 0) {
      compacted.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups[0], rule.resources[0], rule.resourceNames[0] ?? null]);
    const existing = simple.get(key);
    if (existing === undefined) simple.set(key, { ...rule, verbs: [...rule.verbs] });
    else for (const v of rule.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
  }
  compacted.push(...simple.values());
  // kubectl sorts by the rule's generated String(), which starts with the verbs.
  const text = (r: Rule) =>
    `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
  return compacted
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (text(a.r) < text(b.r) ? -1 : text(a.r) > text(b.r) ? 1 : a.i - b.i))
    .map((x) => x.r);
}

const combineResourceGroup = (resources: string[], groups: string[]): string => {
  if (resources.length === 0) return '';
  const [res, sub] = resources[0]!.split(/\/(.*)/s) as [string, string | undefined];
  let out = res;
  if (groups.length > 0 && groups[0] !== '') out += `.${groups[0]}`;
  return sub === undefined ? out : `${out}/${sub}`;
};

/** `kubectl describe role` and `clusterrole`. */
export function describeRole(role: unknown): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(role)}\n`);
  printMetadata(w, role);
  w.write(LEVEL_0, 'PolicyRule:\n');
  w.write(LEVEL_1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
  w.write(LEVEL_1, '---------\t-----------------\t--------------\t-----\n');
  for (const r of compactRules(list(role, 'rules'))) {
    w.write(
      LEVEL_1,
      `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`,
    );
  }
  return w.toString();
}

/** `kubectl describe rolebinding` and `clusterrolebinding`. */
export function describeRoleBinding(binding: unknown): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(binding)}\n`);
  printMetadata(w, binding);
  w.write(LEVEL_0, 'Role:\n');
  w.write(LEVEL_1, `Kind:\t${str(binding, 'roleRef', 'kind')}\n`);
  w.write(LEVEL_1, `Name:\t${str(binding, 'roleRef', 'name')}\n`);
  w.write(LEVEL_0, 'Subjects:\n');
  w.write(LEVEL_1, 'Kind\tName\tNamespace\n');
  w.write(LEVEL_1, '----\t----\t---------\n');
  for (const s of list(binding, 'subjects'))
    w.write(LEVEL_1, `${str(s, 'kind')}\t${str(s, 'name')}\t${str(s, 'namespace')}\n`);
  return w.toString();
}

const quantityText = (v: unknown): string =>
  typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '<nil>';

/** `kubectl describe hpa` (autoscaling/v2 objects; v1 ones print their CPU target). */
export function describeHorizontalPodAutoscaler(
  hpa: unknown,
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(hpa)}\n`);
  w.write(LEVEL_0, `Namespace:\t${namespaceOf(hpa)}\n`);
  printMetadata(w, hpa);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(get(hpa, 'metadata', 'creationTimestamp'))}\n`);
  const ref = get(hpa, 'spec', 'scaleTargetRef');
  w.write(LEVEL_0, `Reference:\t${str(ref, 'kind')}/${str(ref, 'name')}\n`);
  const v1Target = optNum(hpa, 'spec', 'targetCPUUtilizationPercentage');
  if (get(hpa, 'spec', 'metrics') === undefined && v1Target !== undefined) {
    w.write(LEVEL_0, `Target CPU utilization:\t${v1Target}%\n`);
    w.write(
      LEVEL_0,
      `Current CPU utilization:\t${optNum(hpa, 'status', 'currentCPUUtilizationPercentage') ?? '<unknown>'}%\n`,
    );
  } else {
    w.write(LEVEL_0, 'Metrics:\t( current / target )\n');
    const current = list(hpa, 'status', 'currentMetrics');
    list(hpa, 'spec', 'metrics').forEach((m, i) => {
      const cur = current[i];
      const type = str(m, 'type');
      if (type === 'Resource' || type === 'ContainerResource') {
        const key = type === 'Resource' ? 'resource' : 'containerResource';
        const title =
          type === 'Resource'
            ? `resource ${str(m, key, 'name')} on pods`
            : `resource ${str(m, key, 'name')} of container "${str(m, key, 'container')}" on pods`;
        w.write(LEVEL_1, title);
        const avg = get(m, key, 'target', 'averageValue');
        if (avg !== undefined) {
          const c = isMap(get(cur, key))
            ? quantityText(get(cur, key, 'current', 'averageValue'))
            : '<unknown>';
          w.write(LEVEL_0, `:\t${c} / ${quantityText(avg)}\n`);
        } else {
          const util = optNum(cur, key, 'current', 'averageUtilization');
          const c =
            isMap(get(cur, key)) && util !== undefined
              ? `${util}% (${quantityText(get(cur, key, 'current', 'averageValue'))})`
              : '<unknown>';
          const t = optNum(m, key, 'target', 'averageUtilization');
          w.write(LEVEL_1, `(as a percentage of request):\t${c} / ${t === undefined ? '<auto>' : `${t}%`}\n`);
        }
      } else if (type === 'Pods') {
        const c = isMap(get(cur, 'pods'))
          ? quantityText(get(cur, 'pods', 'current', 'averageValue'))
          : '<unknown>';
        w.write(
          LEVEL_1,
          `"${str(m, 'pods', 'metric', 'name')}" on pods:\t${c} / ${quantityText(get(m, 'pods', 'target', 'averageValue'))}\n`,
        );
      } else if (type === 'External' || type === 'Object') {
        const key = type.toLowerCase();
        const avg = get(m, key, 'target', 'averageValue');
        const name = str(m, key, 'metric', 'name');
        if (type === 'Object')
          w.write(
            LEVEL_1,
            `"${name}" on ${str(m, 'object', 'describedObject', 'kind')}/${str(m, 'object', 'describedObject', 'name')} `,
          );
        const label = avg !== undefined ? 'target average value' : 'target value';
        const c = isMap(get(cur, key))
          ? quantityText(get(cur, key, 'current', avg !== undefined ? 'averageValue' : 'value'))
          : '<unknown>';
        const target = quantityText(avg ?? get(m, key, 'target', 'value'));
        if (type === 'Object') w.write(LEVEL_0, `(${label}):\t${c} / ${target}\n`);
        else w.write(LEVEL_1, `"${name}" (${label}):\t${c} / ${target}\n`);
      } else {
        w.write(LEVEL_1, `<unknown metric type "${type}">\n`);
      }
    });
  }
  const min = optNum(hpa, 'spec', 'minReplicas');
  w.write(LEVEL_0, `Min replicas:\t${min === undefined ? '<unset>' : min}\n`);
  w.write(LEVEL_0, `Max replicas:\t${num(hpa, 'spec', 'maxReplicas')}\n`);
  w.write(LEVEL_0, `${str(ref, 'kind')} pods:\t`);
  w.write(
    LEVEL_0,
    `${num(hpa, 'status', 'currentReplicas')} current / ${num(hpa, 'status', 'desiredReplicas')} desired\n`,
  );
  const conds = list(hpa, 'status', 'conditions');
  if (conds.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n');
    w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t------\t-------\n');
    for (const c of conds)
      w.write(LEVEL_1, `${str(c, 'type')}\t${str(c, 'status')}\t${str(c, 'reason')}\t${str(c, 'message')}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** fatih/camelcase `Split`: runs of lower, upper, digit and other characters, `PDFLoader` → `PDF Loader`. */
function camelSplit(s: string): string[] {
  const cls = (c: string) => (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const k = cls(c);
    if (k === last) runs[runs.length - 1]!.push(c);
    else runs.push([c]);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (/\p{Lu}/u.test(runs[i]![0]!) && /\p{Ll}/u.test(runs[i + 1]![0]!))
      runs[i + 1]!.unshift(runs[i]!.pop()!);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** `smartLabelFor`: `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version`. */
export function smartLabel(field: string): string {
  if ([...field].some((c) => !/\p{L}/u.test(c) && c !== '-')) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) =>
      ['API', 'URL', 'UID', 'OSB', 'GUID'].includes(p.toUpperCase())
        ? p.toUpperCase()
        : p.charAt(0).toUpperCase() + p.slice(1),
    )
    .join(' ');
}

const SKIPPED = new Set([
  '.metadata.managedFields',
  '.metadata.name',
  '.metadata.namespace',
  '.metadata.labels',
  '.metadata.annotations',
]);

function printContent(
  w: PrefixWriter,
  level: number,
  content: Record<string, unknown>,
  prefix: string,
): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIPPED.has(path)) continue;
    if (isMap(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      printContent(w, level + 1, value, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (isMap(child)) printContent(w, level + 1, child, path);
        else w.write(level + 1, `${goSprint(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabel(field)}:\t${goSprint(value)}\n`);
    }
  }
}

/** kubectl's generic description for kinds without a describer (custom resources, Leases…). */
export function describeGeneric(obj: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(obj)}\n`);
  w.write(LEVEL_0, `Namespace:\t${namespaceOf(obj)}\n`);
  printLabels(w, 'Labels', strMap(obj, 'metadata', 'labels'));
  printAnnotations(w, 'Annotations', strMap(obj, 'metadata', 'annotations'));
  if (isMap(obj)) printContent(w, LEVEL_0, obj, '');
  describeEvents(w, events, now);
  return w.toString();
}
