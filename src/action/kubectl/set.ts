/**
 * What `kubectl set image` (`set-image.ts`) and `kubectl set env` (`set-env.ts`) share: they
 * change the containers of a pod or of the pod template of a workload (Deployment, ReplicaSet,
 * DaemonSet, StatefulSet, ReplicationController, Job, CronJob) with one strategic merge patch per
 * object, as kubectl does (`pkg/cmd/set`): `deployment.apps/web image updated`,
 * `deployment.apps/web env updated`; nothing is printed for an object the command does not
 * change. `--record` (deprecated) stores the command line in `kubernetes.io/change-cause`, which
 * `rollout history` shows. Here: where a kind's pod spec is, the objects the arguments name, and
 * sending one object's patch.
 */

import { type KindDescriptor, type KubeClient, type KubeObject, kindName } from '../../kube/index.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  selectResources,
  usageError,
} from './context.js';
import { CHANGE_CAUSE_ANNOTATION } from './rollout-history.js';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

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
export interface SetOptions extends KubectlOptions {
  /** `--all`. */
  readonly all?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** @default 'none' */
  readonly dryRun?: DryRun;
  /** `--record`: the command line to store as `kubernetes.io/change-cause`. */
  readonly changeCause?: string;
}

/** The objects the resource arguments name (a kind alone: `--all` or `-l`). */
export async function objectsOf(
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
export function at(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const key of path) cur = isObj(cur) ? cur[key] : undefined;
  return cur;
}

/** `{a: {b: value}}` for the path [a, b]. */
export function nest(path: readonly string[], value: unknown): Obj {
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
export function noPodTemplate(kind: KindDescriptor, name: string): Error {
  const resource = kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
  return usageError(
    `error: ${resource}/${name} the object is not a pod or does not have a pod template: *v1.${kind.kind}`,
  );
}

/** Sends one object's patch (unless a client dry run) and returns its line. */
export async function send(
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
