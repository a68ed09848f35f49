/**
 * `kubectl label` and `kubectl annotate`: `key=value` adds (an existing different value needs
 * `--overwrite`), `key-` removes; one merge patch per object; `pod/web labeled`.
 */

import { kindName } from '../../kube/index.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  selectResources,
  usageError,
  type WriteResult,
} from './context.js';

/** Which metadata map a command edits. */
export type MetadataField = 'labels' | 'annotations';

/** Options of {@link LabelAction}. */
export interface LabelOptions extends KubectlOptions {
  /** @default 'labels' */
  readonly field?: MetadataField;
  /** `--overwrite`. @default false */
  readonly overwrite?: boolean;
  /** `--all`. @default false */
  readonly all?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** @default 'none' */
  readonly dryRun?: DryRun;
}

/** The changes of a `label`/`annotate` command line: values to set, keys to remove. */
export interface MetadataChanges {
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
}

/** Splits arguments into resource arguments and `key=value` / `key-` changes. */
export function splitChanges(args: readonly string[]): { resources: string[]; changes: MetadataChanges } {
  const resources: string[] = [];
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) set[arg.slice(0, eq)] = arg.slice(eq + 1);
    else if (arg.endsWith('-') && arg.length > 1 && resources.length > 0) remove.push(arg.slice(0, -1));
    else resources.push(arg);
  }
  for (const key of remove)
    if (Object.hasOwn(set, key))
      throw usageError(`can not both modify and remove the following label(s) in the same command: ${key}`);
  return { resources, changes: { set, remove } };
}

/** `kubectl label` / `kubectl annotate`. */
export class LabelAction {
  constructor(private readonly options: LabelOptions) {}

  /** Applies the changes named in `args` to the objects named there. */
  async run(args: readonly string[]): Promise<WriteResult> {
    const { client, namespace = 'default', field = 'labels', dryRun = 'none' } = this.options;
    const { resources, changes } = splitChanges(args);
    const noun = field === 'labels' ? 'label' : 'annotation';
    if (Object.keys(changes.set).length === 0 && changes.remove.length === 0)
      throw usageError(`at least one ${noun} update is required`);
    const { selections } = await selectResources(client, resources);
    const verb = field === 'labels' ? 'labeled' : 'annotated';
    const lines: string[] = [];
    const errors: Error[] = [];
    for (const { kind, names } of selections) {
      let targets: { namespace: string; name: string }[] = names.map((name) => ({ namespace, name }));
      if (names.length === 0) {
        if (!this.options.all && !this.options.labelSelector)
          throw usageError('resource(s) were provided, but no name was specified');
        const list = await client.list(kind, {
          namespace,
          ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
        });
        targets = list.items.map((o) => ({
          namespace: metaString(o, 'namespace'),
          name: metaString(o, 'name'),
        }));
      }
      for (const target of targets) {
        try {
          const live = await client.get(kind, target.namespace, target.name);
          const current = ((live.metadata as Record<string, unknown>)[field] ?? {}) as Record<string, string>;
          const patch: Record<string, string | null> = {};
          for (const [key, value] of Object.entries(changes.set)) {
            if (current[key] === value) continue;
            if (Object.hasOwn(current, key) && !this.options.overwrite)
              throw usageError(`'${key}' already has a value (${current[key]}), and --overwrite is false`);
            patch[key] = value;
          }
          for (const key of changes.remove) if (Object.hasOwn(current, key)) patch[key] = null;
          const prefix = `${kindName(kind)}/${target.name}`;
          if (Object.keys(patch).length === 0) {
            lines.push(`${prefix} not ${verb}`);
            continue;
          }
          if (dryRun !== 'client')
            await client.patch(
              kind,
              target.namespace,
              target.name,
              { metadata: { [field]: patch } },
              'merge',
              {
                fieldManager: field === 'labels' ? 'kubectl-label' : 'kubectl-annotate',
                ...(dryRun === 'server' ? { dryRun: true } : {}),
              },
            );
          lines.push(`${prefix} ${verb}${dryRunSuffix(dryRun)}`);
        } catch (error) {
          errors.push(error as Error);
        }
      }
    }
    return { lines, errors };
  }
}
