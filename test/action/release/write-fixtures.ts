/**
 * Fixtures for the release lifecycle tests (install, upgrade, rollback, uninstall, hooks, test):
 * a release context over a fresh embedded cluster with Secret storage, small charts written to a
 * temporary directory, and readers for what the cluster and the storage hold afterwards.
 */

import type { ReleaseContext } from '../../../src/action/release/context.js';
import type { Chart } from '../../../src/chart/chart.js';
import { loadChart } from '../../../src/chart/loader.js';
import { KubeApiError, type KubeClient, type KubeObject } from '../../../src/kube/index.js';
import type { HookRecord, Release } from '../../../src/release/release.js';
import { createStorage, SecretDriver } from '../../../src/storage/index.js';
import { tempDir, writeChart } from '../../helpers/chart-builder.js';
import { useEmbeddedCluster } from '../../helpers/embedded-cluster.js';

/**
 * Registers the per-test cluster and returns a function giving a fresh release context in
 * `default` (notices collected in `notices`).
 */
export function useReleaseContext(): (
  extra?: Partial<ReleaseContext>,
) => ReleaseContext & { notices: string[] } {
  const newClient = useEmbeddedCluster();
  return (extra = {}) => {
    const client = newClient();
    const notices: string[] = [];
    return {
      client,
      namespace: 'default',
      storage: createStorage(new SecretDriver(client, 'default')),
      notice: (line) => notices.push(line),
      holder: 'test-holder',
      ...extra,
      notices,
    };
  };
}

/** Writes and loads a chart named `name` with `files` (paths relative to the chart root). */
export async function chartOf(name: string, files: Readonly<Record<string, string | null>>): Promise<Chart> {
  return loadChart(writeChart(tempDir('bosun-release-'), { name, files }));
}

/** A ConfigMap template whose `data.value` comes from `Values.value`. */
export function configMap(name: string, extra = ''): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${extra}data:
  value: "{{Values.value}}"
`;
}

/** A hook Job running `command` in busybox. */
export function hookJob(
  name: string,
  events: string,
  options: { command?: string; weight?: number; deletePolicy?: string } = {},
): string {
  const annotations = [
    `    "helm.sh/hook": ${events}`,
    ...(options.weight !== undefined ? [`    "helm.sh/hook-weight": "${options.weight}"`] : []),
    ...(options.deletePolicy !== undefined
      ? [`    "helm.sh/hook-delete-policy": ${options.deletePolicy}`]
      : []),
  ].join('\n');
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:
${annotations}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: busybox
          command: ["sh", "-c", "${options.command ?? 'exit 0'}"]
`;
}

/** A hook Pod running `command` in busybox. */
export function hookPod(name: string, events: string, command = 'exit 0', extraAnnotations = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  annotations:
    "helm.sh/hook": ${events}
${extraAnnotations}spec:
  restartPolicy: Never
  containers:
    - name: run
      image: busybox
      command: ["sh", "-c", "${command}"]
`;
}

/** A Deployment of nginx with `replicas` from `Values.replicas`. */
export function deployment(name: string, image = 'nginx'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: {{Values.replicas}}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: main
          image: ${image}
`;
}

/** Reads an object; `undefined` when it does not exist. */
export async function live(
  client: KubeClient,
  resource: string,
  name: string,
  namespace = 'default',
): Promise<KubeObject | undefined> {
  try {
    return await client.get(resource, namespace, name);
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return undefined;
    throw error;
  }
}

/** Whether an object exists and is not being deleted. */
export async function present(client: KubeClient, resource: string, name: string): Promise<boolean> {
  const object = await live(client, resource, name);
  return object !== undefined && (object.metadata as Record<string, unknown>).deletionTimestamp == null;
}

/** `[revision, status]` of every stored revision, oldest first. */
export async function statuses(ctx: ReleaseContext, name: string): Promise<[number, string][]> {
  return (await ctx.storage.history(name)).map((r) => [r.version, r.info.status]);
}

/** The stored hook named `name` of a revision. */
export function hookNamed(release: Release, name: string): HookRecord {
  const hook = release.hooks?.find((h) => h.name === name);
  if (!hook) throw new Error(`no hook ${name} in revision ${release.version}`);
  return hook;
}

/** The labels of the storage Secret of a revision. */
export async function secretLabels(
  client: KubeClient,
  name: string,
  version: number,
): Promise<Record<string, string>> {
  const secret = await client.get('secrets', 'default', `sh.helm.release.v1.${name}.v${version}`);
  return (secret.metadata as { labels: Record<string, string> }).labels;
}

/** `metadata` of an object. */
export function metaOf(object: KubeObject | undefined): Record<string, unknown> & {
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
} {
  return (object?.metadata ?? {}) as Record<string, unknown>;
}

/**
 * Records `TYPE name` for every change to the given resources in `default` from now on (a watch
 * per resource), in the order the cluster commits them.
 */
export async function recordChanges(
  client: KubeClient,
  resources: readonly string[],
): Promise<{ readonly events: string[]; stop(): void }> {
  const events: string[] = [];
  const watches = await Promise.all(
    resources.map(async (resource) => {
      const { metadata } = await client.list(resource, { namespace: 'default' });
      return client.watch(
        resource,
        { namespace: 'default', resourceVersion: metadata.resourceVersion },
        (e) => events.push(`${e.type} ${String(metaOf(e.object).name)}`),
      );
    }),
  );
  return {
    events,
    stop: () => {
      for (const w of watches) w.stop();
    },
  };
}

/** A ConfigMap hook (ready at once): shows when an event's hooks ran without a container. */
export function hookConfigMap(name: string, events: string, deletePolicy?: string): string {
  const policy = deletePolicy === undefined ? '' : `    "helm.sh/hook-delete-policy": ${deletePolicy}\n`;
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  annotations:
    "helm.sh/hook": ${events}
${policy}data:
  revision: "{{Release.Revision}}"
`;
}
