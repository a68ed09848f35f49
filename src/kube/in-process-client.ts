/**
 * `InProcessKubeClient`: the `KubeClient` of the bundled cluster, calling its `ClusterApi`
 * directly (synchronously underneath). Cluster `ApiError`s become `KubeApiError`s with the same
 * `Status`; kubectl's `--validate=false` (fieldValidation `Ignore`) prunes unknown fields here, as
 * the API server does for such requests. The cluster shares decoded objects between its readers;
 * what this client returns is the caller's own copy, as if it had come over the wire.
 */

import type { KubeObjectSchema } from '../cluster/api/kinds/index.js';
import type { ClusterApi } from '../cluster/api/machinery/index.js';
import { cloneJson } from '../cluster/api/machinery/json-values.js';
import { ApiError, type KindInfo, type KindRegistry } from '../cluster/api/types.js';
import { KUBERNETES_VERSION } from '../cluster/bootstrap/topology.js';
import type { KubeletServices } from '../cluster/kubelet/api.js';
import type { MetricsServices } from '../cluster/metrics/index.js';
import { type PrinterColumn, type Table, toTable } from '../cluster/printing/index.js';
import {
  type CreateOptions,
  type DeleteOptions,
  type ExecResult,
  type KindDescriptor,
  KubeApiError,
  type KubeClient,
  type KubeList,
  type KubeObject,
  type KubeWatch,
  type KubeWatchEvent,
  type KubeWatchOptions,
  type ListOptions,
  type MetricsOptions,
  type PatchType,
  type PodExecOptions,
  type PodLogOptions,
  qualifiedResource,
  type ResourceArg,
  type ServerVersion,
  type SettleOptions,
  type SleepOptions,
  type WriteOptions,
} from './kube-client.js';

/** The parts of a cluster the in-process client uses (an open cluster has them all). */
export interface InProcessCluster {
  readonly api: ClusterApi;
  readonly registry: KindRegistry;
  readonly schema: Pick<KubeObjectSchema, 'prune'>;
  /** The cluster clock. */
  now(): Date;
  /** The controllers; without them the cluster only stores objects. */
  readonly runtime?: {
    settle(options?: { horizonMs?: number }): unknown;
    advance(ms: number, options?: { settle?: boolean }): unknown;
  };
  /** Logs and exec (a cluster without a kubelet has none). */
  readonly kubelet?: KubeletServices;
  readonly metrics?: MetricsServices;
}

/** Runs a call against the API, turning its errors into `KubeApiError`. */
function call<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    if (error instanceof ApiError) return Promise.reject(new KubeApiError(error.status, { cause: error }));
    return Promise.reject(error);
  }
}

/** A registry kind as discovery describes it. */
function describeKind(info: KindInfo): KindDescriptor {
  return {
    group: info.group,
    version: info.version,
    kind: info.kind,
    plural: info.plural,
    singular: info.singular,
    shortNames: info.shortNames,
    namespaced: info.scope === 'Namespaced',
    categories: info.categories,
    verbs: info.verbs,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `KubeClient` of a cluster running in this process. */
export class InProcessKubeClient implements KubeClient {
  constructor(private readonly cluster: InProcessCluster) {}

  kinds(): Promise<readonly KindDescriptor[]> {
    return call(() => this.cluster.registry.all().map(describeKind));
  }

  resolve(resource: string): Promise<readonly KindDescriptor[]> {
    return call(() => {
      const found = this.cluster.registry.resolve(resource);
      if (found.length > 0) return [describeKind(found[0]!)];
      return this.cluster.registry
        .all()
        .filter((k) => k.categories.includes(resource))
        .map(describeKind);
    });
  }

  lookupSync(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    const info = this.cluster.registry.forObject(apiVersion, kind);
    if (info === undefined) return undefined;
    const ns = info.scope === 'Namespaced' ? namespace : '';
    try {
      if (name !== '') return cloneJson(this.cluster.api.get(info, ns, name));
      const list = this.cluster.api.list(info, ns === '' ? {} : { namespace: ns });
      return {
        apiVersion: 'v1',
        kind: 'List',
        metadata: { resourceVersion: list.metadata.resourceVersion },
        items: cloneJson(list.items),
      };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 404) return undefined;
      throw new KubeApiError(error.status, { cause: error });
    }
  }

  kindFor(apiVersion: string, kind: string): Promise<KindDescriptor | undefined> {
    return call(() => {
      const info = this.cluster.registry.forObject(apiVersion, kind);
      return info === undefined ? undefined : describeKind(info);
    });
  }

  get(resource: ResourceArg, namespace: string, name: string): Promise<KubeObject> {
    return call(() => cloneJson(this.cluster.api.get(this.ref(resource), namespace, name)));
  }

  list(resource: ResourceArg, options: ListOptions = {}): Promise<KubeList> {
    return call(() => cloneJson(this.cluster.api.list(this.ref(resource), options)));
  }

  create(object: KubeObject, options: CreateOptions = {}): Promise<KubeObject> {
    return call(() =>
      cloneJson(this.cluster.api.create(this.admitted(object, options), this.writeOptions(options))),
    );
  }

  update(object: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    return call(() =>
      cloneJson(this.cluster.api.update(this.admitted(object, options), this.writeOptions(options))),
    );
  }

  patch(
    resource: ResourceArg,
    namespace: string,
    name: string,
    patch: unknown,
    type: PatchType,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    return call(() => {
      const ref = this.ref(resource);
      const body =
        type !== 'json' && options.fieldValidation !== undefined && options.fieldValidation !== 'Strict'
          ? this.prunedPatch(ref, patch)
          : patch;
      return cloneJson(this.cluster.api.patch(ref, namespace, name, body, type, this.writeOptions(options)));
    });
  }

  delete(
    resource: ResourceArg,
    namespace: string,
    name: string,
    options: DeleteOptions = {},
  ): Promise<KubeObject> {
    return call(() =>
      cloneJson(
        this.cluster.api.delete(this.ref(resource), namespace, name, {
          ...this.writeOptions(options),
          ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
          ...(options.gracePeriodSeconds === undefined
            ? {}
            : { gracePeriodSeconds: options.gracePeriodSeconds }),
        }),
      ),
    );
  }

  watch(
    resource: ResourceArg,
    options: KubeWatchOptions,
    listener: (event: KubeWatchEvent) => void,
  ): Promise<KubeWatch> {
    return call(() => {
      const handle = this.cluster.api.watch(this.ref(resource), options, (event) =>
        listener({ ...event, object: cloneJson(event.object) }),
      );
      return { stop: () => handle.stop(), poll: () => handle.poll() };
    });
  }

  table(resource: ResourceArg, objects: readonly KubeObject[]): Promise<Table> {
    return call(() => {
      const info = this.cluster.api.resolve(this.ref(resource));
      const printerColumns = this.printerColumns(info);
      return toTable(objects, {
        kind: info.kind,
        now: this.cluster.now().getTime(),
        ...(printerColumns === undefined ? {} : { printerColumns }),
      });
    });
  }

  version(): Promise<ServerVersion> {
    const [major = '1', minor = '0'] = KUBERNETES_VERSION.replace(/^v/, '').split('.');
    return Promise.resolve({ major, minor, gitVersion: KUBERNETES_VERSION, platform: 'linux/amd64' });
  }

  now(): Promise<Date> {
    return Promise.resolve(this.cluster.now());
  }

  settle(options: SettleOptions = {}): Promise<void> {
    return call(() => {
      this.cluster.runtime?.settle(
        options.horizonMs === undefined ? {} : { horizonMs: Math.max(0, options.horizonMs) },
      );
    });
  }

  sleep(ms: number, options: SleepOptions = {}): Promise<void> {
    return call(() => {
      this.cluster.runtime?.advance(Math.max(0, ms), options.settleAfter === false ? { settle: false } : {});
    });
  }

  randomInt(bound: number): Promise<number> {
    return call(() => this.cluster.api.draw((random) => random.nextInt(bound)));
  }

  logs(namespace: string, pod: string, options: PodLogOptions = {}): Promise<string> {
    return call(() => this.services('kubelet').logs(namespace, pod, options));
  }

  exec(
    namespace: string,
    pod: string,
    argv: readonly string[],
    options: PodExecOptions = {},
  ): Promise<ExecResult> {
    return call(() => this.services('kubelet').exec(namespace, pod, argv, options));
  }

  metrics(kind: 'pods' | 'nodes', options: MetricsOptions = {}): Promise<KubeObject> {
    return call(() => this.services('metrics')[kind](options));
  }

  private services<K extends 'kubelet' | 'metrics'>(name: K): NonNullable<InProcessCluster[K]> {
    const services = this.cluster[name];
    if (services === undefined) throw new Error(`this cluster has no ${name}`);
    return services as NonNullable<InProcessCluster[K]>;
  }

  /** A descriptor back to the registry's kind; strings pass through to the API's lookup. */
  private ref(resource: ResourceArg): KindInfo | string {
    if (typeof resource === 'string') return resource;
    return this.cluster.api.resolve(qualifiedResource(resource));
  }

  private writeOptions(options: WriteOptions & { namespace?: string }) {
    return {
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
      ...(options.namespace ? { namespace: options.namespace } : {}),
    };
  }

  /** The object to write: unknown fields pruned unless validation is strict. */
  private admitted(object: KubeObject, options: WriteOptions): KubeObject {
    if (options.fieldValidation === undefined || options.fieldValidation === 'Strict') return object;
    const info = this.cluster.api.kinds.forObject(object.apiVersion, object.kind);
    const copy = structuredClone(object);
    this.cluster.schema.prune(copy, info);
    return copy;
  }

  /** A merge or strategic patch body with the fields its kind does not know removed. */
  private prunedPatch(ref: KindInfo | string, patch: unknown): unknown {
    if (!isRecord(patch)) return patch;
    const info = this.cluster.api.resolve(ref);
    const apiVersion = info.group === '' ? info.version : `${info.group}/${info.version}`;
    const copy: KubeObject = { ...structuredClone(patch), apiVersion, kind: info.kind };
    this.cluster.schema.prune(copy, info);
    // The patch carries apiVersion and kind only when it changes them.
    if (patch.apiVersion === undefined) delete copy.apiVersion;
    if (patch.kind === undefined) delete copy.kind;
    return copy;
  }

  /** A custom resource's `additionalPrinterColumns`, from its CRD. */
  private printerColumns(info: KindInfo): readonly PrinterColumn[] | undefined {
    if (info.group === '' || !info.group.includes('.') || info.group.endsWith('.k8s.io')) return undefined;
    let crd: KubeObject;
    try {
      crd = this.cluster.api.get(
        'customresourcedefinitions.apiextensions.k8s.io',
        '',
        qualifiedResource(info),
      );
    } catch {
      return undefined;
    }
    const spec = isRecord(crd.spec) ? crd.spec : {};
    const versions = Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : [];
    const version = versions.find((v) => v.name === info.version);
    const columns = version?.additionalPrinterColumns ?? spec.additionalPrinterColumns;
    return Array.isArray(columns) ? (columns as PrinterColumn[]) : undefined;
  }
}
