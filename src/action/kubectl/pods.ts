/**
 * What kubectl's pod verbs (logs, exec, run's attach, drain) share: reading pod fields, the
 * selector of a workload (`SelectorsForObject`), picking the pod of a workload
 * (`GetFirstPod` with kubectl's orderings), the default container and its notice, and
 * kubectl's usage errors.
 */

import { KubeApiError, type KubeClient, type KubeObject } from '../../kube/index.js';
import { metaString, usageError } from './context.js';

/** A JSON object field, or undefined. */
export function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A field as a record of strings (labels, selectors). */
export function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A field as a list of objects. */
export function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object')
    : [];
}

/** kubectl's usage error: the message, then where help is (`See 'kubectl logs -h' …`). */
export function usageErrorOf(command: string, message: string): Error {
  return usageError(`${message}\nSee 'kubectl ${command} -h' for help and examples`);
}

/** A pod's phase. */
export const phaseOf = (pod: KubeObject): string => String(field(pod, 'status', 'phase') ?? '');

/** Whether a pod has finished (Succeeded or Failed). */
export const isCompleted = (pod: KubeObject): boolean =>
  phaseOf(pod) === 'Succeeded' || phaseOf(pod) === 'Failed';

const readyCondition = (pod: KubeObject) =>
  objects(field(pod, 'status', 'conditions')).find((c) => c.type === 'Ready');

/** Whether a pod's Ready condition is True. */
export const isReady = (pod: KubeObject): boolean => readyCondition(pod)?.status === 'True';

/** When a pod became ready (ms), or undefined. */
function readyTime(pod: KubeObject): number | undefined {
  const at = readyCondition(pod)?.lastTransitionTime;
  const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

const maxRestarts = (pod: KubeObject): number =>
  Math.max(
    0,
    ...objects(field(pod, 'status', 'containerStatuses')).map((c) =>
      typeof c.restartCount === 'number' ? c.restartCount : 0,
    ),
  );

const created = (pod: KubeObject): number | undefined => {
  const ms = Date.parse(metaString(pod, 'creationTimestamp'));
  return Number.isNaN(ms) ? undefined : ms;
};

/** Go's `afterOrZero(a, b)`: a zero time is "after" everything. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/**
 * kubectl's `podutils.ByLogging` (the pod `logs deploy/NAME` reads first): assigned, Running,
 * ready, ready the longest, most restarts, oldest.
 */
export function byLogging(a: KubeObject, b: KubeObject): number {
  const less = (x: KubeObject, y: KubeObject): boolean => {
    const nx = String(field(x, 'spec', 'nodeName') ?? '');
    const ny = String(field(y, 'spec', 'nodeName') ?? '');
    if (nx !== ny && (nx === '' || ny === '')) return nx !== '';
    const rank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
    const px = rank[phaseOf(x)] ?? 0;
    const py = rank[phaseOf(y)] ?? 0;
    if (px !== py) return px < py;
    if (isReady(x) !== isReady(y)) return isReady(x);
    if (isReady(x) && isReady(y) && readyTime(x) !== readyTime(y))
      return afterOrZero(readyTime(y), readyTime(x));
    if (maxRestarts(x) !== maxRestarts(y)) return maxRestarts(x) > maxRestarts(y);
    if (created(x) !== created(y)) return afterOrZero(created(y), created(x));
    return false;
  };
  return less(a, b) ? -1 : less(b, a) ? 1 : 0;
}

/**
 * `sort.Reverse(podutils.ActivePods)` (the pod `exec` and `attach` pick): assigned, Running,
 * ready, ready the longest, fewest restarts, oldest.
 */
export function byActiveReversed(a: KubeObject, b: KubeObject): number {
  const less = (x: KubeObject, y: KubeObject): boolean => {
    const nx = String(field(x, 'spec', 'nodeName') ?? '');
    const ny = String(field(y, 'spec', 'nodeName') ?? '');
    if (nx !== ny && (nx === '' || ny === '')) return nx === '';
    const rank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
    const px = rank[phaseOf(x)] ?? 0;
    const py = rank[phaseOf(y)] ?? 0;
    if (px !== py) return px < py;
    if (isReady(x) !== isReady(y)) return !isReady(x);
    if (isReady(x) && isReady(y) && readyTime(x) !== readyTime(y))
      return afterOrZero(readyTime(x), readyTime(y));
    if (maxRestarts(x) !== maxRestarts(y)) return maxRestarts(x) > maxRestarts(y);
    if (created(x) !== created(y)) return afterOrZero(created(x), created(y));
    return false;
  };
  // Reversed: the greatest first.
  return less(b, a) ? -1 : less(a, b) ? 1 : 0;
}

/** A `metav1.LabelSelector` as the selector string the API takes (`app=web,tier in (a,b)`). */
export function labelSelectorString(selector: unknown): string {
  const parts: string[] = [];
  const labels = stringMap(field(selector, 'matchLabels'));
  for (const key of Object.keys(labels).sort()) parts.push(`${key}=${labels[key]}`);
  for (const e of objects(field(selector, 'matchExpressions'))) {
    const key = String(e.key ?? '');
    const values = (Array.isArray(e.values) ? e.values.map(String) : []).sort();
    switch (e.operator) {
      case 'In':
        parts.push(`${key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
    }
  }
  return parts.join(',');
}

/** A map selector (Service, ReplicationController) as a selector string. */
export function mapSelectorString(selector: Record<string, string>): string {
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k]}`)
    .join(',');
}

/**
 * kubectl's `SelectorsForObject`: the pod selector of a workload or service, or an error in
 * kubectl's words when the object has none.
 */
export function podSelectorOf(object: KubeObject): string {
  const kind = String(object.kind);
  const name = metaString(object, 'name');
  switch (kind) {
    case 'ReplicationController':
    case 'Service': {
      const selector = stringMap(field(object, 'spec', 'selector'));
      if (Object.keys(selector).length === 0) {
        throw kind === 'Service'
          ? new Error(`invalid service '${name}': Service is defined without a selector`)
          : new Error(`invalid replication controller '${name}': selector is empty`);
      }
      return mapSelectorString(selector);
    }
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job': {
      const selector = field(object, 'spec', 'selector');
      const text = labelSelectorString(selector);
      if (text === '') throw new Error(`invalid ${kind.toLowerCase()} '${name}': selector is empty`);
      return text;
    }
    default:
      throw new Error(`selector for ${apiVersionKind(object)} not implemented`);
  }
}

/** `apps/v1, Kind=Deployment`, as Go prints a GroupVersionKind. */
const apiVersionKind = (object: KubeObject): string =>
  `${String(object.apiVersion)}, Kind=${String(object.kind)}`;

/**
 * kubectl's `GetFirstPod`: the first of the pods `selector` matches in `order`, and how many
 * matched; when none does yet, waits (letting cluster time pass) up to `timeoutMs` for one, then
 * fails with `timed out waiting for the condition`.
 */
export async function firstPod(
  client: KubeClient,
  namespace: string,
  selector: string,
  order: (a: KubeObject, b: KubeObject) => number,
  timeoutMs: number,
): Promise<{ pod: KubeObject; count: number }> {
  let waited = 0;
  for (;;) {
    const pods = [...(await client.list('pods', { namespace, labelSelector: selector })).items];
    if (pods.length > 0) return { pod: pods.sort(order)[0]!, count: pods.length };
    if (waited >= timeoutMs) throw new Error('timed out waiting for the condition');
    const step = Math.min(1000, timeoutMs - waited);
    await client.sleep(step);
    waited += step;
  }
}

/** kubectl's `AllContainerNames`: `web, sidecar, setup (init)`. */
export function allContainerNames(pod: KubeObject): string {
  return [
    ...objects(field(pod, 'spec', 'initContainers')).map((c) => `${String(c.name)} (init)`),
    ...objects(field(pod, 'spec', 'containers')).map((c) => String(c.name)),
    ...objects(field(pod, 'spec', 'ephemeralContainers')).map((c) => `${String(c.name)} (ephem)`),
  ].join(', ');
}

/** Whether a pod has a container (of any sort) named `name`. */
export function hasContainer(pod: KubeObject, name: string): boolean {
  return ['initContainers', 'containers', 'ephemeralContainers'].some((list) =>
    objects(field(pod, 'spec', list)).some((c) => c.name === name),
  );
}

/** The annotation that names a pod's default container for kubectl. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * The container a command uses when `-c` names none (kubectl's `FindOrDefaultContainerByName`):
 * the annotated default, else the first; with several containers, kubectl's notice
 * `Defaulted container "web" out of: web, sidecar` (and one for an annotation naming nothing).
 */
export function defaultContainer(pod: KubeObject): { name: string; notices: string[] } {
  const notices: string[] = [];
  const podName = metaString(pod, 'name');
  const annotated = stringMap(field(pod, 'metadata', 'annotations'))[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    if (hasContainer(pod, annotated)) return { name: annotated, notices };
    notices.push(`Default container name "${annotated}" not found in pod ${podName}`);
  }
  const containers = objects(field(pod, 'spec', 'containers'));
  const name = String(containers[0]?.name ?? '');
  const others =
    containers.length > 1 ||
    objects(field(pod, 'spec', 'initContainers')).length > 0 ||
    objects(field(pod, 'spec', 'ephemeralContainers')).length > 0;
  if (others) notices.push(`Defaulted container "${name}" out of: ${allContainerNames(pod)}`);
  return { name, notices };
}

/** The status of a container of a pod (regular, init or ephemeral), if reported. */
export function containerStatus(pod: KubeObject, container: string): Record<string, unknown> | undefined {
  for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const found = objects(field(pod, 'status', list)).find((s) => s.name === container);
    if (found) return found;
  }
  return undefined;
}

/** Whether an error is the API's 404. */
export const isNotFound = (error: unknown): boolean => error instanceof KubeApiError && error.code === 404;

/**
 * The object a `TYPE/NAME` or bare `NAME` (a pod) argument names; with `wrapNotFound`, a 404 is
 * reported as `logs` reports it (`error from server (NotFound): … in namespace "default"`).
 */
export async function objectOf(
  client: KubeClient,
  namespace: string,
  arg: string,
  wrapNotFound = false,
): Promise<KubeObject> {
  const slash = arg.indexOf('/');
  const [type, name] = slash < 0 ? ['pods', arg] : [arg.slice(0, slash), arg.slice(slash + 1)];
  if (name === '') throw usageError('arguments in resource/name form must have a single resource and name');
  const kinds = await client.resolve(type);
  if (kinds.length === 0) throw usageError(`the server doesn't have a resource type "${type}"`);
  try {
    return await client.get(kinds[0]!, namespace, name);
  } catch (error) {
    if (wrapNotFound && isNotFound(error))
      throw new Error(
        `error from server (NotFound): ${(error as Error).message}${kinds[0]!.namespaced ? ` in namespace "${namespace}"` : ''}`,
        { cause: error },
      );
    throw error;
  }
}
