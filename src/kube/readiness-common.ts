/**
 * What the readiness checks share: the `ResourceRef` and `Readiness` shapes, how messages name an
 * object, reading an object for a check (a gone object is a verdict, not an error), and the pods
 * a workload's selector picks.
 */

import { selectorString } from '../cluster/printing/selectors.js';
import { isMap } from '../cluster/printing/values.js';
import { KubeApiError, type KubeClient, type KubeObject } from './kube-client.js';

/** An object a release manages. */
export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object's namespace; `default` when absent (ignored for cluster-scoped kinds). */
  readonly namespace?: string;
  readonly name: string;
}

/** Whether one object is ready, and why not. */
export interface Readiness {
  readonly ready: boolean;
  /** Short progress for a live line: `7/10 ready`, `Pending`, `0/1 complete`. */
  readonly progress: string;
  /**
   * Why it is not ready, in Kubernetes' words: `deployment "worker" exceeded its progress
   * deadline`, `5 pods in ImagePullBackOff: Back-off pulling image "dockercoins/worker:v0.3"`.
   */
  readonly reason?: string;
  /** A state that will not become ready by waiting (progress deadline exceeded, Job failed). */
  readonly failed?: boolean;
}

/** Options of {@link readinessOf}. */
export interface ReadinessOptions {
  /** Jobs are ready only once complete (`--wait-for-jobs`); otherwise at once, as in Helm. */
  readonly waitForJobs?: boolean;
}

/** `deployment "worker"`: how messages name an object (kubectl's `kind "name"`). */
export function refLabel(ref: Pick<ResourceRef, 'kind' | 'name'>): string {
  return `${ref.kind.toLowerCase()} "${ref.name}"`;
}

/** `deployment/worker`: how the live line names an object. */
export function refShortName(ref: Pick<ResourceRef, 'kind' | 'name'>): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

/** The API group of an `apiVersion` (`apps/v1` → `apps`, `v1` → ``). */
export const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

/** The namespace to read a ref from. */
export const namespaceOf = (ref: ResourceRef): string => ref.namespace ?? 'default';

/** A Readiness with the reason only when there is one. */
export function readiness(ready: boolean, progress: string, reason?: string, failed?: boolean): Readiness {
  return {
    ready,
    progress,
    ...(reason === undefined || reason === '' ? {} : { reason }),
    ...(failed ? { failed: true } : {}),
  };
}

/**
 * Reads an object for a readiness check; one that is gone (or whose kind is not served) is a
 * Readiness that has failed: it will not come back by waiting, and Helm's poller stops on it too.
 */
export async function readForCheck(
  client: KubeClient,
  resource: string,
  ref: ResourceRef,
): Promise<KubeObject | Readiness> {
  try {
    return await client.get(resource, namespaceOf(ref), ref.name);
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) {
      return readiness(false, 'NotFound', error.message, true);
    }
    throw error;
  }
}

/** Whether {@link readForCheck} answered with a verdict instead of the object. */
export const isVerdict = (value: KubeObject | Readiness): value is Readiness => !('metadata' in value);

/**
 * The pods a workload's selector picks (`LabelSelector`, or a ReplicationController's plain
 * map). An empty or invalid selector picks none: it would otherwise select every pod.
 */
export async function podsSelectedBy(
  client: KubeClient,
  namespace: string,
  selector: unknown,
): Promise<readonly KubeObject[]> {
  if (!isMap(selector)) return [];
  const labelSelector =
    'matchLabels' in selector || 'matchExpressions' in selector
      ? selectorString(selector)
      : selectorString({ matchLabels: selector });
  if (labelSelector === undefined || labelSelector === '') return [];
  return (await client.list('pods', { namespace, labelSelector })).items;
}
