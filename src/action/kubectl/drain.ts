/**
 * `kubectl drain NODE`: cordon, then evict every pod of the node but mirror pods (refusing
 * DaemonSet-managed pods, pods with emptyDir data and pods no controller manages unless told
 * otherwise) and wait, in cluster time, for them to go; with kubectl 1.34's lines and errors.
 */

import type { KubeObject } from '../../kube/index.js';
import { type DryRun, dryRunSuffix, type KubectlOptions, metaString } from './context.js';
import { formatGoDuration } from './durations.js';
import { CordonAction } from './node.js';
import { field, isNotFound, objects, usageErrorOf } from './pods.js';

/** Options of {@link DrainAction} (kubectl's flags). */
export interface DrainOptions extends KubectlOptions {
  /** `--ignore-daemonsets`. @default false */
  readonly ignoreDaemonSets?: boolean;
  /** `--delete-emptydir-data`. @default false */
  readonly deleteEmptyDirData?: boolean;
  /** `--force`: also delete pods no controller manages. @default false */
  readonly force?: boolean;
  /** `--grace-period`; negative: each pod's own. @default -1 */
  readonly gracePeriodSeconds?: number;
  /** `--timeout` (ms); 0: wait as long as it takes. @default 0 */
  readonly timeoutMs?: number;
  /** `-l`: the nodes. */
  readonly labelSelector?: string;
  /** `--pod-selector`: only these pods. */
  readonly podSelector?: string;
  /** `--disable-eviction`: delete instead of evict. @default false */
  readonly disableEviction?: boolean;
  /** @default 'none' */
  readonly dryRun?: DryRun;
  /** Whether to stop waiting (interrupted). @default never */
  readonly stopped?: () => boolean;
}

/** Where `drain` reports as it goes. */
export interface DrainOutput {
  out(line: string): void;
  err(line: string): void;
}

const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
const UNMANAGED_FATAL = 'Pods declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

/** What drain does with a pod (kubectl's `PodDeleteStatus`). */
interface PodDelete {
  readonly pod: KubeObject;
  readonly delete: boolean;
  readonly reason: 'okay' | 'skip' | 'warning' | 'error';
  readonly message?: string;
}

/** A pod as `namespace/name`. */
const podRef = (pod: KubeObject) => `${metaString(pod, 'namespace')}/${metaString(pod, 'name')}`;

/** Messages with the pods they concern, in first-seen order (`msg: ns/a, ns/b`). */
function grouped(items: readonly PodDelete[], reason: PodDelete['reason']): string[] {
  const byMessage = new Map<string, string[]>();
  for (const item of items) {
    if (item.reason !== reason) continue;
    const message = item.message || 'unexpected error';
    byMessage.set(message, [...(byMessage.get(message) ?? []), podRef(item.pod)]);
  }
  return [...byMessage].map(([message, pods]) => `${message}: ${pods.join(', ')}`);
}

/** `kubectl drain`. */
export class DrainAction {
  constructor(private readonly options: DrainOptions) {}

  /**
   * Cordons the nodes, then drains each: pods refused are reported (`cannot delete …`), the
   * others evicted (`evicting pod ns/name`) and waited for (`pod/name evicted`), then
   * `node/NAME drained`. Resolves to the exit code's errors (none when every node drained).
   */
  async run(names: readonly string[], output: DrainOutput): Promise<readonly Error[]> {
    const { client, labelSelector } = this.options;
    if (names.length === 0 && !labelSelector) throw usageErrorOf('drain', 'USAGE: drain NODE [flags]');
    const cordon = await new CordonAction({
      client,
      ...(labelSelector ? { labelSelector } : {}),
      ...(this.options.dryRun ? { dryRun: this.options.dryRun } : {}),
    }).run(names, true);
    for (const line of cordon.lines) output.out(line);
    for (const warning of cordon.warnings ?? []) output.err(warning);
    if (cordon.errors.length > 0) throw cordon.errors[0];
    const nodes = labelSelector
      ? [...(await client.list('nodes', { labelSelector })).items].map((n) => metaString(n, 'name'))
      : names;
    const fatal: Error[] = [];
    const pending: string[] = [];
    for (const node of nodes) {
      const error = await this.drainNode(node, output);
      if (error === undefined) {
        output.out(`node/${node} drained${dryRunSuffix(this.options.dryRun ?? 'none')}`);
        continue;
      }
      output.err(
        `error: unable to drain node ${JSON.stringify(node)} due to error: ${error.message}, continuing command...`,
      );
      fatal.push(error);
      pending.push(node);
    }
    if (pending.length > 0) {
      output.err('There are pending nodes to be drained:');
      for (const node of pending) output.err(` ${node}`);
    }
    return fatal;
  }

  /** Drains one node; the error that stopped it, if any (its message as Go's aggregate prints it). */
  private async drainNode(node: string, output: DrainOutput): Promise<Error | undefined> {
    const list = await this.podsForDeletion(node);
    const errors = grouped(list, 'error').map((m) => `cannot delete ${m}`);
    if (errors.length > 0) return aggregate(errors);
    const warnings = grouped(list, 'warning');
    if (warnings.length > 0) output.err(`Warning: ${warnings.join('; ')}`);
    const pods = list.filter((p) => p.delete).map((p) => p.pod);
    const dryRun = this.options.dryRun ?? 'none';
    if (dryRun === 'client') {
      for (const pod of pods) output.out(`evicting pod ${podRef(pod)} (dry run)`);
      return undefined;
    }
    const failure = await this.evict(pods, output, dryRun === 'server');
    if (failure === undefined) return undefined;
    const still = (await this.podsForDeletion(node)).filter((p) => p.delete).map((p) => p.pod);
    if (still.length > 0) {
      output.err(
        `There are pending pods in node ${JSON.stringify(node)} when an error occurred: ${failure.message}`,
      );
      for (const pod of still) output.err(`pod/${metaString(pod, 'name')}`);
    }
    return failure;
  }

  /** kubectl's `GetPodsForDeletion` with its filters, in order. */
  private async podsForDeletion(node: string): Promise<PodDelete[]> {
    const { client, podSelector } = this.options;
    const pods = (
      await client.list('pods', {
        fieldSelector: `spec.nodeName=${node}`,
        ...(podSelector ? { labelSelector: podSelector } : {}),
      })
    ).items;
    const out: PodDelete[] = [];
    for (const pod of pods) {
      let status: PodDelete = { pod, delete: true, reason: 'okay' };
      for (const filter of [
        this.daemonSetFilter,
        mirrorFilter,
        this.localStorageFilter,
        this.unreplicatedFilter,
      ]) {
        status = await filter(pod);
        if (!status.delete) break;
      }
      out.push(status);
    }
    return out;
  }

  private readonly daemonSetFilter = async (pod: KubeObject): Promise<PodDelete> => {
    const owner = controllerOf(pod);
    if (owner?.kind !== 'DaemonSet' || finished(pod)) return { pod, delete: true, reason: 'okay' };
    try {
      await this.options.client.get('daemonsets.apps', metaString(pod, 'namespace'), String(owner.name));
    } catch (error) {
      if (isNotFound(error) && this.options.force)
        return { pod, delete: true, reason: 'warning', message: (error as Error).message };
      return { pod, delete: false, reason: 'error', message: (error as Error).message };
    }
    if (!this.options.ignoreDaemonSets)
      return { pod, delete: false, reason: 'error', message: DAEMONSET_FATAL };
    return { pod, delete: false, reason: 'warning', message: DAEMONSET_WARNING };
  };

  private readonly localStorageFilter = async (pod: KubeObject): Promise<PodDelete> => {
    const emptyDir = objects(field(pod, 'spec', 'volumes')).some((v) => v.emptyDir !== undefined);
    if (!emptyDir || finished(pod)) return { pod, delete: true, reason: 'okay' };
    if (!this.options.deleteEmptyDirData)
      return { pod, delete: false, reason: 'error', message: LOCAL_STORAGE_FATAL };
    return { pod, delete: true, reason: 'warning', message: LOCAL_STORAGE_WARNING };
  };

  private readonly unreplicatedFilter = async (pod: KubeObject): Promise<PodDelete> => {
    if (finished(pod) || controllerOf(pod) !== undefined) return { pod, delete: true, reason: 'okay' };
    if (this.options.force) return { pod, delete: true, reason: 'warning', message: UNMANAGED_WARNING };
    return { pod, delete: false, reason: 'error', message: UNMANAGED_FATAL };
  };

  /** Evicts (deletes) the pods and waits for them to go; the error when some did not in time. */
  private async evict(
    pods: readonly KubeObject[],
    output: DrainOutput,
    serverDryRun: boolean,
  ): Promise<Error | undefined> {
    const {
      client,
      gracePeriodSeconds = -1,
      timeoutMs = 0,
      disableEviction = false,
      stopped = () => false,
    } = this.options;
    const waiting: { pod: KubeObject; uid: string }[] = [];
    for (const pod of pods) {
      if (!disableEviction)
        output.out(`evicting pod ${podRef(pod)}${serverDryRun ? ' (server dry run)' : ''}`);
      try {
        await client.delete('pods', metaString(pod, 'namespace'), metaString(pod, 'name'), {
          fieldManager: 'kubectl-drain',
          ...(gracePeriodSeconds >= 0 ? { gracePeriodSeconds } : {}),
          ...(serverDryRun ? { dryRun: true } : {}),
        });
      } catch (error) {
        if (!isNotFound(error)) return error as Error;
      }
      waiting.push({ pod, uid: metaString(pod, 'uid') });
    }
    if (serverDryRun) return undefined;
    const done = disableEviction ? 'deleted' : 'evicted';
    let waited = 0;
    let pending = waiting;
    for (;;) {
      const still: typeof waiting = [];
      for (const item of pending) {
        let current: KubeObject | undefined;
        try {
          current = await client.get('pods', metaString(item.pod, 'namespace'), metaString(item.pod, 'name'));
        } catch (error) {
          if (!isNotFound(error)) return error as Error;
        }
        if (current === undefined || metaString(current, 'uid') !== item.uid)
          output.out(`pod/${metaString(item.pod, 'name')} ${done}`);
        else still.push(item);
      }
      pending = still;
      if (pending.length === 0) return undefined;
      if ((timeoutMs > 0 && waited >= timeoutMs) || stopped()) {
        const reason = `global timeout reached: ${formatGoDuration(timeoutMs)}`;
        return aggregate(
          pending.map(
            (p) =>
              `error when waiting for pod ${JSON.stringify(metaString(p.pod, 'name'))} in namespace ${JSON.stringify(metaString(p.pod, 'namespace'))} to terminate: ${reason}`,
          ),
        );
      }
      const step = timeoutMs > 0 ? Math.min(1000, timeoutMs - waited) : 1000;
      await client.sleep(step);
      waited += step;
      // Between polls that resolve at once, let an interrupt through.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** A pod's controller owner reference. */
function controllerOf(pod: KubeObject): Record<string, unknown> | undefined {
  return objects(field(pod, 'metadata', 'ownerReferences')).find((r) => r.controller === true);
}

const finished = (pod: KubeObject) => {
  const phase = field(pod, 'status', 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
};

/** Mirror (static) pods are skipped silently: the kubelet owns them. */
const mirrorFilter = async (pod: KubeObject): Promise<PodDelete> =>
  field(pod, 'metadata', 'annotations', 'kubernetes.io/config.mirror') === undefined
    ? { pod, delete: true, reason: 'okay' }
    : { pod, delete: false, reason: 'skip' };

/**
 * Errors as Go's `utilerrors.NewAggregate` holds them: one prints as itself, several as
 * `[a, b]`; `messages` keeps each, for kubectl's final report (one per line).
 */
export class ErrorList extends Error {
  constructor(readonly messages: readonly string[]) {
    super(messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`);
    this.name = 'ErrorList';
  }
}

const aggregate = (messages: readonly string[]) => new ErrorList(messages);
