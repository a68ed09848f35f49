/**
 * `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`: the patch may be JSON or
 * YAML; `deployment.apps/web patched`, or `patched (no change)` when nothing changed.
 */

import { parseYaml } from '../../internal/yaml.js';
import { kindName, type PatchType } from '../../kube/index.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  selectResources,
  usageError,
  type WriteResult,
} from './context.js';

/** Options of {@link PatchAction}. */
export interface PatchActionOptions extends KubectlOptions {
  /** `-p`: the patch, JSON or YAML. */
  readonly patch: string;
  /** `--type`. @default 'strategic' */
  readonly type?: PatchType;
  /** @default 'none' */
  readonly dryRun?: DryRun;
}

/** The patch text as data (kubectl reads YAML too). */
export function parsePatch(text: string): unknown {
  try {
    return parseYaml(text, 'patch');
  } catch (error) {
    throw usageError(`unable to parse "${text}": ${(error as Error).message}`);
  }
}

/** `kubectl patch`. */
export class PatchAction {
  constructor(private readonly options: PatchActionOptions) {}

  /** Patches each object the resource arguments name. */
  async run(args: readonly string[]): Promise<WriteResult> {
    const { client, namespace = 'default', type = 'strategic', dryRun = 'none' } = this.options;
    if (this.options.patch === '') throw usageError('must specify -p to patch');
    const body = parsePatch(this.options.patch);
    const { selections } = await selectResources(client, args);
    const lines: string[] = [];
    const errors: Error[] = [];
    for (const { kind, names } of selections) {
      if (names.length === 0) throw usageError('resource(s) were provided, but no name was specified');
      for (const name of names) {
        try {
          const before = await client.get(kind, namespace, name);
          const prefix = `${kindName(kind)}/${name}`;
          if (dryRun === 'client') {
            lines.push(`${prefix} patched${dryRunSuffix(dryRun)}`);
            continue;
          }
          const after = await client.patch(kind, namespace, name, body, type, {
            fieldManager: 'kubectl-patch',
            ...(dryRun === 'server' ? { dryRun: true } : {}),
          });
          const same = metaString(after, 'resourceVersion') === metaString(before, 'resourceVersion');
          lines.push(`${prefix} patched${same && dryRun === 'none' ? ' (no change)' : dryRunSuffix(dryRun)}`);
        } catch (error) {
          errors.push(error as Error);
        }
      }
    }
    return { lines, errors };
  }
}
