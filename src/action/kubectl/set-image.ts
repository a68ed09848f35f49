/**
 * `kubectl set image TYPE NAME CONTAINER=IMAGE…` (`pkg/cmd/set/set_image.go`): the named
 * containers (`*` for all) of init, regular and ephemeral containers get the new image; a name
 * no container has is an error.
 */

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

/** Options of {@link SetImageAction}. */
export type SetImageOptions = SetOptions;

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
