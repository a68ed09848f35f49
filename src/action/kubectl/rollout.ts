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
 */

import {
  type KindDescriptor,
  type KubeClient,
  type KubeObject,
  kindName,
  qualifiedResource,
} from '../../kube/index.js';
import { alignTabs, describePodTemplate, PrefixWriter } from '../../kube/printing.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  selectResources,
  usageError,
  type WriteResult,
} from './context.js';
import {
  annotationsOf,
  field,
  groupKind,
  isApps,
  isObj,
  num,
  type Obj,
  REVISION_ANNOTATION,
  revisionOf,
  rolloutStatus,
} from './rollout-status.js';

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
/** What `rollout history` shows for a revision. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** The template annotation `rollout restart` sets. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
const POD_TEMPLATE_HASH = 'pod-template-hash';
/** Annotations a rollback keeps from the Deployment instead of taking them from the revision. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** The query-string form of a `LabelSelector` (`app=web,tier in (a,b)`). */
export function labelSelectorString(selector: unknown): string {
  const parts: string[] = [];
  const labels = field(selector, 'matchLabels');
  if (isObj(labels))
    for (const key of Object.keys(labels).sort()) parts.push(`${key}=${String(labels[key])}`);
  const expressions = field(selector, 'matchExpressions');
  for (const e of Array.isArray(expressions) ? expressions : []) {
    const key = String(field(e, 'key') ?? '');
    const values = (field(e, 'values') as unknown[] | undefined)?.map(String) ?? [];
    switch (field(e, 'operator')) {
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

/** A template without its `pod-template-hash` label (and without labels once none are left). */
function withoutHash(template: unknown): Obj {
  const copy = isObj(template) ? (structuredClone(template) as Obj) : {};
  const labels = field(copy, 'metadata', 'labels');
  if (isObj(labels)) {
    delete labels[POD_TEMPLATE_HASH];
    if (Object.keys(labels).length === 0) delete (copy.metadata as Obj).labels;
  }
  return copy;
}

/** Deep equality of JSON data (key order does not matter). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
    );
  }
  return false;
}

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

/** A `describe` writer that does not align: `rollout history --revision` prints raw tabs. */
class RawPrefixWriter extends PrefixWriter {
  private text = '';

  override write(level: number, text: string): void {
    this.text += `${'  '.repeat(level)}${text}`.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
  }

  override flush(): void {}

  override toString(): string {
    return this.text;
  }
}

/** kubectl's `printTemplate`: the Pod Template section of describe. */
export function podTemplateText(template: unknown): string {
  const w = new RawPrefixWriter();
  describePodTemplate(w, template);
  return w.toString();
}

/** One revision of a rollout history: its number, pod template (as stored, and as shown) and source object. */
interface Revision {
  readonly revision: number;
  readonly template: Obj;
  /** The template with the revision's `kubernetes.io/change-cause` among its annotations, as history shows it. */
  readonly shown: Obj;
  readonly source: KubeObject;
}

/** A template with a change-cause added to its annotations (kubectl's history does so). */
function withChangeCause(template: Obj, source: KubeObject): Obj {
  const cause = annotationsOf(source)[CHANGE_CAUSE_ANNOTATION];
  if (!cause) return template;
  const copy = structuredClone(template) as Obj;
  const meta = isObj(copy.metadata) ? copy.metadata : (copy.metadata = {});
  meta.annotations = { ...annotationsOf(copy), [CHANGE_CAUSE_ANNOTATION]: cause };
  return copy;
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
        const revisions = await this.revisions(kind, object);
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
        const result = await this.rollback(kind, object, toRevision, dryRun);
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

  /** The revisions of a Deployment (its ReplicaSets) or a DaemonSet/StatefulSet (ControllerRevisions). */
  private async revisions(kind: KindDescriptor, object: KubeObject): Promise<Revision[]> {
    if (isApps(kind, 'Deployment')) {
      const out: Revision[] = [];
      for (const rs of await this.ownedReplicaSets(object)) {
        const revision = revisionOf(rs);
        if (revision === undefined) continue;
        const spec = field(rs, 'spec', 'template');
        const template = (isObj(spec) ? spec : {}) as Obj;
        out.push({ revision, template, shown: withChangeCause(template, rs), source: rs });
      }
      return dedupe(out);
    }
    if (isApps(kind, 'DaemonSet') || isApps(kind, 'StatefulSet')) {
      const selector = labelSelectorString(field(object, 'spec', 'selector'));
      const list = await this.client.list('controllerrevisions.apps', {
        namespace: metaString(object, 'namespace') || this.namespace,
        ...(selector ? { labelSelector: selector } : {}),
      });
      const uid = metaString(object, 'uid');
      return dedupe(
        list.items
          .filter((cr) => controllerUid(cr) === uid)
          .map((cr) => {
            const template = structuredClone(field(cr, 'data', 'spec', 'template') ?? {}) as Obj;
            delete template.$patch;
            return { revision: num(cr.revision), template, shown: withChangeCause(template, cr), source: cr };
          }),
      );
    }
    throw usageError(`no history viewer has been implemented for ${JSON.stringify(groupKind(kind))}`);
  }

  /** The ReplicaSets a Deployment controls (kubectl's `GetAllReplicaSets`). */
  private async ownedReplicaSets(d: KubeObject): Promise<KubeObject[]> {
    const selector = labelSelectorString(field(d, 'spec', 'selector'));
    const list = await this.client.list('replicasets.apps', {
      namespace: metaString(d, 'namespace') || this.namespace,
      ...(selector ? { labelSelector: selector } : {}),
    });
    return list.items.filter((rs) => controllerUid(rs) === metaString(d, 'uid'));
  }

  /** One rollback; returns what kubectl prints after the name. */
  private async rollback(
    kind: KindDescriptor,
    object: KubeObject,
    toRevision: number,
    dryRun: DryRun,
  ): Promise<string> {
    if (toRevision < 0) throw usageError(`unable to find specified revision ${toRevision} in history`);
    const name = metaString(object, 'name');
    const namespace = metaString(object, 'namespace') || this.namespace;
    if (isApps(kind, 'Deployment')) {
      const rs = await this.deploymentRevision(object, toRevision);
      const template = field(rs, 'spec', 'template');
      if (dryRun === 'client') return podTemplateText(template);
      if (field(object, 'spec', 'paused') === true)
        throw usageError(
          "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
        );
      if (jsonEqual(withoutHash(template), withoutHash(field(object, 'spec', 'template'))))
        return `skipped rollback (current template already matches revision ${toRevision})`;
      const annotations: Record<string, string> = {};
      const current = annotationsOf(object);
      for (const key of ANNOTATIONS_TO_SKIP) if (current[key] !== undefined) annotations[key] = current[key];
      for (const [key, value] of Object.entries(annotationsOf(rs)))
        if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
      const patch = [
        { op: 'replace', path: '/spec/template', value: withHashRemoved(template) },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ];
      try {
        await this.client.patch(
          kind,
          namespace,
          name,
          patch,
          'json',
          dryRun === 'server' ? { dryRun: true } : {},
        );
      } catch (error) {
        throw usageError(`failed restoring revision ${toRevision}: ${(error as Error).message}`);
      }
      return 'rolled back';
    }
    if (isApps(kind, 'DaemonSet') || isApps(kind, 'StatefulSet')) {
      const history = (await this.revisions(kind, object)).sort((a, b) => a.revision - b.revision);
      if (toRevision === 0 && history.length <= 1) throw usageError('no last revision to roll back to');
      const to =
        toRevision === 0 ? history[history.length - 2] : history.find((h) => h.revision === toRevision);
      if (to === undefined) throw usageError(`unable to find specified revision ${toRevision} in history`);
      if (dryRun === 'client') return podTemplateText(to.template);
      if (jsonEqual(to.template, field(object, 'spec', 'template')))
        return `skipped rollback (current template already matches revision ${toRevision})`;
      try {
        await this.client.patch(
          kind,
          namespace,
          name,
          field(to.source, 'data'),
          'strategic',
          dryRun === 'server' ? { dryRun: true } : {},
        );
      } catch (error) {
        throw usageError(`failed restoring revision ${toRevision}: ${(error as Error).message}`);
      }
      return 'rolled back';
    }
    throw usageError(`no rollbacker has been implemented for ${JSON.stringify(groupKind(kind))}`);
  }

  /** kubectl's `deploymentRevision`: the ReplicaSet of a revision (0: the one before the latest). */
  private async deploymentRevision(d: KubeObject, toRevision: number): Promise<KubeObject> {
    let latest: { revision: number; rs: KubeObject } | undefined;
    let previous: { revision: number; rs: KubeObject } | undefined;
    for (const rs of await this.ownedReplicaSets(d)) {
      const v = revisionOf(rs);
      if (v === undefined) continue;
      if (toRevision === 0) {
        if (latest === undefined || latest.revision < v) {
          previous = latest;
          latest = { revision: v, rs };
        } else if (previous === undefined || previous.revision < v) previous = { revision: v, rs };
      } else if (v === toRevision) return rs;
    }
    if (toRevision > 0) throw usageError(`unable to find specified revision ${toRevision} in history`);
    if (previous === undefined)
      throw usageError(`no rollout history found for deployment ${JSON.stringify(metaString(d, 'name'))}`);
    return previous.rs;
  }
}

/** A template with the `pod-template-hash` label removed (kubectl leaves an emptied map in place). */
function withHashRemoved(template: unknown): Obj {
  const copy = isObj(template) ? (structuredClone(template) as Obj) : {};
  const labels = field(copy, 'metadata', 'labels');
  if (isObj(labels)) delete labels[POD_TEMPLATE_HASH];
  return copy;
}

/** The uid of an object's controller owner reference. */
function controllerUid(object: KubeObject): string {
  const refs = field(object, 'metadata', 'ownerReferences');
  const ref = Array.isArray(refs) ? refs.find((r) => field(r, 'controller') === true) : undefined;
  return String(field(ref, 'uid') ?? '');
}

/** One entry per revision number (the last one seen wins, as kubectl's map does). */
function dedupe(revisions: readonly Revision[]): Revision[] {
  const byNumber = new Map<number, Revision>();
  for (const r of revisions) byNumber.set(r.revision, r);
  return [...byNumber.values()];
}

/** RFC 3339 with second precision, UTC (`2025-03-01T12:00:00Z`). */
function rfc3339(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
