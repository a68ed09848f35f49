/**
 * `kubectl set image` and `kubectl set env`: change the containers of a pod or of the pod
 * template of a workload (Deployment, ReplicaSet, DaemonSet, StatefulSet, ReplicationController,
 * Job, CronJob) with one strategic merge patch per object, as kubectl does (`pkg/cmd/set`):
 * `deployment.apps/web image updated`, `deployment.apps/web env updated`; nothing is printed for an
 * object the command does not change. `--record` (deprecated) stores the command line in
 * `kubernetes.io/change-cause`, which `rollout history` shows.
 */

import { type KindDescriptor, type KubeClient, type KubeObject, kindName } from '../../kube/index.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  selectResources,
  usageError,
  type WriteResult,
} from './context.js';
import { CHANGE_CAUSE_ANNOTATION } from './rollout.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What kubectl prints when `--record` is used. */
export const RECORD_DEPRECATION = 'Flag --record has been deprecated, --record will be removed in the future';

/** The field manager of `kubectl set`. */
const FIELD_MANAGER = 'kubectl-set';

/** Where the pod spec of a kind is (`UpdatePodSpecForObject`), or undefined when it has none. */
export function podSpecPath(kind: KindDescriptor): readonly string[] | undefined {
  const key = `${kind.group}/${kind.kind}`;
  switch (key) {
    case '/Pod':
      return ['spec'];
    case '/ReplicationController':
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/DaemonSet':
    case 'apps/StatefulSet':
    case 'batch/Job':
      return ['spec', 'template', 'spec'];
    case 'batch/CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

/** Options both verbs take. */
interface SetOptions extends KubectlOptions {
  /** `--all`. */
  readonly all?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** @default 'none' */
  readonly dryRun?: DryRun;
  /** `--record`: the command line to store as `kubernetes.io/change-cause`. */
  readonly changeCause?: string;
}

/** Options of {@link SetImageAction}. */
export type SetImageOptions = SetOptions;

/** Options of {@link SetEnvAction}. */
export interface SetEnvOptions extends SetOptions {
  /** `-c`: the containers to change (a glob, `*` for all). @default '*' */
  readonly containers?: string;
  /** `-e KEY=VALUE` (repeatable), before the variables given as arguments. */
  readonly env?: readonly string[];
  /** `--list`: print the variables instead of changing them. */
  readonly list?: boolean;
  /** `--overwrite=false`: refuse to change a variable that exists. @default true */
  readonly overwrite?: boolean;
  /** `--from=configmap/NAME|secret/NAME`: every key of it, as references. */
  readonly from?: string;
  /** `--prefix` for the names of `--from` variables. */
  readonly prefix?: string;
  /** `--keys`: only these keys of `--from`. */
  readonly keys?: readonly string[];
}

/** The outcome of `set env --list`, or of a change. */
export interface SetEnvResult extends WriteResult {
  /** What `--list` prints (and the warnings for objects without matching containers). */
  readonly text: string;
  readonly warnings: readonly string[];
}

/** Splits arguments into resources and `name=value` / `name-` pairs (`GetResourcesAndPairs`). */
function splitPairs(args: readonly string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const arg of args) {
    const isPair = (arg.includes('=') && !arg.startsWith('=')) || (arg.endsWith('-') && arg !== '-');
    if (isPair) pairs.push(arg);
    else if (pairs.length > 0)
      throw usageError(`all resources must be specified before ${pairType} changes: ${arg}`);
    else resources.push(arg);
  }
  return { resources, pairs };
}

/** The objects the resource arguments name (a kind alone: `--all` or `-l`). */
async function objectsOf(
  client: KubeClient,
  namespace: string,
  resources: readonly string[],
  options: SetOptions,
  errors: Error[],
): Promise<{ kind: KindDescriptor; object: KubeObject }[]> {
  const { selections } = await selectResources(client, resources);
  const out: { kind: KindDescriptor; object: KubeObject }[] = [];
  for (const { kind, names } of selections) {
    if (names.length === 0) {
      if (!options.all && !options.labelSelector)
        throw usageError('resource(s) were provided, but no name was specified');
      const list = await client.list(kind, {
        namespace,
        ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
      });
      for (const object of list.items) out.push({ kind, object });
      continue;
    }
    for (const name of names) {
      try {
        out.push({ kind, object: await client.get(kind, namespace, name) });
      } catch (error) {
        errors.push(error as Error);
      }
    }
  }
  return out;
}

/** The value at a path. */
function at(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const key of path) cur = isObj(cur) ? cur[key] : undefined;
  return cur;
}

/** `{a: {b: value}}` for the path [a, b]. */
function nest(path: readonly string[], value: unknown): Obj {
  let out: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) out = { [path[i]!]: out };
  return out as Obj;
}

/** A change-cause annotation merged into a patch. */
function withChangeCause(patch: Obj, changeCause: string | undefined): Obj {
  if (changeCause === undefined) return patch;
  return { ...patch, metadata: { annotations: { [CHANGE_CAUSE_ANNOTATION]: changeCause } } };
}

/** The error of an object without a pod template. */
function noPodTemplate(kind: KindDescriptor, name: string): Error {
  const resource = kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
  return usageError(
    `error: ${resource}/${name} the object is not a pod or does not have a pod template: *v1.${kind.kind}`,
  );
}

/** Sends one object's patch (unless a client dry run) and returns its line. */
async function send(
  client: KubeClient,
  options: SetOptions,
  kind: KindDescriptor,
  object: KubeObject,
  patch: Obj,
  verb: string,
): Promise<string> {
  const dryRun = options.dryRun ?? 'none';
  const name = metaString(object, 'name');
  if (dryRun !== 'client') {
    await client.patch(
      kind,
      metaString(object, 'namespace'),
      name,
      withChangeCause(patch, options.changeCause),
      'strategic',
      {
        fieldManager: FIELD_MANAGER,
        ...(dryRun === 'server' ? { dryRun: true } : {}),
      },
    );
  }
  return `${kindName(kind)}/${name} ${verb}${dryRunSuffix(dryRun)}`;
}

/** `kubectl set image TYPE NAME CONTAINER=IMAGE…`. */
export class SetImageAction {
  constructor(private readonly options: SetImageOptions) {}

  async run(args: readonly string[]): Promise<WriteResult> {
    const { client, namespace = 'default' } = this.options;
    const { resources, pairs } = splitPairs(args, 'image');
    const images = new Map<string, string>();
    const invalid: string[] = [];
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq > 0) images.set(pair.slice(0, eq), pair.slice(eq + 1));
      else invalid.push(pair);
    }
    if (invalid.length > 0) throw usageError(`invalid image format: ${invalid.join(', ')}`);
    if (resources.length === 0)
      throw usageError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
    if (images.size === 0) throw usageError('at least one image update is required');
    const errors: Error[] = [];
    const lines: string[] = [];
    for (const { kind, object } of await objectsOf(client, namespace, resources, this.options, errors)) {
      const path = podSpecPath(kind);
      if (path === undefined) {
        errors.push(noPodTemplate(kind, metaString(object, 'name')));
        continue;
      }
      const spec = at(object, path);
      const patchSpec: Obj = {};
      for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
        const containers = (isObj(spec) && Array.isArray(spec[list]) ? spec[list] : []) as Obj[];
        const changed: Obj[] = [];
        for (const c of containers) {
          const image = images.get(String(c.name)) ?? images.get('*');
          if (image !== undefined && c.image !== image) changed.push({ name: c.name, image });
        }
        if (changed.length > 0) {
          patchSpec[`$setElementOrder/${list}`] = containers.map((c) => ({ name: c.name }));
          patchSpec[list] = changed;
        }
      }
      for (const name of images.keys()) {
        if (name === '*') continue;
        const found = ['initContainers', 'containers', 'ephemeralContainers'].some((list) => {
          const containers = isObj(spec) && Array.isArray(spec[list]) ? (spec[list] as Obj[]) : [];
          return containers.some((c) => c.name === name);
        });
        if (!found) errors.push(usageError(`error: unable to find container named ${JSON.stringify(name)}`));
      }
      if (Object.keys(patchSpec).length === 0) continue;
      try {
        lines.push(await send(client, this.options, kind, object, nest(path, patchSpec), 'image updated'));
      } catch (error) {
        errors.push(usageError(`failed to patch image update to pod template: ${(error as Error).message}`));
      }
    }
    return { lines, errors };
  }
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** A glob (`*`, `web-*`) as a matcher. */
function glob(pattern: string): (name: string) => boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return (name) => re.test(name);
}

/** kubectl's name of a `--from` key as a variable: upper case, invalid characters as `_`. */
function keyToEnvName(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** `GetEnvVarRefString`. */
function refString(from: unknown): string {
  const ref = (k: string) => at(from, [k]);
  if (isObj(ref('configMapKeyRef')))
    return `configmap ${String(at(from, ['configMapKeyRef', 'name']))}, key ${String(at(from, ['configMapKeyRef', 'key']))}`;
  if (isObj(ref('secretKeyRef')))
    return `secret ${String(at(from, ['secretKeyRef', 'name']))}, key ${String(at(from, ['secretKeyRef', 'key']))}`;
  if (isObj(ref('fieldRef'))) return `field path ${String(at(from, ['fieldRef', 'fieldPath']))}`;
  if (isObj(ref('resourceFieldRef'))) {
    const container = at(from, ['resourceFieldRef', 'containerName']);
    return `resource field ${container ? `${String(container)}/` : ''}${String(at(from, ['resourceFieldRef', 'resource']))}`;
  }
  return 'invalid valueFrom';
}

/** `kubectl set env TYPE NAME KEY=VALUE… KEY-…`. */
export class SetEnvAction {
  constructor(private readonly options: SetEnvOptions) {}

  async run(args: readonly string[]): Promise<SetEnvResult> {
    const { client, namespace = 'default', overwrite = true } = this.options;
    const { resources, envArgs } = splitEnvironment(args);
    if (resources.length === 0)
      throw usageError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
    const specs = [...(this.options.env ?? []), ...envArgs];
    if (!this.options.list && specs.length === 0 && this.options.from === undefined)
      throw usageError('at least one environment variable must be provided');
    const { set, remove } = parseEnv(specs);
    if (this.options.from !== undefined) set.push(...(await this.fromSource(client, namespace)));
    const matches = glob(this.options.containers ?? '*');
    const errors: Error[] = [];
    const lines: string[] = [];
    const warnings: string[] = [];
    let text = '';
    for (const { kind, object } of await objectsOf(client, namespace, resources, this.options, errors)) {
      const name = metaString(object, 'name');
      const path = podSpecPath(kind);
      if (path === undefined) {
        errors.push(noPodTemplate(kind, name));
        continue;
      }
      const spec = at(object, path);
      const patchSpec: Obj = {};
      let selected = 0;
      try {
        for (const list of ['containers', 'initContainers']) {
          const containers = (isObj(spec) && Array.isArray(spec[list]) ? spec[list] : []) as Obj[];
          const changed: Obj[] = [];
          for (const c of containers) {
            if (!matches(String(c.name))) continue;
            selected++;
            const env = (Array.isArray(c.env) ? c.env : []) as Obj[];
            if (!overwrite)
              for (const e of set) {
                const existing = env.find((x) => x.name === e.name);
                if (existing !== undefined && existing.value !== e.value)
                  throw usageError(
                    `'${String(e.name)}' already has a value (${String(existing.value ?? '')}), and --overwrite is false`,
                  );
              }
            const next = updateEnv(env, set, remove);
            if (this.options.list) {
              text += `# ${kind.kind} ${name}, container ${String(c.name)}\n`;
              for (const e of next) {
                if (e.valueFrom === undefined) text += `${String(e.name)}=${String(e.value ?? '')}\n`;
                else text += `# ${String(e.name)} from ${refString(e.valueFrom)}\n`;
              }
              continue;
            }
            const envPatch: Obj[] = [];
            for (const e of next) {
              const before = env.find((x) => x.name === e.name);
              if (before === undefined || JSON.stringify(before) !== JSON.stringify(e)) envPatch.push(e);
            }
            for (const e of env)
              if (!next.some((x) => x.name === e.name)) envPatch.push({ $patch: 'delete', name: e.name });
            if (envPatch.length > 0)
              changed.push({
                name: c.name,
                '$setElementOrder/env': next.map((e) => ({ name: e.name })),
                env: envPatch,
              });
          }
          if (changed.length > 0) {
            patchSpec[`$setElementOrder/${list}`] = containers.map((c) => ({ name: c.name }));
            patchSpec[list] = changed;
          }
        }
      } catch (error) {
        // kubectl names the resource by its GroupVersionResource here (`apps/v1, Resource=deployments`).
        const gvr = `${kind.group === '' ? '' : `${kind.group}/`}${kind.version}, Resource=${kind.plural}`;
        errors.push(usageError(`error: ${gvr}/${name} ${(error as Error).message}`));
        continue;
      }
      if (selected === 0) {
        warnings.push(
          `warning: ${kind.kind}/${name} does not have any containers matching ${JSON.stringify(this.options.containers ?? '*')}`,
        );
        continue;
      }
      if (this.options.list || Object.keys(patchSpec).length === 0) continue;
      try {
        lines.push(await send(client, this.options, kind, object, nest(path, patchSpec), 'env updated'));
      } catch (error) {
        errors.push(error as Error);
      }
    }
    return { lines, errors, text, warnings };
  }

  /** The variables of `--from=configmap/NAME|secret/NAME`, as references to its keys. */
  private async fromSource(client: KubeClient, namespace: string): Promise<Obj[]> {
    const from = this.options.from ?? '';
    const slash = from.indexOf('/');
    const type = slash < 0 ? '' : from.slice(0, slash);
    const name = slash < 0 ? '' : from.slice(slash + 1);
    const isSecret = ['secret', 'secrets'].includes(type);
    if (!isSecret && !['configmap', 'configmaps', 'cm'].includes(type))
      throw usageError(`unsupported resource specified in --from`);
    const object = await client.get(isSecret ? 'secrets' : 'configmaps', namespace, name);
    const keys = Object.keys({
      ...(isObj(object.data) ? object.data : {}),
      ...(isObj(object.binaryData) ? object.binaryData : {}),
    })
      .filter(
        (k) =>
          this.options.keys === undefined || this.options.keys.length === 0 || this.options.keys.includes(k),
      )
      .sort();
    const refKind = isSecret ? 'secretKeyRef' : 'configMapKeyRef';
    return keys.map((key) => ({
      name: `${this.options.prefix ?? ''}${keyToEnvName(key)}`,
      valueFrom: { [refKind]: { name, key } },
    }));
  }
}

/** `SplitEnvironmentFromResources`: resources first, then `KEY=VALUE` / `KEY-`. */
function splitEnvironment(args: readonly string[]): { resources: string[]; envArgs: string[] } {
  const resources: string[] = [];
  const envArgs: string[] = [];
  for (const arg of args) {
    const isEnv = /^[\s\S]+=[\s\S]*$/.test(arg) || arg.endsWith('-');
    if (isEnv) envArgs.push(arg);
    else if (envArgs.length > 0)
      throw usageError(`all resources must be specified before environment changes: ${args.join(' ')}`);
    else resources.push(arg);
  }
  return { resources, envArgs };
}

/** `ParseEnv`: `KEY=VALUE` to set, `KEY-` to remove. */
function parseEnv(specs: readonly string[]): { set: Obj[]; remove: string[] } {
  const set: Obj[] = [];
  const remove: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq >= 0) {
      const name = spec.slice(0, eq);
      if (!ENV_NAME.test(name))
        throw usageError(
          `${JSON.stringify(name)} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
        );
      set.push({ name, value: spec.slice(eq + 1) });
    } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
    else throw usageError(`unknown environment variable: ${spec}`);
  }
  if (remove.some((r) => set.some((e) => e.name === r)))
    throw usageError('can not both modify and remove the same environment variable in the same command');
  return { set, remove };
}

/** `updateEnv`: changed variables in place, new ones at the end, removed ones gone. */
function updateEnv(existing: readonly Obj[], env: readonly Obj[], remove: readonly string[]): Obj[] {
  const out: Obj[] = [];
  const covered = new Set(remove);
  for (const e of existing) {
    const name = String(e.name);
    if (covered.has(name)) continue;
    const newer = env.find((x) => x.name === name);
    if (newer !== undefined) {
      covered.add(name);
      out.push(newer);
    } else out.push(e);
  }
  for (const e of env) {
    const name = String(e.name);
    if (covered.has(name)) continue;
    covered.add(name);
    out.push(e);
  }
  return out;
}
