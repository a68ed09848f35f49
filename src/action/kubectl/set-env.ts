/**
 * `kubectl set env TYPE NAME KEY=VALUE… KEY-…` (`pkg/cmd/set/set_env.go`): variables set,
 * changed in place or removed in the matching containers (`-c`, a glob), `--from` a ConfigMap's
 * or Secret's keys as references, `--overwrite=false` refusing a change, `--list` printing the
 * variables instead.
 */

import type { KubeClient } from '../../kube/index.js';
import { metaString, usageError, type WriteResult } from './context.js';
import {
  at,
  isObj,
  nest,
  noPodTemplate,
  type Obj,
  objectsOf,
  podSpecPath,
  type SetOptions,
  send,
} from './set.js';

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
export function splitEnvironment(args: readonly string[]): { resources: string[]; envArgs: string[] } {
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
export function parseEnv(specs: readonly string[]): { set: Obj[]; remove: string[] } {
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
export function updateEnv(existing: readonly Obj[], env: readonly Obj[], remove: readonly string[]): Obj[] {
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
