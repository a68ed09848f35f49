/**
 * `kubectl rollout status|history|undo|restart|pause|resume` for Deployments, DaemonSets and
 * StatefulSets, as kubectl does them (`pkg/cmd/rollout`, `pkg/polymorphichelpers`):
 *
 * - `status` reads the object until its rollout is done (`rollout_status.go`'s checks and lines),
 *   sleeping between reads through the client, so on the embedded cluster the cluster's clock
 *   moves on by that much; a Deployment past its progress deadline is an error.
 * - `history` lists the revisions (a Deployment's ReplicaSets, a DaemonSet's or StatefulSet's
 *   ControllerRevisions) with their `kubernetes.io/change-cause`, or prints one revision's pod
 *   template.
 * - `undo` is kubectl's client-side rollback: the revision's template is patched back into the
 *   Deployment (a JSON patch of `/spec/template` and `/metadata/annotations`), or its
 *   ControllerRevision applied as a strategic merge patch to a DaemonSet or StatefulSet.
 * - `restart` sets the template annotation `kubectl.kubernetes.io/restartedAt`; `pause` and
 *   `resume` set a Deployment's `spec.paused`.
 *
 * This module is the command (which objects, the status loop, the patches of restart, pause and
 * resume); reading revisions is `rollout-history.ts`'s, rolling back `rollout-undo.ts`'s, and
 * reading an object's rollout status `rollout-status.ts`'s.
 */

import {
  type KindDescriptor,
  type KubeClient,
  type KubeObject,
  kindName,
  qualifiedResource,
} from '../../kube/index.js';
import { alignTabs } from '../../kube/printing.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  selectResources,
  usageError,
  type WriteResult,
} from './context.js';
import { CHANGE_CAUSE_ANNOTATION, podTemplateText, revisionsOf } from './rollout-history.js';
import { annotationsOf, field, isApps, type Obj, rolloutStatus } from './rollout-status.js';
import { rollback } from './rollout-undo.js';

export { CHANGE_CAUSE_ANNOTATION, labelSelectorString, podTemplateText } from './rollout-history.js';

/** How often `rollout status` reads the object again (cluster time). */
export const ROLLOUT_POLL_INTERVAL_MS = 1000;
/**
 * How long `rollout status` waits without `--timeout` before giving up (cluster time). kubectl
 * waits until the rollout ends or fails; on the embedded cluster every poll moves the clock, so
 * a rollout that can never end (no progress deadline) stops here instead of running on.
 */
export const ROLLOUT_WAIT_LIMIT_MS = 3_600_000;

/** The field manager of kubectl's rollout patches. */
const FIELD_MANAGER = 'kubectl-rollout';
/** The template annotation `rollout restart` sets. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** How `rollout status` waits. */
export interface RolloutStatusOptions {
  /** `--revision`: the revision the rollout must be at. @default 0 (any) */
  readonly revision?: number;
  /** `--watch`: wait until done (false: print the status once). @default true */
  readonly watch?: boolean;
  /** `--timeout` in ms (cluster time); 0 waits until the rollout ends. @default 0 */
  readonly timeoutMs?: number;
  /** @default {@link ROLLOUT_POLL_INTERVAL_MS} */
  readonly pollIntervalMs?: number;
  /** Waits between reads. @default the client's `sleep` (cluster time) */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Whether to stop waiting (interrupted). */
  readonly stopped?: () => boolean;
}

/** The outcome of `rollout history`: the text printed and the failures. */
export interface HistoryResult {
  readonly text: string;
  readonly errors: readonly Error[];
}

/** Options of {@link RolloutAction}. */
export interface RolloutOptions extends KubectlOptions {
  /** `-l`: which objects, when the arguments name a kind only. */
  readonly labelSelector?: string;
}

/** `kubectl rollout`. */
export class RolloutAction {
  constructor(private readonly options: RolloutOptions) {}

  private get client(): KubeClient {
    return this.options.client;
  }

  /**
   * `rollout status`: reports the status line (each new line once) until the rollout is done, or
   * the timeout passes; rejects with kubectl's error (`deployment "x" exceeded its progress
   * deadline`, `timed out waiting for the condition`).
   */
  async status(
    args: readonly string[],
    options: RolloutStatusOptions,
    print: (line: string) => void,
  ): Promise<void> {
    const errors: Error[] = [];
    const targets = await this.targets(args, errors);
    if (errors.length > 0) throw errors[0];
    if (targets.length !== 1)
      throw usageError(
        'rollout status is only supported on individual resources and resource collections are not supported yet',
      );
    const { kind } = targets[0]!;
    const namespace = metaString(targets[0]!.object, 'namespace') || this.namespace;
    const name = metaString(targets[0]!.object, 'name');
    const interval = options.pollIntervalMs ?? ROLLOUT_POLL_INTERVAL_MS;
    const sleep = options.sleep ?? ((ms: number) => this.client.sleep(ms));
    const limit = options.timeoutMs && options.timeoutMs > 0 ? options.timeoutMs : ROLLOUT_WAIT_LIMIT_MS;
    const start = (await this.client.now()).getTime();
    let object = targets[0]!.object;
    let last: string | undefined;
    for (;;) {
      const { message, done } = rolloutStatus(kind, object, options.revision ?? 0);
      if (message !== last) print(message);
      last = message;
      if (done || options.watch === false || options.stopped?.()) return;
      const elapsed = (await this.client.now()).getTime() - start;
      if (elapsed >= limit) throw usageError('timed out waiting for the condition');
      await sleep(Math.min(interval, limit - elapsed));
      if (options.stopped?.()) return;
      try {
        object = await this.client.get(kind, namespace, name);
      } catch (error) {
        if ((error as { code?: number }).code === 404) throw usageError('object has been deleted');
        throw error;
      }
    }
  }

  /** `rollout history [--revision=N]`. */
  async history(args: readonly string[], revision = 0): Promise<HistoryResult> {
    if (revision < 0) throw usageError(`revision must be a positive integer: ${revision}`);
    const errors: Error[] = [];
    let text = '';
    for (const { kind, object } of await this.targets(args, errors)) {
      try {
        const revisions = await revisionsOf(this.client, this.namespace, kind, object);
        let body: string;
        if (revisions.length === 0) body = 'No rollout history found.';
        else if (revision > 0) {
          const found = revisions.find((r) => r.revision === revision);
          if (found === undefined) throw usageError('unable to find the specified revision');
          body = podTemplateText(found.shown);
        } else {
          const rows = [...revisions]
            .sort((a, b) => a.revision - b.revision)
            .map((r) => `${r.revision}\t${annotationsOf(r.shown)[CHANGE_CAUSE_ANNOTATION] || '<none>'}\n`);
          body = alignTabs(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`, { minWidth: 0, padding: 2 });
        }
        const withRevision = revision > 0 ? `with revision #${revision}` : '';
        text += `${kindName(kind)}/${metaString(object, 'name')} ${withRevision}\n${body}\n`;
      } catch (error) {
        errors.push(error as Error);
      }
    }
    return { text, errors };
  }

  /** `rollout undo [--to-revision=N]`. */
  async undo(args: readonly string[], toRevision = 0, dryRun: DryRun = 'none'): Promise<WriteResult> {
    const errors: Error[] = [];
    const lines: string[] = [];
    for (const { kind, object } of await this.targets(args, errors)) {
      try {
        const result = await rollback(this.client, this.namespace, kind, object, toRevision, dryRun);
        lines.push(`${kindName(kind)}/${metaString(object, 'name')} ${result}${dryRunSuffix(dryRun)}`);
      } catch (error) {
        errors.push(error as Error);
      }
    }
    return { lines, errors };
  }

  /** `rollout restart`: a new `kubectl.kubernetes.io/restartedAt` in the pod template. */
  async restart(args: readonly string[]): Promise<WriteResult> {
    const now = rfc3339(await this.client.now());
    return this.patchEach(args, 'restarted', (kind, object) => {
      const what = `${qualifiedResource(kind)} ${JSON.stringify(metaString(object, 'name'))}`;
      if (!['Deployment', 'DaemonSet', 'StatefulSet'].some((k) => isApps(kind, k)))
        throw usageError(`error: ${what} restarting is not supported`);
      if (isApps(kind, 'Deployment') && field(object, 'spec', 'paused') === true)
        throw usageError(`error: ${what} can't restart paused deployment (run rollout resume first)`);
      if (annotationsOf(field(object, 'spec', 'template'))[RESTARTED_AT_ANNOTATION] === now)
        throw usageError(
          `failed to create patch for ${metaString(object, 'name')}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
        );
      return { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: now } } } } };
    });
  }

  /** `rollout pause`. */
  async pause(args: readonly string[]): Promise<WriteResult> {
    return this.patchEach(args, 'paused', (kind, object) => {
      const what = `${qualifiedResource(kind)} ${JSON.stringify(metaString(object, 'name'))}`;
      if (!isApps(kind, 'Deployment')) throw usageError(`${what} pausing is not supported`);
      if (field(object, 'spec', 'paused') === true) throw usageError(`${what} is already paused`);
      return { spec: { paused: true } };
    });
  }

  /** `rollout resume`. */
  async resume(args: readonly string[]): Promise<WriteResult> {
    return this.patchEach(args, 'resumed', (kind, object) => {
      const what = `${qualifiedResource(kind)} ${JSON.stringify(metaString(object, 'name'))}`;
      if (!isApps(kind, 'Deployment')) throw usageError(`${what} resuming is not supported`);
      if (field(object, 'spec', 'paused') !== true) throw usageError(`${what} is not paused`);
      return { spec: { paused: null } };
    });
  }

  private get namespace(): string {
    return this.options.namespace ?? 'default';
  }

  /** The objects the arguments name (each named one read; a kind alone: all of it, or `-l`). */
  private async targets(
    args: readonly string[],
    errors: Error[],
  ): Promise<{ kind: KindDescriptor; object: KubeObject }[]> {
    if (args.length === 0) throw usageError('required resource not specified');
    const { selections } = await selectResources(this.client, args);
    const out: { kind: KindDescriptor; object: KubeObject }[] = [];
    for (const { kind, names } of selections) {
      if (names.length === 0) {
        const list = await this.client.list(kind, {
          namespace: this.namespace,
          ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
        });
        for (const object of list.items) out.push({ kind, object });
        continue;
      }
      for (const name of names) {
        try {
          out.push({ kind, object: await this.client.get(kind, this.namespace, name) });
        } catch (error) {
          errors.push(error as Error);
        }
      }
    }
    return out;
  }

  /** Patches each object with what `patchOf` returns (it throws kubectl's refusal); `kind/name <verb>`. */
  private async patchEach(
    args: readonly string[],
    verb: string,
    patchOf: (kind: KindDescriptor, object: KubeObject) => Obj,
  ): Promise<WriteResult> {
    const errors: Error[] = [];
    const lines: string[] = [];
    for (const { kind, object } of await this.targets(args, errors)) {
      try {
        const name = metaString(object, 'name');
        const patch = patchOf(kind, object);
        await this.client.patch(
          kind,
          metaString(object, 'namespace') || this.namespace,
          name,
          patch,
          'strategic',
          {
            fieldManager: FIELD_MANAGER,
          },
        );
        lines.push(`${kindName(kind)}/${name} ${verb}`);
      } catch (error) {
        errors.push(error as Error);
      }
    }
    return { lines, errors };
  }
}

/** RFC 3339 with second precision, UTC (`2025-03-01T12:00:00Z`). */
function rfc3339(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
