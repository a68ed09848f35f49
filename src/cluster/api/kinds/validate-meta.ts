/**
 * Validation of `metadata` and of labels, annotations and label selectors, with the API
 * server's messages (`ValidateObjectMeta`, `ValidateLabels`, `ValidateLabelSelector`).
 */

import {
  checkName,
  isDns1123Label,
  isQualifiedName,
  isValidLabelValue,
  maxLenError,
  type NameRule,
} from '../../../internal/k8s-names.js';
import { forbidden, invalid, type KubeFieldError, required, tooLong } from '../schema/field-errors.js';
import { isObj, type Obj } from './object-paths.js';

/** Annotations may not exceed 256 KiB in total (keys plus values). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** `ValidateLabels`: keys are qualified names, values label values. */
export function validateLabels(labels: unknown, path: string): KubeFieldError[] {
  if (!isObj(labels)) return [];
  const errs: KubeFieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(invalid(path, k, m));
    if (typeof v === 'string') for (const m of isValidLabelValue(v)) errs.push(invalid(path, v, m));
  }
  return errs;
}

/** `ValidateAnnotations`: keys are (lower-cased) qualified names; 256 KiB in all. */
export function validateAnnotations(annotations: unknown, path: string): KubeFieldError[] {
  if (!isObj(annotations)) return [];
  const errs: KubeFieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, m));
    total += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT)
    errs.push(
      tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT, `must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`),
    );
  return errs;
}

/** What {@link validateObjectMeta} needs to know about the kind. */
export interface MetaRules {
  readonly rule: NameRule;
  /** A limit shorter than the rule's (CronJob: 52). */
  readonly maxLength?: number;
  readonly namespaced: boolean;
}

/** `ValidateObjectMeta`: name or generateName, namespace, labels, annotations, finalizers, owners. */
export function validateObjectMeta(meta: unknown, rules: MetaRules, path = 'metadata'): KubeFieldError[] {
  if (!isObj(meta)) return [required(`${path}.name`, 'name or generateName is required')];
  const errs: KubeFieldError[] = [];
  const name = typeof meta.name === 'string' ? meta.name : '';
  const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
  if (generateName) {
    for (const m of checkName(rules.rule, generateName, true))
      errs.push(invalid(`${path}.generateName`, generateName, m));
  }
  if (!name) {
    if (!generateName) errs.push(required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const m of checkName(rules.rule, name)) errs.push(invalid(`${path}.name`, name, m));
    if (rules.maxLength !== undefined && name.length > rules.maxLength)
      errs.push(invalid(`${path}.name`, name, maxLenError(rules.maxLength)));
  }
  const ns = meta.namespace;
  if (rules.namespaced && typeof ns === 'string' && ns !== '')
    for (const m of isDns1123Label(ns)) errs.push(invalid(`${path}.namespace`, ns, m));
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  if (Array.isArray(meta.finalizers)) {
    meta.finalizers.forEach((f, i) => {
      if (typeof f === 'string')
        for (const m of isQualifiedName(f)) errs.push(invalid(`${path}.finalizers[${i}]`, f, m));
    });
  }
  if (Array.isArray(meta.ownerReferences)) {
    for (const ref of meta.ownerReferences) {
      if (!isObj(ref)) continue;
      const p = `${path}.ownerReferences`;
      if (!ref.apiVersion)
        errs.push(invalid(`${p}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
      if (!ref.kind) errs.push(invalid(`${p}.kind`, ref.kind ?? '', 'kind must not be empty'));
      if (!ref.name) errs.push(invalid(`${p}.name`, ref.name ?? '', 'name must not be empty'));
      if (!ref.uid) errs.push(invalid(`${p}.uid`, ref.uid ?? '', 'uid must not be empty'));
    }
  }
  return errs;
}

/** `ValidateLabelSelector`: matchLabels and matchExpressions. */
export function validateLabelSelector(selector: unknown, path: string): KubeFieldError[] {
  if (!isObj(selector)) return [];
  const errs = validateLabels(selector.matchLabels, `${path}.matchLabels`);
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  exprs.forEach((e, i) => {
    if (!isObj(e)) return;
    const p = `${path}.matchExpressions[${i}]`;
    const values = Array.isArray(e.values) ? e.values : [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0)
        errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0)
        errs.push(
          forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
    } else {
      errs.push(invalid(`${p}.operator`, e.operator, 'not a valid selector operator'));
    }
    if (typeof e.key === 'string')
      for (const m of isQualifiedName(e.key)) errs.push(invalid(`${p}.key`, e.key, m));
    for (const v of values)
      if (typeof v === 'string')
        for (const m of isValidLabelValue(v)) errs.push(invalid(`${p}.values`, v, m));
  });
  return errs;
}

/** Whether a `LabelSelector` has neither labels nor expressions (which Kubernetes calls empty). */
export function isEmptySelector(selector: Obj): boolean {
  const labels = isObj(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  return labels === 0 && exprs === 0;
}

/** Whether a `LabelSelector` selects a set of labels (empty selects everything). */
export function selectorMatches(selector: Obj, labels: Readonly<Record<string, unknown>>): boolean {
  if (isObj(selector.matchLabels))
    for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isObj(e) || typeof e.key !== 'string') return false;
    const has = Object.hasOwn(labels, e.key);
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** `%#v` of a `*metav1.LabelSelector`, as selector errors print it. */
export function renderSelector(selector: Obj): string {
  const labels = isObj(selector.matchLabels)
    ? `map[string]string{${Object.entries(selector.matchLabels)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
        .join(', ')}}`
    : 'map[string]string(nil)';
  const exprs = Array.isArray(selector.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${selector.matchExpressions
        .filter(isObj)
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key ?? '')}, Operator:${JSON.stringify(e.operator ?? '')}, Values:[]string{${(Array.isArray(e.values) ? e.values : []).map((v) => JSON.stringify(v)).join(', ')}}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `&v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`;
}

/** `%#v` of a `map[string]string` (`map[string]string(nil)` when absent). */
export function renderLabels(labels: unknown): string {
  if (!isObj(labels)) return 'map[string]string(nil)';
  const body = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(', ');
  return `map[string]string{${body}}`;
}
