/**
 * The printing module driven as `kubectl get` and `kubectl describe` drive it, over an in-memory
 * set of objects: what the parity tests compare with the real kubectl. A reference for the CLI.
 */

import {
  describe,
  type KubeObject,
  type ObjectGroup,
  type OutputFormat,
  parseCustomColumnsFile,
  parseOutputFlag,
  printObjects,
  printTable,
} from '../../../src/cluster/printing/index.js';
import { PRINTER_COLUMNS, SERVED_KINDS, type ServedKind } from './kubectl-server.js';

/** What a command printed. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

const meta = (o: KubeObject, key: string): string => {
  const v = (o.metadata as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : '';
};

/** Resolves a type argument (`pods`, `svc`, `deployment.apps`, `all`) as kubectl's RESTMapper does. */
export function resolveKinds(type: string): ServedKind[] {
  if (type === 'all') return SERVED_KINDS.filter((s) => s.all === true);
  const dot = type.indexOf('.');
  const [res, group] = dot < 0 ? [type, undefined] : [type.slice(0, dot), type.slice(dot + 1)];
  const found = SERVED_KINDS.find(
    (s) =>
      (s.plural === res || s.kind.toLowerCase() === res || (s.shortNames ?? []).includes(res)) &&
      (group === undefined || s.group === group),
  );
  if (found === undefined) throw new Error(`the server doesn't have a resource type "${type}"`);
  return [found];
}

const errorText = (err: unknown): string => {
  const m = (err as Error).message;
  return `error: ${m}${m.endsWith('\n') ? '' : '\n'}`;
};

/** `kubectl get …` over `objects`, at `now`. */
export function get(
  args: readonly string[],
  objects: readonly KubeObject[],
  now: number,
  files: Record<string, string> = {},
): CommandOutput {
  let namespace = 'default';
  let allNamespaces = false;
  const flags = { showLabels: false, noHeaders: false, showKind: false, allowMissing: true };
  let output = '';
  let template: string | undefined;
  const labelColumns: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n') namespace = args[++i]!;
    else if (a === '-A') allNamespaces = true;
    else if (a === '--show-labels') flags.showLabels = true;
    else if (a === '--no-headers') flags.noHeaders = true;
    else if (a === '--show-kind') flags.showKind = true;
    else if (a === '--allow-missing-template-keys=false') flags.allowMissing = false;
    else if (a === '-o') output = args[++i]!;
    else if (a === '-L') labelColumns.push(...args[++i]!.split(','));
    else if (a.startsWith('--template=')) template = a.slice('--template='.length);
    else positional.push(a);
  }
  const [typeArg, ...rest] = positional as [string, ...string[]];
  let names = rest;
  let types = typeArg.split(',');
  if (typeArg.includes('/')) {
    types = [typeArg.slice(0, typeArg.indexOf('/'))];
    names = [typeArg.slice(typeArg.indexOf('/') + 1)];
  }
  const multiple = types.length > 1 || typeArg === 'all';
  const groups: ObjectGroup[] = types.flatMap(resolveKinds).map((s) => ({
    kind: s.kind,
    group: s.group,
    namespaced: s.namespaced,
    ...(PRINTER_COLUMNS[s.kind] ? { printerColumns: PRINTER_COLUMNS[s.kind]! } : {}),
    objects: objects.filter(
      (o) =>
        o.kind === s.kind &&
        (!s.namespaced || allNamespaces || meta(o, 'namespace') === namespace) &&
        (names.length === 0 || names.includes(meta(o, 'name'))),
    ),
  }));
  let parsed: ReturnType<typeof parseOutputFlag>;
  try {
    parsed = parseOutputFlag(output, template);
  } catch (err) {
    return { stdout: '', stderr: errorText(err) };
  }
  if (parsed.type === 'table' || parsed.type === 'wide') {
    return printTable(groups, {
      now,
      wide: parsed.type === 'wide',
      showLabels: flags.showLabels,
      noHeaders: flags.noHeaders,
      labelColumns,
      allNamespaces,
      withKind: multiple || flags.showKind,
      namespace,
    });
  }
  let format: OutputFormat;
  if (parsed.type === 'jsonpath-file') format = { type: 'jsonpath', template: files[parsed.path] ?? '' };
  else if (parsed.type === 'custom-columns-file')
    format = { type: 'custom-columns', columns: parseCustomColumnsFile(files[parsed.path] ?? '') };
  else format = parsed;
  try {
    return printObjects(
      groups.flatMap((g) => g.objects),
      format,
      {
        singleItem: names.length === 1 && !multiple,
        noHeaders: flags.noHeaders,
        allowMissingTemplateKeys: flags.allowMissing,
      },
    );
  } catch (err) {
    return { stdout: '', stderr: errorText(err) };
  }
}

/** `kubectl describe TYPE NAME [-n NS]` over `objects`, at `now`. */
export function describeCommand(
  args: readonly string[],
  objects: readonly KubeObject[],
  now: number,
): string {
  const rest = [...args];
  let namespace = 'default';
  const n = rest.indexOf('-n');
  if (n >= 0) {
    namespace = rest[n + 1]!;
    rest.splice(n, 2);
  }
  const [type, name] = rest as [string, string];
  const [kind] = resolveKinds(type) as [ServedKind];
  const obj = objects.find(
    (o) =>
      o.kind === kind.kind &&
      meta(o, 'name') === name &&
      (!kind.namespaced || meta(o, 'namespace') === namespace),
  );
  if (obj === undefined) throw new Error(`no ${type} ${name}`);
  const ns = meta(obj, 'namespace');
  const inNs = (k: string) => objects.filter((o) => o.kind === k && meta(o, 'namespace') === ns);
  return describe(
    obj,
    {
      events: objects.filter((o) => o.kind === 'Event'),
      pods: kind.kind === 'Node' ? objects.filter((o) => o.kind === 'Pod') : inNs('Pod'),
      replicaSets: inNs('ReplicaSet'),
      endpointSlices: inNs('EndpointSlice'),
      services: inNs('Service'),
      secrets: inNs('Secret'),
      resourceQuotas: objects.filter((o) => o.kind === 'ResourceQuota' && meta(o, 'namespace') === name),
      limitRanges: objects.filter((o) => o.kind === 'LimitRange' && meta(o, 'namespace') === name),
    },
    now,
  );
}
