/**
 * How the release commands print, as Helm does (`pkg/cmd/list.go`, `history.go`, `status.go`,
 * `get_*.go`, `pkg/cli/output`): `-o table` as `gosuri/uitable` lays it out, `-o json` as Go's
 * `json.Encoder` (compact, HTML-safe escapes, one line), `-o yaml` as `sigs.k8s.io/yaml` (keys
 * sorted). Times print as Go prints the stored `time.Time`: `list` with `Time.String()`,
 * `history` and `status` with `time.ANSIC`, JSON with RFC 3339.
 *
 * `printReleaseStatus` is the key/value block `status`, `install`, `upgrade` and `rollback`
 * print.
 */

import { computedValues, type ReleaseMetadata, userValues } from '../../action/release/get.js';
import type { ResourceGroup } from '../../action/release/status.js';
import type { PlainObject } from '../../internal/objects.js';
import { renderTables } from '../../kube/printing.js';
import { releaseJson } from '../../release/codec.js';
import type { Release } from '../../release/release.js';
import { GO_TIME_STRING_LAYOUT, RFC3339_NANO } from '../../template/functions/go-time.js';
import type { CliIO } from '../io.js';
import {
  ANSIC,
  dropTopLevelKey,
  escapeGo,
  formatReleaseTime,
  goJson,
  type OutputFormat,
  structJson,
  uiTable,
  yamlOf,
} from './release-format.js';

export { ANSIC, formatReleaseTime, type OutputFormat, parseOutputFormat, uiTable } from './release-format.js';

const chartName = (r: Release) => `${r.chart.metadata.name}-${r.chart.metadata.version}`;
const appVersion = (r: Release) => r.chart.metadata.appVersion ?? '';

// ---------------------------------------------------------------------------------------------
// list, history.

/** Options of {@link printReleaseList}. */
export interface PrintListOptions {
  readonly output?: OutputFormat;
  /** `-q`: names only. */
  readonly short?: boolean;
  /** `--no-headers` (tables only). */
  readonly noHeaders?: boolean;
  /** `--time-format`: a Go layout for UPDATED (default `Time.String()`). */
  readonly timeFormat?: string;
}

/** Prints `list`: the table, the JSON/YAML rows, or (`-q`) the names. */
export function printReleaseList(
  io: CliIO,
  releases: readonly Release[],
  options: PrintListOptions = {},
): void {
  const output = options.output ?? 'table';
  if (options.short) {
    const names = releases.map((r) => r.name);
    if (output === 'json') io.stdout.write(`${goJson(names)}\n`);
    else if (output === 'yaml') io.stdout.write(yamlOf(names));
    else for (const name of names) io.stdout.write(`${name}\n`);
    return;
  }
  const rows = releases.map((r) => ({
    name: r.name,
    namespace: r.namespace,
    revision: String(r.version),
    updated: r.info.last_deployed
      ? formatReleaseTime(r.info.last_deployed, options.timeFormat || GO_TIME_STRING_LAYOUT)
      : '-',
    status: r.info.status,
    chart: chartName(r),
    app_version: appVersion(r),
  }));
  if (output === 'json') io.stdout.write(`${escapeGo(JSON.stringify(rows))}\n`);
  else if (output === 'yaml') io.stdout.write(yamlOf(rows));
  else {
    const header = ['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION'];
    const cells = rows.map((r) => [
      r.name,
      r.namespace,
      r.revision,
      r.updated,
      r.status,
      r.chart,
      r.app_version,
    ]);
    io.stdout.write(uiTable(options.noHeaders ? cells : [header, ...cells]));
  }
}

/** Prints `history`: revisions oldest first; UPDATED in `time.ANSIC`, `updated` RFC 3339 in JSON/YAML. */
export function printHistory(io: CliIO, releases: readonly Release[], output: OutputFormat = 'table'): void {
  const rows = releases.map((r) => ({
    revision: r.version,
    updated: formatReleaseTime(r.info.last_deployed, RFC3339_NANO),
    status: r.info.status,
    chart: chartName(r),
    app_version: appVersion(r),
    description: r.info.description ?? '',
  }));
  if (output === 'json') io.stdout.write(`${escapeGo(JSON.stringify(rows))}\n`);
  else if (output === 'yaml') io.stdout.write(yamlOf(rows));
  else {
    const header = ['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION'];
    const cells = releases.map((r, i) => {
      const row = rows[i]!;
      const updated = formatReleaseTime(r.info.last_deployed, ANSIC);
      return [String(row.revision), updated, row.status, row.chart, row.app_version, row.description];
    });
    io.stdout.write(uiTable([header, ...cells]));
  }
}

// ---------------------------------------------------------------------------------------------
// status.

/** Options of {@link printReleaseStatus}. */
export interface PrintStatusOptions {
  /** @default 'table' */
  readonly output?: OutputFormat;
  /** The live objects (`status --show-resources`), printed under `RESOURCES:` in tables. */
  readonly resources?: readonly ResourceGroup[];
  /** CHART, VERSION and APP_VERSION lines after REVISION (`get all`). @default false */
  readonly showMetadata?: boolean;
  /**
   * USER-SUPPLIED and COMPUTED VALUES, then HOOKS and MANIFEST (`--debug`, `get all`). HOOKS and
   * MANIFEST are also printed whenever the description is `Dry run complete`. @default false
   */
  readonly debug?: boolean;
  /** The computed values `debug` prints; computed from the release when absent. */
  readonly computedValues?: PlainObject;
  /** `--hide-notes`. @default false */
  readonly hideNotes?: boolean;
  /**
   * JSON/YAML without the chart, as `helm status` prints it (install and upgrade print the whole
   * record). @default false
   */
  readonly omitChart?: boolean;
}

/**
 * Prints a release revision as Helm's status printer does (`pkg/cmd/status.go`): with `table`
 * the key/value block —
 *
 * ```
 * NAME: coins
 * LAST DEPLOYED: Fri Jan 16 00:00:01 2026
 * NAMESPACE: default
 * STATUS: deployed
 * REVISION: 1
 * DESCRIPTION: Install complete
 * TEST SUITE: None
 * NOTES:
 * …
 * ```
 *
 * — plus `RESOURCES:` when `resources` are given, and CHART/VERSION/APP_VERSION, values, hooks
 * and manifest as the options ask; with `json`/`yaml` the release record itself (Helm's JSON
 * field names, never the labels). Used by `status`, `get all`, `install`, `upgrade` and
 * `rollback`.
 */
export function printReleaseStatus(io: CliIO, release: Release, options: PrintStatusOptions = {}): void {
  const output = options.output ?? 'table';
  if (output !== 'table') {
    let json = releaseJson(release);
    if (options.omitChart) json = dropTopLevelKey(json, 'chart');
    io.stdout.write(output === 'json' ? `${json}\n` : yamlOf(JSON.parse(json)));
    return;
  }
  const r = release;
  let out = `NAME: ${r.name}\n`;
  if (r.info.last_deployed) out += `LAST DEPLOYED: ${formatReleaseTime(r.info.last_deployed, ANSIC)}\n`;
  out += `NAMESPACE: ${r.namespace}\nSTATUS: ${r.info.status}\nREVISION: ${r.version}\n`;
  if (options.showMetadata) {
    const m = r.chart.metadata;
    out += `CHART: ${m.name}\nVERSION: ${m.version}\nAPP_VERSION: ${m.appVersion ?? ''}\n`;
  }
  out += `DESCRIPTION: ${r.info.description ?? ''}\n`;
  if (options.resources && options.resources.length > 0) {
    let buf = '';
    for (const group of options.resources) buf += `==> ${group.key}\n${renderTables([group]).stdout}\n`;
    out += `RESOURCES:\n${buf}\n`;
  }
  const tests = (r.hooks ?? []).filter((h) => h.events.some((e) => e === 'test' || e === 'test-success'));
  if (tests.length === 0) out += 'TEST SUITE: None\n';
  for (const h of tests) {
    // A test that never ran prints nothing, as in Helm.
    if (!h.last_run.started_at) continue;
    out += `TEST SUITE:     ${h.name}\n`;
    out += `Last Started:   ${formatReleaseTime(h.last_run.started_at, ANSIC)}\n`;
    out += `Last Completed: ${formatReleaseTime(h.last_run.completed_at, ANSIC)}\n`;
    out += `Phase:          ${h.last_run.phase}\n`;
  }
  if (options.debug) {
    out += `USER-SUPPLIED VALUES:\n${yamlOf(userValues(r))}\n`;
    out += `COMPUTED VALUES:\n${yamlOf(options.computedValues ?? computedValues(r))}\n`;
  }
  if (options.debug || (r.info.description ?? '').toLowerCase() === 'dry run complete') {
    out += 'HOOKS:\n';
    for (const h of r.hooks ?? []) out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
    out += `MANIFEST:\n${r.manifest}\n`;
  }
  const notes = r.info.notes ?? '';
  if (!options.hideNotes && notes !== '') out += `NOTES:\n${notes.trim()}\n`;
  io.stdout.write(out);
}

// ---------------------------------------------------------------------------------------------
// get.

/** Prints `get values`: `USER-SUPPLIED VALUES:` (or `COMPUTED VALUES:` with `--all`) then YAML. */
export function printValues(
  io: CliIO,
  values: PlainObject | null,
  options: { readonly all?: boolean; readonly output?: OutputFormat } = {},
): void {
  const output = options.output ?? 'table';
  if (output === 'json') io.stdout.write(`${goJson(values)}\n`);
  else if (output === 'yaml') io.stdout.write(yamlOf(values));
  else io.stdout.write(`${options.all ? 'COMPUTED' : 'USER-SUPPLIED'} VALUES:\n${yamlOf(values)}`);
}

/** `get manifest`: the manifest and a newline (`fmt.Fprintln`). */
export function printManifest(io: CliIO, release: Release): void {
  io.stdout.write(`${release.manifest}\n`);
}

/** `get notes`: `NOTES:` and the notes, or nothing when there are none. */
export function printNotes(io: CliIO, release: Release): void {
  if (release.info.notes) io.stdout.write(`NOTES:\n${release.info.notes}\n`);
}

/** `get hooks`: each hook as `---\n# Source: PATH\nMANIFEST`. */
export function printHooks(io: CliIO, release: Release): void {
  for (const h of release.hooks ?? []) io.stdout.write(`---\n# Source: ${h.path}\n${h.manifest}\n`);
}

const labelString = (m: Readonly<Record<string, string>> | undefined) =>
  Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${m![k]}`)
    .join(',');

const APPLY_METHODS: Record<string, string> = {
  '': 'client-side apply (defaulted)',
  csa: 'client-side apply',
  ssa: 'server-side apply',
};

/** Prints `get metadata`. */
export function printMetadata(io: CliIO, m: ReleaseMetadata, output: OutputFormat = 'table'): void {
  if (output === 'table') {
    const deps = (m.dependencies ?? []).map((d) => d.name).sort();
    const method = m.applyMethod ?? '';
    io.stdout.write(
      `NAME: ${m.name}\nCHART: ${m.chart}\nVERSION: ${m.version}\nAPP_VERSION: ${m.appVersion}\n` +
        `ANNOTATIONS: ${labelString(m.annotations)}\nLABELS: ${labelString(m.labels)}\n` +
        `DEPENDENCIES: ${deps.join(',')}\nNAMESPACE: ${m.namespace}\nREVISION: ${m.revision}\n` +
        `STATUS: ${m.status}\nDEPLOYED_AT: ${m.deployedAt}\n` +
        `APPLY_METHOD: ${APPLY_METHODS[method] ?? `unknown (${JSON.stringify(method)})`}\n`,
    );
    return;
  }
  const opt = (v: unknown) => (v === undefined ? undefined : goJson(v));
  const dependency = (d: NonNullable<ReleaseMetadata['dependencies']>[number]) =>
    structJson([
      ['name', goJson(d.name)],
      ['version', d.version ? goJson(d.version) : undefined],
      ['repository', goJson(d.repository ?? '')],
      ['condition', d.condition ? goJson(d.condition) : undefined],
      ['tags', d.tags && d.tags.length > 0 ? goJson(d.tags) : undefined],
      ['enabled', d.enabled === true ? 'true' : undefined],
      ['import-values', d['import-values']?.length ? goJson(d['import-values']) : undefined],
      ['alias', d.alias ? goJson(d.alias) : undefined],
    ]);
  const json = structJson([
    ['name', goJson(m.name)],
    ['chart', goJson(m.chart)],
    ['version', goJson(m.version)],
    ['appVersion', goJson(m.appVersion)],
    ['annotations', opt(m.annotations)],
    ['labels', opt(m.labels)],
    ['dependencies', m.dependencies ? `[${m.dependencies.map(dependency).join(',')}]` : undefined],
    ['namespace', goJson(m.namespace)],
    ['revision', goJson(m.revision)],
    ['status', goJson(m.status)],
    ['deployedAt', goJson(m.deployedAt)],
    ['applyMethod', opt(m.applyMethod)],
  ]);
  io.stdout.write(output === 'json' ? `${json}\n` : yamlOf(JSON.parse(json)));
}
