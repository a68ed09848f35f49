/**
 * `kubectl rollout undo`: kubectl's client-side rollback (`polymorphichelpers/rollback.go`). The
 * revision's template is patched back into a Deployment (a JSON patch of `/spec/template` and
 * `/metadata/annotations`, keeping the Deployment's own bookkeeping annotations), or a
 * DaemonSet's or StatefulSet's ControllerRevision applied as a strategic merge patch; a template
 * that already matches is skipped, and `--dry-run=client` prints the template instead.
 */

import type { KindDescriptor, KubeClient, KubeObject } from '../../kube/index.js';
import { type DryRun, metaString, usageError } from './context.js';
import { ownedReplicaSets, podTemplateText, revisionsOf } from './rollout-history.js';
import {
  annotationsOf,
  field,
  groupKind,
  isApps,
  isObj,
  type Obj,
  REVISION_ANNOTATION,
  revisionOf,
} from './rollout-status.js';

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

/** A template with the `pod-template-hash` label removed (kubectl leaves an emptied map in place). */
function withHashRemoved(template: unknown): Obj {
  const copy = isObj(template) ? (structuredClone(template) as Obj) : {};
  const labels = field(copy, 'metadata', 'labels');
  if (isObj(labels)) delete labels[POD_TEMPLATE_HASH];
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

/**
 * One rollback; returns what kubectl prints after the name. `namespace` is the command's, for an
 * object that names none.
 */
export async function rollback(
  client: KubeClient,
  namespace: string,
  kind: KindDescriptor,
  object: KubeObject,
  toRevision: number,
  dryRun: DryRun,
): Promise<string> {
  if (toRevision < 0) throw usageError(`unable to find specified revision ${toRevision} in history`);
  const name = metaString(object, 'name');
  const target = metaString(object, 'namespace') || namespace;
  if (isApps(kind, 'Deployment')) {
    const rs = await deploymentRevision(client, namespace, object, toRevision);
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
      await client.patch(kind, target, name, patch, 'json', dryRun === 'server' ? { dryRun: true } : {});
    } catch (error) {
      throw usageError(`failed restoring revision ${toRevision}: ${(error as Error).message}`);
    }
    return 'rolled back';
  }
  if (isApps(kind, 'DaemonSet') || isApps(kind, 'StatefulSet')) {
    const history = (await revisionsOf(client, namespace, kind, object)).sort(
      (a, b) => a.revision - b.revision,
    );
    if (toRevision === 0 && history.length <= 1) throw usageError('no last revision to roll back to');
    const to =
      toRevision === 0 ? history[history.length - 2] : history.find((h) => h.revision === toRevision);
    if (to === undefined) throw usageError(`unable to find specified revision ${toRevision} in history`);
    if (dryRun === 'client') return podTemplateText(to.template);
    if (jsonEqual(to.template, field(object, 'spec', 'template')))
      return `skipped rollback (current template already matches revision ${toRevision})`;
    try {
      await client.patch(
        kind,
        target,
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
async function deploymentRevision(
  client: KubeClient,
  namespace: string,
  d: KubeObject,
  toRevision: number,
): Promise<KubeObject> {
  let latest: { revision: number; rs: KubeObject } | undefined;
  let previous: { revision: number; rs: KubeObject } | undefined;
  for (const rs of await ownedReplicaSets(client, namespace, d)) {
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
