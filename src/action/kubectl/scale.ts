/**
 * `kubectl scale --replicas=N TYPE NAME`: sets the replicas of Deployments, ReplicaSets,
 * StatefulSets and ReplicationControllers (`deployment.apps/web scaled`), with the
 * `--current-replicas` and `--resource-version` preconditions.
 *
 * kubectl writes through the scale subresource (`PATCH …/scale`, a merge patch of
 * `{"spec":{"replicas":N}}`); the client seam has no subresource, so the same merge patch goes
 * to the object itself, which changes nothing else. With a precondition, kubectl replaces the
 * Scale with the resourceVersion it read; here the patch carries it, with the same 409 Conflict
 * when the object changed in between.
 */

import { type KindDescriptor, KubeApiError, kindName } from '../../kube/index.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  selectResources,
  usageError,
  type WriteResult,
} from './context.js';

/** Options of {@link ScaleAction}. */
export interface ScaleOptions extends KubectlOptions {
  /** `--replicas` (required, ≥ 0). */
  readonly replicas: number | undefined;
  /** `--current-replicas`: only scale when the object has this many (-1 or absent: any). */
  readonly currentReplicas?: number;
  /** `--resource-version`: only scale the object at this version. */
  readonly resourceVersion?: string;
  /** `--all`: every object of the kind in the namespace. */
  readonly all?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** @default 'none' */
  readonly dryRun?: DryRun;
}

/** The kinds with a scale subresource. */
const SCALABLE = new Set([
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  '/ReplicationController',
]);

/** The 404 of a kind without a scale subresource (`PATCH pods/x/scale`). */
function noScaleSubresource(): KubeApiError {
  return new KubeApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
}

/** `kubectl scale`. */
export class ScaleAction {
  constructor(private readonly options: ScaleOptions) {}

  /** Scales each object the arguments name. */
  async run(args: readonly string[]): Promise<WriteResult> {
    const { client, namespace = 'default', replicas, dryRun = 'none' } = this.options;
    if (replicas === undefined || replicas < 0)
      throw usageError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
    if (args.length === 0)
      throw usageError('You must provide one or more resources by argument or filename.');
    const current = this.options.currentReplicas ?? -1;
    const version = this.options.resourceVersion ?? '';
    const { selections } = await selectResources(client, args);
    if (version !== '' && (selections.length > 1 || selections.some((s) => s.names.length !== 1)))
      throw usageError('cannot use --resource-version with multiple resources');
    const lines: string[] = [];
    const errors: Error[] = [];
    for (const { kind, names } of selections) {
      let targets = names;
      if (names.length === 0) {
        if (!this.options.all && !this.options.labelSelector)
          throw usageError('resource(s) were provided, but no name was specified');
        const list = await client.list(kind, {
          namespace,
          ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
        });
        targets = list.items.map((o) => metaString(o, 'name'));
      }
      for (const name of targets) {
        try {
          await this.scaleOne(kind, namespace, name, replicas, current, version);
          lines.push(`${kindName(kind)}/${name} scaled${dryRunSuffix(dryRun)}`);
        } catch (error) {
          errors.push(error as Error);
        }
      }
    }
    return { lines, errors };
  }

  private async scaleOne(
    kind: KindDescriptor,
    namespace: string,
    name: string,
    replicas: number,
    current: number,
    version: string,
  ): Promise<void> {
    const { client, dryRun = 'none' } = this.options;
    const object = await client.get(kind, namespace, name);
    if (!SCALABLE.has(`${kind.group}/${kind.kind}`)) throw noScaleSubresource();
    const precondition = current >= 0 || version !== '';
    if (precondition) {
      const spec = object.spec as Record<string, unknown> | undefined;
      const actual = typeof spec?.replicas === 'number' ? spec.replicas : 0;
      if (current >= 0 && actual !== current)
        throw usageError(`Expected replicas to be ${current}, was ${actual}`);
      const rv = metaString(object, 'resourceVersion');
      if (version !== '' && rv !== version)
        throw usageError(`Expected resource version to be ${version}, was ${rv}`);
    }
    if (dryRun === 'client') return;
    const patch = precondition
      ? { metadata: { resourceVersion: metaString(object, 'resourceVersion') }, spec: { replicas } }
      : { spec: { replicas } };
    await client.patch(kind, namespace, name, patch, 'merge', dryRun === 'server' ? { dryRun: true } : {});
  }
}
