/**
 * `kubectl delete`: by `TYPE NAME…`, `TYPE/NAME…`, `-f` manifests, `-l` or `--all`, printing
 * `deployment.apps "web" deleted` per object (dependents go with it, in the background).
 */

import { KubeApiError, kindName } from '../../kube/index.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  type ResourceSelection,
  selectResources,
  usageError,
  type WriteResult,
} from './context.js';
import type { Manifest } from './manifests.js';
import { writeEachTarget } from './targets.js';

/** Options of {@link DeleteAction}. */
export interface DeleteActionOptions extends KubectlOptions {
  /** `--all`: every object of the kinds. @default false */
  readonly all?: boolean;
  /** `-A` with `--all` or `-l`. @default false */
  readonly allNamespaces?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** `--field-selector`. */
  readonly fieldSelector?: string;
  /** `--ignore-not-found`. @default false */
  readonly ignoreNotFound?: boolean;
  /** @default 'none' */
  readonly dryRun?: DryRun;
}

/** What `kubectl delete` did; `notice` is `No resources found` when a selection was empty. */
export interface DeleteResult extends WriteResult {
  readonly notice?: string;
}

/** `kubectl delete`. */
export class DeleteAction {
  constructor(private readonly options: DeleteActionOptions) {}

  /** Deletes what the resource arguments (and `--all` / `-l`) select. */
  async run(args: readonly string[]): Promise<DeleteResult> {
    const { client, namespace = 'default', allNamespaces = false } = this.options;
    const { selections } = await selectResources(client, args);
    const selecting = this.options.all || this.options.labelSelector || this.options.fieldSelector;
    const hasNames = selections.some((s) => s.names.length > 0);
    if (hasNames && selecting) throw usageError('name cannot be provided when a selector is specified');
    if (!hasNames && !selecting) throw usageError('resource(s) were provided, but no name was specified');
    const lines: string[] = [];
    const errors: Error[] = [];
    const targets: { selection: ResourceSelection; namespace: string; name: string }[] = [];
    for (const selection of selections) {
      if (selection.names.length > 0) {
        for (const name of selection.names) targets.push({ selection, namespace, name });
        continue;
      }
      const list = await client.list(selection.kind, {
        ...(allNamespaces ? {} : { namespace }),
        ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
        ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
      });
      for (const item of list.items)
        targets.push({ selection, namespace: metaString(item, 'namespace'), name: metaString(item, 'name') });
    }
    for (const { selection, namespace: ns, name } of targets) {
      try {
        const line = await this.deleteOne(selection.kind, ns, name);
        if (line !== undefined) lines.push(line);
      } catch (error) {
        errors.push(error as Error);
      }
    }
    const notice =
      !hasNames && targets.length === 0
        ? allNamespaces || selections.every((s) => !s.kind.namespaced)
          ? 'No resources found'
          : `No resources found in ${namespace} namespace.`
        : undefined;
    return { lines, errors, ...(notice === undefined ? {} : { notice }) };
  }

  /** Deletes the objects of `-f` manifests. */
  async runManifests(manifests: readonly Manifest[]): Promise<DeleteResult> {
    return writeEachTarget(this.options, manifests, (target) =>
      this.deleteOne(target.kind, target.namespace, target.name),
    );
  }

  private async deleteOne(
    kind: ResourceSelection['kind'],
    namespace: string,
    name: string,
  ): Promise<string | undefined> {
    const { client, dryRun = 'none' } = this.options;
    try {
      if (dryRun === 'client') await client.get(kind, namespace, name);
      else await client.delete(kind, namespace, name, dryRun === 'server' ? { dryRun: true } : {});
    } catch (error) {
      if (this.options.ignoreNotFound && error instanceof KubeApiError && error.code === 404)
        return undefined;
      throw error;
    }
    return `${kindName(kind)} "${name}" deleted${dryRunSuffix(dryRun)}`;
  }
}
