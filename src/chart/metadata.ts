/**
 * Chart.yaml: parsing and Helm's validation rules (`pkg/chart/v2/metadata.go`), with a strict
 * SemVer 2 version where Helm is lenient.
 */

import semver from 'semver';
import { ChartInvalidError } from '../internal/errors.js';
import { isPlainObject, type PlainObject } from '../internal/objects.js';
import { parseYaml } from '../internal/yaml.js';
import type { ChartMetadata, ChartType, Dependency, ImportValue, Maintainer } from './chart.js';

/** Chart.yaml fields Helm knows; anything else is reported by lint. */
export const KNOWN_CHART_FIELDS: ReadonlySet<string> = new Set([
  'apiVersion',
  'name',
  'version',
  'kubeVersion',
  'description',
  'type',
  'keywords',
  'home',
  'sources',
  'dependencies',
  'maintainers',
  'icon',
  'appVersion',
  'deprecated',
  'annotations',
  'condition',
  'tags',
]);

const ALIAS_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** Removes control characters and folds whitespace, as Helm sanitizes metadata strings. */
export function sanitizeString(s: string): string {
  return s.replace(/[\t\n\r\v\f]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function fail(source: string, detail: string): never {
  throw new ChartInvalidError(`${source}: ${detail}`);
}

function optionalString(raw: PlainObject, key: string, source: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    fail(source, `${key} must be a string (quote it): got ${typeof v} ${JSON.stringify(v)}`);
  }
  return sanitizeString(v);
}

function stringList(raw: PlainObject, key: string, source: string): string[] | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) fail(source, `${key} must be a list`);
  return v.map((x, i) => {
    if (typeof x !== 'string' && typeof x !== 'number') fail(source, `${key}[${i}] must be a string`);
    return sanitizeString(String(x));
  });
}

function parseMaintainers(raw: PlainObject, source: string): Maintainer[] | undefined {
  const v = raw['maintainers'];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) fail(source, 'maintainers must be a list');
  return v.map((m, i) => {
    if (!isPlainObject(m)) fail(source, `maintainers[${i}] must be a map`);
    const name = optionalString(m, 'name', source);
    if (!name) fail(source, `validation: chart.metadata.maintainers[${i}].name is required`);
    const out: { name: string; email?: string; url?: string } = { name };
    const email = optionalString(m, 'email', source);
    const url = optionalString(m, 'url', source);
    if (email !== undefined) out.email = email;
    if (url !== undefined) out.url = url;
    return out;
  });
}

function parseImportValues(v: unknown, where: string, source: string): ImportValue[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) fail(source, `${where}.import-values must be a list`);
  return v.map((iv, i) => {
    if (typeof iv === 'string') return iv;
    if (isPlainObject(iv) && typeof iv['child'] === 'string' && typeof iv['parent'] === 'string') {
      return { child: iv['child'], parent: iv['parent'] };
    }
    return fail(source, `${where}.import-values[${i}] must be a string or a map with child and parent`);
  });
}

/** Parses one `dependencies[]` entry. */
function parseDependency(d: unknown, i: number, source: string): Dependency {
  const where = `dependencies[${i}]`;
  if (!isPlainObject(d)) fail(source, `${where} must be a map`);
  const name = optionalString(d, 'name', source);
  if (!name) fail(source, `validation: ${where}.name is required`);
  const dep: Record<string, unknown> = { name };
  for (const key of ['version', 'repository', 'condition', 'alias'] as const) {
    const v = d[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' && typeof v !== 'number') fail(source, `${where}.${key} must be a string`);
    dep[key] = String(v);
  }
  if (dep['alias'] !== undefined && !ALIAS_PATTERN.test(String(dep['alias']))) {
    fail(source, `validation: dependency "${name}" has disallowed characters in the alias`);
  }
  const tags = stringList(d, 'tags', source);
  if (tags) dep['tags'] = tags;
  if (typeof d['enabled'] === 'boolean') dep['enabled'] = d['enabled'];
  const iv = parseImportValues(d['import-values'], where, source);
  if (iv) dep['import-values'] = iv;
  return dep as unknown as Dependency;
}

/** Validates a chart name: not `.`/`..`, no path separators. */
export function validateChartName(name: string, source: string): void {
  if (name === '.' || name === '..') fail(source, `validation: chart.metadata.name "${name}" is not allowed`);
  if (/[/\\]/.test(name)) fail(source, `validation: chart.metadata.name "${name}" is invalid`);
}

/**
 * Parses and validates Chart.yaml text. `source` names the file in errors
 * (e.g. `mychart/Chart.yaml`).
 */
export function parseChartMetadata(text: string, source: string): ChartMetadata {
  const raw = parseYaml(text, source);
  if (!isPlainObject(raw)) fail(source, 'Chart.yaml must be a map');
  const apiVersion = optionalString(raw, 'apiVersion', source);
  if (!apiVersion) fail(source, 'validation: chart.metadata.apiVersion is required');
  if (apiVersion !== 'v1' && apiVersion !== 'v2') {
    fail(source, `apiVersion "${apiVersion}" is not supported (use v2)`);
  }
  const name = optionalString(raw, 'name', source);
  if (!name) fail(source, 'validation: chart.metadata.name is required');
  validateChartName(name, source);
  const rawVersion = raw['version'];
  if (rawVersion === undefined || rawVersion === null || rawVersion === '') {
    fail(source, 'validation: chart.metadata.version is required');
  }
  if (typeof rawVersion !== 'string') {
    fail(
      source,
      `version must be a string (quote it): got ${typeof rawVersion} ${JSON.stringify(rawVersion)}`,
    );
  }
  if (semver.valid(rawVersion) === null) {
    fail(source, `validation: chart.metadata.version "${rawVersion}" is invalid (not strict SemVer 2)`);
  }
  const type = optionalString(raw, 'type', source);
  if (type !== undefined && type !== '' && type !== 'application' && type !== 'library') {
    fail(source, 'validation: chart.metadata.type must be application or library');
  }
  const meta: Record<string, unknown> = { apiVersion, name, version: rawVersion };
  for (const key of ['kubeVersion', 'description', 'home', 'icon', 'appVersion'] as const) {
    const v = key === 'appVersion' && typeof raw[key] === 'number' ? String(raw[key]) : raw[key];
    const s = optionalString({ [key]: v }, key, source);
    if (s !== undefined) meta[key] = s;
  }
  if (type) meta['type'] = type as ChartType;
  const keywords = stringList(raw, 'keywords', source);
  if (keywords) meta['keywords'] = keywords;
  const sources = stringList(raw, 'sources', source);
  if (sources) meta['sources'] = sources;
  const maintainers = parseMaintainers(raw, source);
  if (maintainers) meta['maintainers'] = maintainers;
  if (raw['deprecated'] !== undefined && raw['deprecated'] !== null) {
    if (typeof raw['deprecated'] !== 'boolean') fail(source, 'deprecated must be true or false');
    meta['deprecated'] = raw['deprecated'];
  }
  const ann = raw['annotations'];
  if (ann !== undefined && ann !== null) {
    if (!isPlainObject(ann)) fail(source, 'annotations must be a map of strings');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(ann)) out[k] = sanitizeString(String(v));
    meta['annotations'] = out;
  }
  const deps = raw['dependencies'];
  if (deps !== undefined && deps !== null) {
    if (apiVersion === 'v1') fail(source, 'dependencies are not allowed in Chart.yaml with apiVersion v1');
    if (!Array.isArray(deps)) fail(source, 'dependencies must be a list');
    const parsed = deps.map((d, i) => parseDependency(d, i, source));
    const seen = new Set<string>();
    for (const d of parsed) {
      const key = d.alias ?? d.name;
      if (seen.has(key)) fail(source, `validation: more than one dependency with name or alias "${key}"`);
      seen.add(key);
    }
    meta['dependencies'] = parsed;
  }
  return meta as unknown as ChartMetadata;
}
