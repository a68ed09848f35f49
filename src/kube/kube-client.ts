/**
 * `KubeClient`: the one seam through which everything above `kube/` talks to a cluster, the
 * bundled simulation (in-process) or a real API server (HTTP). Methods are async so an HTTP
 * implementation fits; objects are plain JSON; failures are `KubeApiError`s carrying Kubernetes'
 * `Status`, so callers can print them as kubectl does.
 */

import type { Table } from '../cluster/printing/index.js';

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, unknown>;

/** What discovery says about one resource (what `kubectl api-resources` lists). */
export interface KindDescriptor {
  /** API group; `''` for the core group. */
  readonly group: string;
  /** The served version. */
  readonly version: string;
  readonly kind: string;
  /** The REST resource name (`deployments`). */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** Discovery categories (`all`). */
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
}

/** A resource as callers name it: a resource argument (`deploy`, `deployments.apps`) or a kind. */
export type ResourceArg = string | KindDescriptor;

/** Kubernetes' `Status` (the body of an error response). */
export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: 'Failure' | 'Success';
  readonly message: string;
  readonly reason: string;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly {
      readonly reason: string;
      readonly message: string;
      readonly field: string;
    }[];
  };
  readonly code: number;
}

/**
 * A failure the API server reported, with its `Status` (`409 AlreadyExists`, `services "hasher"
 * already exists`). kubectl prints it as `Error from server (AlreadyExists): …`.
 */
export class KubeApiError extends Error {
  constructor(
    readonly status: KubeStatus,
    options?: { cause?: unknown },
  ) {
    super(status.message, options);
    this.name = 'KubeApiError';
  }

  /** The HTTP status code (404, 409, 422…). */
  get code(): number {
    return this.status.code;
  }

  /** The `StatusReason` (`NotFound`, `AlreadyExists`, `Invalid`…). */
  get reason(): string {
    return this.status.reason;
  }

  /**
   * The same failure with its message prefixed as kubectl's `AddSourceToErr` does:
   * `error when creating "svc.yaml": services "hasher" already exists`.
   */
  withSource(verb: string, source: string): KubeApiError {
    if (source === '') return this;
    const message = `error when ${verb} ${JSON.stringify(source)}: ${this.status.message}`;
    return new KubeApiError({ ...this.status, message }, { cause: this });
  }
}

/** A list as the API returns it. */
export interface KubeList {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly resourceVersion: string; readonly continue?: string };
  readonly items: readonly KubeObject[];
}

/** Which objects to list or watch. */
export interface ListOptions {
  /** Only this namespace; every namespace when absent (or for cluster-scoped kinds). */
  readonly namespace?: string;
  /** `app=web,tier!=db`. */
  readonly labelSelector?: string;
  /** `status.phase=Running`. */
  readonly fieldSelector?: string;
}

/** How a write treats unknown fields (kubectl's `--validate`). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options every write takes. */
export interface WriteOptions {
  /** Run everything server-side, store nothing (`--dry-run=server`). */
  readonly dryRun?: boolean;
  /** Who writes (`kubectl-client-side-apply`, `kubectl-create`…). */
  readonly fieldManager?: string;
  /** @default 'Strict' */
  readonly fieldValidation?: FieldValidation;
}

/** Options of `create`. */
export interface CreateOptions extends WriteOptions {
  /** The namespace to create in, when the object names none. */
  readonly namespace?: string;
}

/** The patch types: JSON merge, strategic merge, JSON patch. */
export type PatchType = 'merge' | 'strategic' | 'json';

/** Options of `delete`. */
export interface DeleteOptions extends WriteOptions {
  /** @default 'Background' */
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Seconds a pod gets to stop (`--grace-period`); 0 deletes it at once. @default the pod's own */
  readonly gracePeriodSeconds?: number;
}

/** One change a watch reports. */
export interface KubeWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR';
  readonly object: KubeObject;
}

/** Which objects to watch, and from when. */
export interface KubeWatchOptions extends ListOptions {
  /**
   * Changes after this version (a list's `metadata.resourceVersion`); none or `0` starts with a
   * synthetic ADDED per current object.
   */
  readonly resourceVersion?: string;
}

/** A running watch. */
export interface KubeWatch {
  /** Stops delivery (idempotent). */
  stop(): void;
  /** Delivers the changes other processes sharing the cluster committed since the last delivery. */
  poll(): void;
}

/** What `GET /version` answers. */
export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
  readonly platform: string;
}

/** What `logs` takes (kubectl logs flags; `GET pods/NAME/log` parameters). */
export interface PodLogOptions {
  readonly container?: string;
  readonly previous?: boolean;
  readonly tailLines?: number;
  readonly timestamps?: boolean;
  readonly sinceSeconds?: number;
  readonly limitBytes?: number;
}

/** What `exec` takes. */
export interface PodExecOptions {
  readonly container?: string;
  readonly stdin?: string;
  readonly tty?: boolean;
}

/** What `exec` returns. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** How far `settle` may move the embedded cluster's clock. */
export interface SettleOptions {
  /** At most this much cluster time (a wait's remaining `--timeout`). @default 15 minutes */
  readonly horizonMs?: number;
}

/** How `sleep` passes time. */
export interface SleepOptions {
  /**
   * Whether the embedded cluster also settles after the span (which may move its clock further,
   * as a command's end does). A wait loop that measures its own timeout passes `false`.
   * @default true
   */
  readonly settleAfter?: boolean;
}

/** Which metrics to read (`kubectl top`). */
export interface MetricsOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly name?: string;
}

/** The client every layer above `kube/` talks to a cluster through. */
export interface KubeClient {
  /** Every served resource, in discovery order. */
  kinds(): Promise<readonly KindDescriptor[]>;
  /**
   * The resources a kubectl resource argument names: plural, singular, short name or kind,
   * optionally `.group`-qualified, or a category (`all`). Empty when nothing matches.
   */
  resolve(resource: string): Promise<readonly KindDescriptor[]>;
  /** The resource of a manifest's `apiVersion` and `kind`; undefined when not served. */
  kindFor(apiVersion: string, kind: string): Promise<KindDescriptor | undefined>;
  /** Reads one object (`namespace` is ignored for cluster-scoped kinds). */
  get(resource: ResourceArg, namespace: string, name: string): Promise<KubeObject>;
  list(resource: ResourceArg, options?: ListOptions): Promise<KubeList>;
  create(object: KubeObject, options?: CreateOptions): Promise<KubeObject>;
  /** Replaces an object (optimistic concurrency on `metadata.resourceVersion` when set). */
  update(object: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  patch(
    resource: ResourceArg,
    namespace: string,
    name: string,
    patch: unknown,
    type: PatchType,
    options?: WriteOptions,
  ): Promise<KubeObject>;
  /** Deletes an object and cascades to its dependents; resolves to its last state. */
  delete(
    resource: ResourceArg,
    namespace: string,
    name: string,
    options?: DeleteOptions,
  ): Promise<KubeObject>;
  /** Watches one resource (§2.19): each change after `options.resourceVersion` as an event. */
  watch(
    resource: ResourceArg,
    options: KubeWatchOptions,
    listener: (event: KubeWatchEvent) => void,
  ): Promise<KubeWatch>;
  /** The server's Table (`Accept: …;as=Table`) of objects of one resource, for `kubectl get`. */
  table(resource: ResourceArg, objects: readonly KubeObject[]): Promise<Table>;
  /** The server's version. */
  version(): Promise<ServerVersion>;
  /** The cluster's current time (virtual in the embedded cluster). */
  now(): Promise<Date>;
  /**
   * Lets the cluster react to the changes made so far: the embedded cluster runs its controllers
   * until nothing more happens by itself (stuck states stay stuck); a real cluster does this on
   * its own, so there it returns at once.
   */
  settle(options?: SettleOptions): Promise<void>;
  /**
   * Lets `ms` of cluster time pass (what a wait loop does between polls): the embedded cluster
   * moves its virtual clock on, with everything that happens in that span; a real cluster is
   * waited for.
   */
  sleep(ms: number, options?: SleepOptions): Promise<void>;
  /**
   * An integer in `[0, bound)` from the cluster's seeded generator (generated release names), so
   * a scenario on the embedded cluster replays identically; a real cluster's client draws at random.
   */
  randomInt(bound: number): Promise<number>;
  /**
   * Helm's template `lookup` answered synchronously (the template engine is synchronous): the
   * object, a `List` of the kind in a namespace (or all) when `name` is empty, or undefined when
   * there is none or the kind is not served. Only a client that can answer without waiting (the
   * embedded cluster) has it; without it templates see Helm's offline answer, an empty map.
   */
  lookupSync?(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined;
  /** A container's log (`GET pods/NAME/log`). */
  logs(namespace: string, pod: string, options?: PodLogOptions): Promise<string>;
  /** Runs a command in a container (`pods/NAME/exec`). */
  exec(
    namespace: string,
    pod: string,
    argv: readonly string[],
    options?: PodExecOptions,
  ): Promise<ExecResult>;
  /** `metrics.k8s.io/v1beta1` PodMetricsList or NodeMetricsList (`kubectl top`). */
  metrics(kind: 'pods' | 'nodes', options?: MetricsOptions): Promise<KubeObject>;
}

/** `Deployment.apps`-style group qualification of a resource: `deployments.apps`, `pods`. */
export function qualifiedResource(kind: Pick<KindDescriptor, 'group' | 'plural'>): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

/** `apps/v1` or `v1`. */
export function apiVersionOf(kind: Pick<KindDescriptor, 'group' | 'version'>): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** What kubectl prints before an object's name: `deployment.apps`, `service`. */
export function kindName(kind: Pick<KindDescriptor, 'group' | 'kind'>): string {
  return (kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`).toLowerCase();
}
