/**
 * kubectl's node verbs `taint nodes NODE key[=value]:Effect | key[:Effect]-` and `cordon` /
 * `uncordon` (`spec.unschedulable`), with kubectl 1.34's lines and errors (`drain` is in
 * `drain.ts`).
 */

import type { KubeClient, KubeObject } from '../../kube/index.js';
import { type DryRun, dryRunSuffix, type KubectlOptions, metaString } from './context.js';
import { field, objects, usageErrorOf } from './pods.js';

/** A node taint. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect?: string;
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
/** `IsQualifiedName`: an optional DNS-subdomain prefix and a name of at most 63 characters. */
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a qualified name (kubectl's `IsQualifiedName` wording), or undefined. */
function qualifiedNameError(key: string): string | undefined {
  const parts = key.split('/');
  const name = parts[parts.length - 1]!;
  if (parts.length > 2)
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  if (parts.length === 2 && (parts[0] === '' || parts[0]!.length > 253 || !PREFIX.test(parts[0]!)))
    return parts[0] === ''
      ? 'prefix part must be non-empty'
      : "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME.test(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  return undefined;
}

/** kubectl's `parseTaint`: `key`, `key:Effect` or `key=value:Effect`. */
function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  let key: string;
  let value: string | undefined;
  let effect: string | undefined;
  if (parts.length === 1) key = parts[0]!;
  else if (parts.length === 2) {
    effect = parts[1]!;
    if (!EFFECTS.has(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0]!.split('=');
    if (kv.length > 2) throw new Error(`invalid taint spec: ${spec}`);
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      if (value.length > 63 || (value !== '' && !NAME.test(value)))
        throw new Error(
          `invalid taint spec: ${spec}, a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        );
    }
  } else throw new Error(`invalid taint spec: ${spec}`);
  const invalid = qualifiedNameError(key);
  if (invalid !== undefined) throw new Error(`invalid taint spec: ${spec}, ${invalid}`);
  return { key, ...(value ? { value } : {}), ...(effect ? { effect } : {}) };
}

/** Go's `Taint.ToString()`. */
export function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** kubectl's `ParseTaints`: the taints to add and to remove (`key[:Effect]-`). */
export function parseTaints(specs: readonly string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new Error(`invalid taint spec: ${spec}`);
    if (add.some((a) => a.key === t.key && a.effect === t.effect))
      throw new Error(`duplicated taints with the same key and effect: ${goTaint(t)}`);
    add.push(t);
  }
  return { add, remove };
}

/** A taint as Go's `%v` prints the struct. */
const goTaint = (t: Taint): string => `{${t.key} ${t.value ?? ''} ${t.effect ?? ''} <nil>}`;

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && (a.effect ?? '') === (b.effect ?? '');

/** The taints of a node. */
const taintsOf = (node: KubeObject): Taint[] =>
  objects(field(node, 'spec', 'taints')).map((t) => ({
    key: String(t.key ?? ''),
    ...(typeof t.value === 'string' && t.value !== '' ? { value: t.value } : {}),
    ...(typeof t.effect === 'string' && t.effect !== '' ? { effect: t.effect } : {}),
  }));

/** Options of {@link TaintAction}. */
export interface TaintOptions extends KubectlOptions {
  /** `--overwrite`. @default false */
  readonly overwrite?: boolean;
  /** `--all`: every node. @default false */
  readonly all?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** @default 'none' */
  readonly dryRun?: DryRun;
}

/** What a node verb did: kubectl's lines (stdout), the errors it only reports (stderr) and those that fail it. */
export interface NodeResult {
  readonly lines: readonly string[];
  readonly warnings?: readonly string[];
  readonly errors: readonly Error[];
}

/** The nodes a node verb's names (or `-l`, or `--all`) select. */
async function selectNodes(
  client: KubeClient,
  names: readonly string[],
  labelSelector: string | undefined,
  all: boolean,
  errors: Error[],
): Promise<KubeObject[]> {
  if (all || labelSelector)
    return [...(await client.list('nodes', labelSelector ? { labelSelector } : {})).items];
  const nodes: KubeObject[] = [];
  for (const name of names) {
    try {
      nodes.push(await client.get('nodes', '', name));
    } catch (error) {
      errors.push(error as Error);
    }
  }
  return nodes;
}

/** `kubectl taint`. */
export class TaintAction {
  constructor(private readonly options: TaintOptions) {}

  /** `args`: `nodes NAME… TAINT…`. */
  async run(args: readonly string[]): Promise<NodeResult> {
    const { client, all = false, labelSelector, dryRun = 'none' } = this.options;
    const resources: string[] = [];
    const specs: string[] = [];
    for (const arg of args) {
      const isTaint = arg.includes('=') || arg.includes(':') || arg.endsWith('-');
      if (isTaint) specs.push(arg);
      else if (specs.length > 0)
        throw new Error(`all resources must be specified before taint changes: ${arg}`);
      else resources.push(arg);
    }
    if (resources.length < 1) throw new Error('one or more resources must be specified as <resource> <name>');
    if (specs.length < 1) throw new Error('at least one taint update is required');
    let parsed: { add: Taint[]; remove: Taint[] };
    try {
      parsed = parseTaints(specs);
    } catch (error) {
      throw usageErrorOf('taint', (error as Error).message);
    }
    const type = resources[0]!.toLowerCase();
    if (type !== 'node' && type !== 'nodes')
      throw new Error(`invalid resource type ${resources[0]}, only ["node" "nodes"] are supported`);
    const conflicts = parsed.add.flatMap((a) =>
      parsed.remove
        .filter((r) => r.key === a.key && (!r.effect || r.effect === a.effect))
        .map((r) => `{"${r.key}":"${r.effect ?? ''}"}`),
    );
    if (conflicts.length > 0)
      throw new Error(
        `can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`,
      );
    if (all && labelSelector)
      throw new Error("setting 'all' parameter with a non empty selector is prohibited");
    if (!all && !labelSelector && resources.length < 2)
      throw new Error("at least one resource name must be specified since 'all' parameter is not set");

    const errors: Error[] = [];
    const lines: string[] = [];
    for (const node of await selectNodes(client, resources.slice(1), labelSelector, all, errors)) {
      const name = metaString(node, 'name');
      try {
        const { operation, taints } = this.updated(node, parsed);
        if (dryRun !== 'client')
          await client.patch(
            'nodes',
            '',
            name,
            { spec: { taints: taints.length > 0 ? taints : null } },
            'merge',
            { fieldManager: 'kubectl-taint', ...(dryRun === 'server' ? { dryRun: true } : {}) },
          );
        lines.push(`node/${name} ${operation}${dryRunSuffix(dryRun)}`);
      } catch (error) {
        errors.push(error as Error);
      }
    }
    return { lines, errors };
  }

  /** kubectl's `updateTaints` / `reorganizeTaints`. */
  private updated(
    node: KubeObject,
    { add, remove }: { add: Taint[]; remove: Taint[] },
  ): { operation: string; taints: Taint[] } {
    const old = taintsOf(node);
    if (!this.options.overwrite) {
      const existing = add.filter((t) => old.some((o) => sameTaint(o, t))).map((t) => t.key);
      if (existing.length > 0)
        throw new Error(
          `node ${metaString(node, 'name')} already has ${existing.join(',')} taint(s) with same effect(s) and --overwrite is false`,
        );
    }
    const taints = [...add];
    for (const o of old) if (!taints.some((t) => sameTaint(t, o))) taints.push(o);
    const added = old.length !== taints.length;
    const notFound: string[] = [];
    let deleted = false;
    for (const r of remove) {
      const before = taints.length;
      const kept = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
      deleted = kept.length !== before;
      if (!deleted) notFound.push(`taint ${JSON.stringify(taintString(r))} not found`);
      taints.splice(0, taints.length, ...kept);
    }
    if (notFound.length === 1) throw new Error(notFound[0]);
    if (notFound.length > 1) throw new Error(`[${notFound.join(', ')}]`);
    const operation =
      (added && deleted) || this.options.overwrite ? 'modified' : added ? 'tainted' : 'untainted';
    return { operation, taints };
  }
}

/** Options of {@link CordonAction}. */
export interface CordonOptions extends KubectlOptions {
  /** `-l`. */
  readonly labelSelector?: string;
  /** @default 'none' */
  readonly dryRun?: DryRun;
}

/** `kubectl cordon` / `uncordon`: marks nodes (un)schedulable. */
export class CordonAction {
  constructor(private readonly options: CordonOptions) {}

  /** Cordons (`desired`) or uncordons the nodes `names` (or `-l`) select. */
  async run(names: readonly string[], desired: boolean): Promise<NodeResult> {
    const { client, labelSelector, dryRun = 'none' } = this.options;
    const verb = desired ? 'cordon' : 'uncordon';
    if (names.length === 0 && !labelSelector) throw usageErrorOf(verb, `USAGE: ${verb} NODE [flags]`);
    const errors: Error[] = [];
    const lines: string[] = [];
    const warnings: string[] = [];
    for (const node of await selectNodes(client, names, labelSelector, false, errors)) {
      const name = metaString(node, 'name');
      const current = field(node, 'spec', 'unschedulable') === true;
      if (current === desired) {
        lines.push(`node/${name} already ${desired ? 'cordoned' : 'uncordoned'}`);
        continue;
      }
      if (dryRun !== 'client') {
        try {
          await client.patch('nodes', '', name, { spec: { unschedulable: desired ? true : null } }, 'merge', {
            fieldManager: 'kubectl-cordon',
            ...(dryRun === 'server' ? { dryRun: true } : {}),
          });
        } catch (error) {
          // kubectl reports a failed update and carries on (the command still succeeds).
          warnings.push(`error: unable to ${verb} node ${JSON.stringify(name)}: ${(error as Error).message}`);
          continue;
        }
      }
      lines.push(`node/${name} ${desired ? 'cordoned' : 'uncordoned'}${dryRunSuffix(dryRun)}`);
    }
    return { lines, warnings, errors };
  }
}
