/**
 * What every kubectl action shares: the client, the namespace a command works in, and the
 * outcome of a command that writes (the lines kubectl prints and the errors it reports at the end).
 */

import { InvalidArgumentError } from '../../internal/errors.js';
import type { KindDescriptor, KubeClient, KubeObject, ListOptions } from '../../kube/index.js';

/** The configuration every kubectl action takes. */
export interface KubectlOptions {
  readonly client: KubeClient;
  /** `-n`, else the current context's namespace. @default 'default' */
  readonly namespace?: string;
  /** Whether `-n` was given (objects naming another namespace are then refused). @default false */
  readonly explicitNamespace?: boolean;
}

/** `--dry-run`: `none`, `client` (nothing sent) or `server` (sent, not stored). */
export type DryRun = 'none' | 'client' | 'server';

/** The outcome of a writing command: one line per object, then the errors kubectl prints last. */
export interface WriteResult {
  /** `deployment.apps/web created`… */
  readonly lines: readonly string[];
  /** The failures, in order; the command exits 1 when there are any. */
  readonly errors: readonly Error[];
}

/** kubectl's suffix of a dry-run result line. */
export function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
}

/** A kubectl argument error (printed as `error: …`). */
export function usageError(message: string): InvalidArgumentError {
  return new InvalidArgumentError(message);
}

/** The kinds a resource argument names; kubectl's error when none. */
export async function resolveResource(client: KubeClient, arg: string): Promise<readonly KindDescriptor[]> {
  const kinds = await client.resolve(arg);
  if (kinds.length === 0) throw usageError(`the server doesn't have a resource type "${arg}"`);
  return kinds;
}

/** One resource argument group: a kind and the names asked for (none: all). */
export interface ResourceSelection {
  readonly kind: KindDescriptor;
  readonly names: readonly string[];
}

/**
 * Parses kubectl's resource arguments: `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…`, keeping the
 * order given. `multiple` tells whether several kinds were named (names are then prefixed).
 */
export async function selectResources(
  client: KubeClient,
  args: readonly string[],
): Promise<{ selections: ResourceSelection[]; multiple: boolean }> {
  if (args.length === 0) throw usageError('you must specify the type of resource to get');
  if (args[0]!.includes('/')) {
    const selections: ResourceSelection[] = [];
    for (const arg of args) {
      const slash = arg.indexOf('/');
      if (slash < 0)
        throw usageError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
        );
      const [kind] = await resolveResource(client, arg.slice(0, slash));
      const name = arg.slice(slash + 1);
      if (name === '')
        throw usageError(`arguments in resource/name form must have a single resource and name`);
      const same = selections.find((s) => s.kind === kind);
      if (same) (same.names as string[]).push(name);
      else selections.push({ kind: kind!, names: [name] });
    }
    return { selections, multiple: selections.length > 1 };
  }
  const [types, ...names] = args as [string, ...string[]];
  const selections: ResourceSelection[] = [];
  for (const type of types.split(',').filter(Boolean)) {
    for (const kind of await resolveResource(client, type)) selections.push({ kind, names });
  }
  const multiple = types.includes(',') || selections.length > 1;
  return { selections, multiple };
}

/**
 * The objects of a selection: each name read from `namespace` (a failure is added to `errors`
 * and the rest still read), or, when it names none, the kind listed with `list`.
 */
export async function selectedObjects(
  client: KubeClient,
  { kind, names }: ResourceSelection,
  namespace: string,
  list: ListOptions,
  errors: Error[],
): Promise<KubeObject[]> {
  if (names.length === 0) return [...(await client.list(kind, list)).items];
  const objects: KubeObject[] = [];
  for (const name of names) {
    try {
      objects.push(await client.get(kind, namespace, name));
    } catch (error) {
      errors.push(error as Error);
    }
  }
  return objects;
}

/** `metadata.<key>` of an object as a string. */
export function metaString(object: KubeObject, key: string): string {
  const meta = object.metadata;
  const value =
    meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : '';
}
