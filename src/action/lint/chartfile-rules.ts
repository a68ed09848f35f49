/**
 * Chart.yaml rules (Helm's `rules/chartfile.go`). They run on the raw text, not on the loaded
 * chart, because the loader refuses a bad Chart.yaml outright and lint should say everything
 * that is wrong with it.
 */

import { KNOWN_CHART_FIELDS, sanitizeString } from '../../chart/metadata.js';
import { isPlainObject, type PlainObject } from '../../internal/objects.js';
import { parseYaml } from '../../internal/yaml.js';
import { Findings, fileText, type LintMessage, type LintTarget, yamlErrorText } from './support.js';

const CHART_FILE = 'Chart.yaml';

/** What the Chart.yaml rules found, and the raw map later rules read (when it parsed). */
export interface ChartfileLint {
  readonly messages: LintMessage[];
  /** Chart.yaml as parsed, `undefined` when it is missing or does not parse. */
  readonly raw?: PlainObject;
}

// Masterminds' lenient version syntax (`NewVersion`): `v` prefix, missing minor/patch allowed.
const LENIENT_SEMVER =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
// semver.org's SemVer 2 grammar (Masterminds' `StrictNewVersion`).
const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Whether `v` is a version Helm accepts at all (`1`, `1.0`, `v1.2.3`, `1.2.3-rc.1`). */
export function isLenientSemver(v: string): boolean {
  return LENIENT_SEMVER.test(v);
}

/** Whether `v` is a strict SemVer 2 version (`1.2.3`, `1.2.3-rc.1+build`). */
export function isStrictSemver(v: string): boolean {
  return STRICT_SEMVER.test(v);
}

/** Completes a lenient version to SemVer 2 (`v1.0` → `1.0.0`); `undefined` when it is not one. */
export function coerceSemver(v: string): string | undefined {
  const m = LENIENT_SEMVER.exec(v);
  if (!m) return undefined;
  const part = (s: string | undefined) => String(Number((s ?? '.0').slice(1)));
  return `${Number(m[1])}.${part(m[2])}.${part(m[3])}${m[4] ?? ''}${m[7] ?? ''}`;
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** A URL with a scheme that parses (govalidator's `IsRequestURL`). */
export function isRequestUrl(s: string): boolean {
  if (!SCHEME.test(s) || /[\u0000-\u001f\u007f]/.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

// govalidator's `IsURL`, simplified: optional scheme, host (name with a TLD, IP or localhost),
// optional port and path.
const LOOSE_URL =
  /^((https?|ftp|tcp|udp|wss?):\/\/)?(\S+(:\S*)?@)?((\d{1,3}(\.\d{1,3}){3})|localhost|([a-zA-Z0-9\u00a1-\uffff]([a-zA-Z0-9\u00a1-\uffff_-]{0,62})?\.)+[a-zA-Z\u00a1-\uffff]{2,})(:\d{1,5})?([/?#]\S*)?$/;

/** A URL as maintainers write them: with or without a scheme (govalidator's `IsURL`). */
export function isLooseUrl(s: string): boolean {
  return s.length > 3 && s.length < 2083 && !s.startsWith('.') && LOOSE_URL.test(s);
}

const EMAIL = /^[^\s@]+@([^\s@.]+\.)+[^\s@.]+$/;

/** A plausible e-mail address (local part, `@`, a dotted domain). */
export function isEmail(s: string): boolean {
  return EMAIL.test(s);
}

/** Type names for YAML values in messages. */
function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (isPlainObject(v)) return 'map';
  return typeof v;
}

/** A scalar field as a string, as Go reads it into a string field (`''` when absent). */
function scalar(raw: PlainObject, key: string): string {
  const v = raw[key];
  if (typeof v === 'string') return sanitizeString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** The source text of a top-level scalar (`version: 1.0` → `1.0`), for messages and tips. */
export function rawScalarText(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:[ \\t]*([^#\\n]*?)[ \\t]*(?:#.*)?$`, 'm').exec(text);
  return m?.[1] === undefined || m[1] === '' ? undefined : m[1];
}

/** The version as Helm reads it: numbers keep the text they were written with. */
export function versionText(raw: PlainObject, text: string, key = 'version'): string {
  const v = raw[key];
  if (typeof v === 'number') return rawScalarText(text, key) ?? String(v);
  return scalar(raw, key);
}

function stringTypeRule(raw: PlainObject, text: string, key: string): string | undefined {
  if (!Object.hasOwn(raw, key)) return undefined;
  const v = raw[key];
  if (typeof v === 'string') return undefined;
  const written = rawScalarText(text, key) ?? String(v);
  return `${key} should be of type string but it's of type ${typeName(v)} (quote it: ${key}: "${written}")`;
}

const LIST_FIELDS = ['maintainers', 'sources', 'keywords', 'dependencies'] as const;

function shapeError(raw: PlainObject): string | undefined {
  for (const key of LIST_FIELDS) {
    const v = raw[key];
    if (v !== undefined && v !== null && !Array.isArray(v))
      return `${key} must be a list, got a ${typeName(v)}`;
  }
  const ann = raw['annotations'];
  if (ann !== undefined && ann !== null && !isPlainObject(ann))
    return `annotations must be a map, got a ${typeName(ann)}`;
  return undefined;
}

function nameRule(name: string): string | undefined {
  if (name === '') return 'name is required';
  if (name === '.' || name === '..' || /[/\\]/.test(name)) return `chart name "${name}" is invalid`;
  return undefined;
}

function apiVersionRule(apiVersion: string): string | undefined {
  if (apiVersion === '') return 'apiVersion is required. The value must be either "v1" or "v2"';
  if (apiVersion !== 'v1' && apiVersion !== 'v2') {
    return `apiVersion '${apiVersion}' is not valid. The value must be either "v1" or "v2"`;
  }
  return undefined;
}

function versionRule(version: string): string | undefined {
  if (version === '') return 'version is required';
  if (!isLenientSemver(version)) return `version '${version}' is not a valid SemVer`;
  return undefined;
}

function maintainersRule(raw: PlainObject): string | undefined {
  const list = Array.isArray(raw['maintainers']) ? raw['maintainers'] : [];
  for (const m of list) {
    if (!isPlainObject(m)) return 'a maintainer entry is empty';
    const name = scalar(m, 'name');
    const email = scalar(m, 'email');
    const url = scalar(m, 'url');
    if (name === '') return 'each maintainer requires a name';
    if (email !== '' && !isEmail(email)) return `invalid email '${email}' for maintainer '${name}'`;
    if (url !== '' && !isLooseUrl(url)) return `invalid url '${url}' for maintainer '${name}'`;
  }
  return undefined;
}

function sourcesRule(raw: PlainObject): string | undefined {
  const list = Array.isArray(raw['sources']) ? raw['sources'] : [];
  for (const s of list) {
    const text = typeof s === 'string' ? s : s === null || s === undefined ? '' : String(s);
    if (text === '' || !isRequestUrl(text)) return `invalid source URL '${text}'`;
  }
  return undefined;
}

/**
 * Lints Chart.yaml: it is a file and parses (ERROR), has no unknown fields (WARNING), has a
 * valid name and apiVersion, a string version that is SemVer (ERROR) and strict SemVer 2
 * (WARNING), a string appVersion, valid maintainers, source and icon URLs (ERROR), an icon
 * (INFO), and `type`/`dependencies` only with apiVersion v2 (ERROR).
 */
export function lintChartfile(target: LintTarget): ChartfileLint {
  const f = new Findings();
  const at = (severity: 'INFO' | 'WARNING' | 'ERROR', message: string | undefined) =>
    f.check(severity, CHART_FILE, message);

  if (target.entry(CHART_FILE) === 'directory') {
    at('ERROR', 'should be a file, not a directory');
    return { messages: f.messages };
  }
  const text = fileText(target, CHART_FILE);
  if (text === undefined) {
    at('ERROR', 'unable to parse YAML\n\tChart.yaml file is missing');
    return { messages: f.messages };
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text, CHART_FILE);
  } catch (err) {
    at('ERROR', `unable to parse YAML\n\t${yamlErrorText(err)}`);
    return { messages: f.messages };
  }
  if (parsed !== null && parsed !== undefined && !isPlainObject(parsed)) {
    at('ERROR', `unable to parse YAML\n\tChart.yaml must be a map, got a ${typeName(parsed)}`);
    return { messages: f.messages };
  }
  const raw: PlainObject = isPlainObject(parsed) ? parsed : {};
  const shape = shapeError(raw);
  if (shape !== undefined) {
    at('ERROR', `unable to parse YAML\n\t${shape}`);
    return { messages: f.messages };
  }

  const unknown = Object.keys(raw).filter((k) => !KNOWN_CHART_FIELDS.has(k));
  at(
    'WARNING',
    unknown.length === 0
      ? undefined
      : `failed to strictly parse chart metadata file\n\tunknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`,
  );

  const apiVersion = scalar(raw, 'apiVersion');
  const version = versionText(raw, text);
  at('ERROR', nameRule(scalar(raw, 'name')));
  at('ERROR', apiVersionRule(apiVersion));
  at('ERROR', stringTypeRule(raw, text, 'version'));
  at('ERROR', versionRule(version));
  at('ERROR', stringTypeRule(raw, text, 'appVersion'));
  at('ERROR', maintainersRule(raw));
  at('ERROR', sourcesRule(raw));
  const icon = scalar(raw, 'icon');
  at('INFO', icon === '' ? 'icon is recommended' : undefined);
  at('ERROR', icon !== '' && !isRequestUrl(icon) ? `invalid icon URL '${icon}'` : undefined);
  const type = scalar(raw, 'type');
  at(
    'ERROR',
    type !== '' && apiVersion !== 'v2'
      ? `chart type is not valid in apiVersion '${apiVersion}'. It is valid in apiVersion 'v2'`
      : undefined,
  );
  const deps = Array.isArray(raw['dependencies']) ? raw['dependencies'] : [];
  at(
    'ERROR',
    deps.length > 0 && apiVersion !== 'v2'
      ? `dependencies are not valid in the Chart file with apiVersion '${apiVersion}'. They are valid in apiVersion 'v2'`
      : undefined,
  );
  at('WARNING', isStrictSemver(version) ? undefined : `version '${version}' is not a valid SemVerV2`);
  return { messages: f.messages, raw };
}
