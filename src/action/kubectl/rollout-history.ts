/**
 * The revisions of a rollout, as `kubectl rollout history` and `undo` read them
 * (`polymorphichelpers/history.go`): a Deployment's ReplicaSets, a DaemonSet's or StatefulSet's
 * ControllerRevisions, each with its pod template and `kubernetes.io/change-cause`, and the
 * template printed as describe's Pod Template section.
 */

import type { KindDescriptor, KubeClient, KubeObject } from '../../kube/index.js';
import { describePodTemplate, PrefixWriter } from '../../kube/printing.js';
import { metaString, usageError } from './context.js';
import { labelSelectorString } from './pods.js';

export { labelSelectorString };

import {
  annotationsOf,
  field,
  groupKind,
  isApps,
  isObj,
  num,
  type Obj,
  revisionOf,
} from './rollout-status.js';

/** What `rollout history` shows for a revision. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

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
export interface Revision {
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

/** The revisions of a Deployment (its ReplicaSets) or a DaemonSet/StatefulSet (ControllerRevisions). */
export async function revisionsOf(
  client: KubeClient,
  namespace: string,
  kind: KindDescriptor,
  object: KubeObject,
): Promise<Revision[]> {
  if (isApps(kind, 'Deployment')) {
    const out: Revision[] = [];
    for (const rs of await ownedReplicaSets(client, namespace, object)) {
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
    const list = await client.list('controllerrevisions.apps', {
      namespace: metaString(object, 'namespace') || namespace,
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
export async function ownedReplicaSets(
  client: KubeClient,
  namespace: string,
  d: KubeObject,
): Promise<KubeObject[]> {
  const selector = labelSelectorString(field(d, 'spec', 'selector'));
  const list = await client.list('replicasets.apps', {
    namespace: metaString(d, 'namespace') || namespace,
    ...(selector ? { labelSelector: selector } : {}),
  });
  return list.items.filter((rs) => controllerUid(rs) === metaString(d, 'uid'));
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
