/**
 * `kubectl describe` of the controllers: Deployment, ReplicaSet, ReplicationController, DaemonSet,
 * StatefulSet, Job, CronJob. Pod counts come from the pods the caller passes (kubectl lists the
 * namespace's pods by selector and keeps those the object controls).
 */

import { humanDuration, parseTime } from '../duration.js';
import { storageClassOf } from '../printers-cluster.js';
import { canonicalQuantity } from '../quantity.js';
import { formatLabelSelector, selectorString } from '../selectors.js';
import { get, intOrString, isMap, list, num, optBool, optNum, str, strMap } from '../values.js';
import { matchesSelector } from './match.js';
import { describePodTemplate } from './pod.js';
import {
  controllerOf,
  describeEvents,
  formatLabelsOf,
  goList,
  LEVEL_0,
  LEVEL_1,
  PrefixWriter,
  printLabels,
  printMetadata,
  rfc1123z,
} from './writer.js';

/** Pods of a controller by phase (`getPodStatusForController`). */
function podCounts(
  owner: unknown,
  pods: readonly unknown[],
  selector: (labels: Record<string, string>) => boolean,
): string {
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  const uid = str(owner, 'metadata', 'uid');
  for (const pod of pods) {
    if (!selector(strMap(pod, 'metadata', 'labels'))) continue;
    const ref = list(pod, 'metadata', 'ownerReferences').find((r) => get(r, 'controller') === true);
    if (ref === undefined || str(ref, 'uid') !== uid) continue;
    const phase = str(pod, 'status', 'phase') as keyof typeof counts;
    if (phase in counts) counts[phase]++;
  }
  return `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`;
}

const bySelector = (obj: unknown) => (labels: Record<string, string>) =>
  matchesSelector(get(obj, 'spec', 'selector'), labels);

const header = (w: PrefixWriter, obj: unknown): void => {
  w.write(LEVEL_0, `Name:\t${str(obj, 'metadata', 'name')}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(obj, 'metadata', 'namespace')}\n`);
};

const replicas = (obj: unknown): number => optNum(obj, 'spec', 'replicas') ?? 0;

function conditions(w: PrefixWriter, obj: unknown): void {
  const conds = list(obj, 'status', 'conditions');
  if (conds.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conds) w.write(LEVEL_1, `${str(c, 'type')} \t${str(c, 'status')}\t${str(c, 'reason')}\n`);
}

/** Deep equality of decoded JSON. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A pod template without its `pod-template-hash` label (`EqualIgnoreHash`). */
function withoutHash(template: unknown): unknown {
  if (!isMap(template)) return template;
  const labels = { ...strMap(template, 'metadata', 'labels') };
  delete labels['pod-template-hash'];
  return { ...template, metadata: { ...(isMap(template.metadata) ? template.metadata : {}), labels } };
}

const created = (o: unknown): number => parseTime(get(o, 'metadata', 'creationTimestamp')) ?? 0;

/** A deployment's new ReplicaSet (same template) and all its older ones, oldest first. */
export function deploymentReplicaSets(
  deploy: unknown,
  replicaSets: readonly unknown[],
): { old: unknown[]; current: unknown[] } {
  const uid = str(deploy, 'metadata', 'uid');
  const owned = replicaSets
    .filter((rs) =>
      list(rs, 'metadata', 'ownerReferences').some(
        (r) => get(r, 'controller') === true && str(r, 'uid') === uid,
      ),
    )
    .sort(
      (a, b) => created(a) - created(b) || (str(a, 'metadata', 'name') < str(b, 'metadata', 'name') ? -1 : 1),
    );
  const template = withoutHash(get(deploy, 'spec', 'template'));
  const current = owned.find((rs) => jsonEqual(withoutHash(get(rs, 'spec', 'template')), template));
  return { old: owned.filter((rs) => rs !== current), current: current === undefined ? [] : [current] };
}

const rsList = (sets: readonly unknown[]): string =>
  sets
    .map(
      (rs) =>
        `${str(rs, 'metadata', 'name')} (${num(rs, 'status', 'replicas')}/${replicas(rs)} replicas created)`,
    )
    .join(', ') || '<none>';

/** `kubectl describe deployment`; `replicaSets` are the namespace's ReplicaSets. */
export function describeDeployment(
  d: unknown,
  replicaSets: readonly unknown[],
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  header(w, d);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(get(d, 'metadata', 'creationTimestamp'))}\n`);
  printMetadata(w, d);
  w.write(LEVEL_0, `Selector:\t${selectorString(get(d, 'spec', 'selector')) ?? ''}\n`);
  const st = (k: string) => num(d, 'status', k);
  w.write(
    LEVEL_0,
    `Replicas:\t${replicas(d)} desired | ${st('updatedReplicas')} updated | ${st('replicas')} total | ${st('availableReplicas')} available | ${st('unavailableReplicas')} unavailable\n`,
  );
  w.write(LEVEL_0, `StrategyType:\t${str(d, 'spec', 'strategy', 'type')}\n`);
  w.write(LEVEL_0, `MinReadySeconds:\t${num(d, 'spec', 'minReadySeconds')}\n`);
  const ru = get(d, 'spec', 'strategy', 'rollingUpdate');
  if (isMap(ru)) {
    w.write(
      LEVEL_0,
      `RollingUpdateStrategy:\t${intOrString(ru, 'maxUnavailable') ?? '<nil>'} max unavailable, ${intOrString(ru, 'maxSurge') ?? '<nil>'} max surge\n`,
    );
  }
  describePodTemplate(w, get(d, 'spec', 'template'));
  conditions(w, d);
  const { old, current } = deploymentReplicaSets(d, replicaSets);
  if (old.length > 0 || current.length > 0) {
    w.write(LEVEL_0, `OldReplicaSets:\t${rsList(old)}\n`);
    w.write(LEVEL_0, `NewReplicaSet:\t${rsList(current)}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe replicaset` and `replicationcontroller`; `pods` are the namespace's pods. */
export function describeReplicaSet(
  rs: unknown,
  pods: readonly unknown[],
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  const isRc = str(rs, 'kind') === 'ReplicationController';
  header(w, rs);
  const selector = isRc
    ? formatLabelsOf(rs, 'spec', 'selector')
    : formatLabelSelector(get(rs, 'spec', 'selector'));
  w.write(LEVEL_0, `Selector:\t${selector}\n`);
  printMetadata(w, rs);
  const controlledBy = controllerOf(rs);
  if (!isRc && controlledBy !== '') w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  w.write(LEVEL_0, `Replicas:\t${num(rs, 'status', 'replicas')} current / ${replicas(rs)} desired\n`);
  const match = isRc
    ? (labels: Record<string, string>) =>
        Object.entries(strMap(rs, 'spec', 'selector')).every(([k, v]) => labels[k] === v)
    : bySelector(rs);
  w.write(LEVEL_0, `Pods Status:\t${podCounts(rs, pods, match)}\n`);
  describePodTemplate(w, get(rs, 'spec', 'template'));
  conditions(w, rs);
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe daemonset`. */
export function describeDaemonSet(
  ds: unknown,
  pods: readonly unknown[],
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  header(w, ds);
  w.write(LEVEL_0, `Selector:\t${selectorString(get(ds, 'spec', 'selector')) ?? ''}\n`);
  w.write(LEVEL_0, `Node-Selector:\t${formatLabelsOf(ds, 'spec', 'template', 'spec', 'nodeSelector')}\n`);
  printMetadata(w, ds);
  const st = (k: string) => num(ds, 'status', k);
  w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${st('desiredNumberScheduled')}\n`);
  w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${st('currentNumberScheduled')}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${st('updatedNumberScheduled')}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${st('numberAvailable')}\n`);
  w.write(LEVEL_0, `Number of Nodes Misscheduled: ${st('numberMisscheduled')}\n`);
  w.write(LEVEL_0, `Pods Status:\t${podCounts(ds, pods, bySelector(ds))}\n`);
  describePodTemplate(w, get(ds, 'spec', 'template'));
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe statefulset`. */
export function describeStatefulSet(
  sts: unknown,
  pods: readonly unknown[],
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  header(w, sts);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(get(sts, 'metadata', 'creationTimestamp'))}\n`);
  w.write(LEVEL_0, `Selector:\t${selectorString(get(sts, 'spec', 'selector')) ?? ''}\n`);
  printMetadata(w, sts);
  w.write(LEVEL_0, `Replicas:\t${replicas(sts)} desired | ${num(sts, 'status', 'replicas')} total\n`);
  w.write(LEVEL_0, `Update Strategy:\t${str(sts, 'spec', 'updateStrategy', 'type')}\n`);
  const ru = get(sts, 'spec', 'updateStrategy', 'rollingUpdate');
  const partition = optNum(ru, 'partition');
  if (partition !== undefined) {
    w.write(LEVEL_1, `Partition:\t${partition}\n`);
    const maxUnavailable = intOrString(ru, 'maxUnavailable');
    if (maxUnavailable !== undefined) w.write(LEVEL_1, `MaxUnavailable:\t${maxUnavailable}\n`);
  }
  w.write(LEVEL_0, `Pods Status:\t${podCounts(sts, pods, bySelector(sts))}\n`);
  describePodTemplate(w, get(sts, 'spec', 'template'));
  const claims = list(sts, 'spec', 'volumeClaimTemplates');
  if (claims.length === 0) w.write(LEVEL_0, 'Volume Claims:\t<none>\n');
  else {
    w.write(LEVEL_0, 'Volume Claims:\n');
    for (const pvc of claims) {
      w.write(LEVEL_1, `Name:\t${str(pvc, 'metadata', 'name')}\n`);
      w.write(LEVEL_1, `StorageClass:\t${storageClassOf(pvc)}\n`);
      printLabels(w, 'Labels', strMap(pvc, 'metadata', 'labels'), '  ');
      printLabels(w, 'Annotations', strMap(pvc, 'metadata', 'annotations'), '  ');
      const capacity = get(pvc, 'spec', 'resources', 'requests', 'storage');
      w.write(LEVEL_1, `Capacity:\t${capacity === undefined ? '<default>' : canonicalQuantity(capacity)}\n`);
      w.write(LEVEL_1, `Access Modes:\t${goList(list(pvc, 'spec', 'accessModes'))}\n`);
    }
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe job`. */
export function describeJob(job: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  header(w, job);
  w.write(LEVEL_0, `Selector:\t${selectorString(get(job, 'spec', 'selector')) ?? ''}\n`);
  printMetadata(w, job);
  const controlledBy = controllerOf(job);
  if (controlledBy !== '') w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  const spec = get(job, 'spec');
  const opt = (label: string, key: string, suffix = '') => {
    const v = get(spec, key);
    if (v !== undefined && v !== null) w.write(LEVEL_0, `${label}:\t${String(v)}${suffix}\n`);
  };
  opt('Parallelism', 'parallelism');
  w.write(LEVEL_0, `Completions:\t${optNum(spec, 'completions') ?? '<unset>'}\n`);
  opt('Completion Mode', 'completionMode');
  opt('Suspend', 'suspend');
  opt('Backoff Limit', 'backoffLimit');
  opt('TTL Seconds After Finished', 'ttlSecondsAfterFinished');
  const start = str(job, 'status', 'startTime');
  const done = str(job, 'status', 'completionTime');
  if (start !== '') w.write(LEVEL_0, `Start Time:\t${rfc1123z(start)}\n`);
  if (done !== '') w.write(LEVEL_0, `Completed At:\t${rfc1123z(done)}\n`);
  if (start !== '' && done !== '')
    w.write(LEVEL_0, `Duration:\t${humanDuration(Date.parse(done) - Date.parse(start))}\n`);
  opt('Active Deadline Seconds', 'activeDeadlineSeconds', 's');
  const st = (k: string) => num(job, 'status', k);
  const ready = optNum(job, 'status', 'ready');
  w.write(
    LEVEL_0,
    ready === undefined
      ? `Pods Statuses:\t${st('active')} Active / ${st('succeeded')} Succeeded / ${st('failed')} Failed\n`
      : `Pods Statuses:\t${st('active')} Active (${ready} Ready) / ${st('succeeded')} Succeeded / ${st('failed')} Failed\n`,
  );
  if (str(spec, 'completionMode') === 'Indexed') {
    const indexes = str(job, 'status', 'completedIndexes');
    const cut = indexes.indexOf(',', 50);
    w.write(
      LEVEL_0,
      `Completed Indexes:\t${indexes === '' ? '<none>' : cut < 0 ? indexes : `${indexes.slice(0, cut + 1)}...`}\n`,
    );
  }
  describePodTemplate(w, get(spec, 'template'));
  describeEvents(w, events, now);
  return w.toString();
}

const unset = (v: unknown, suffix = ''): string =>
  v === undefined || v === null ? '<unset>' : `${String(v)}${suffix}`;

/** `kubectl describe cronjob`. */
export function describeCronJob(cj: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  header(w, cj);
  printMetadata(w, cj);
  const spec = get(cj, 'spec');
  w.write(LEVEL_0, `Schedule:\t${str(spec, 'schedule')}\n`);
  w.write(LEVEL_0, `Concurrency Policy:\t${str(spec, 'concurrencyPolicy')}\n`);
  const suspend = optBool(spec, 'suspend');
  w.write(LEVEL_0, `Suspend:\t${suspend === undefined ? '<unset>' : suspend ? 'True' : 'False'}\n`);
  if (str(spec, 'timeZone') !== '') w.write(LEVEL_0, `Time Zone:\t${str(spec, 'timeZone')}\n`);
  w.write(LEVEL_0, `Successful Job History Limit:\t${unset(get(spec, 'successfulJobsHistoryLimit'))}\n`);
  w.write(LEVEL_0, `Failed Job History Limit:\t${unset(get(spec, 'failedJobsHistoryLimit'))}\n`);
  w.write(LEVEL_0, `Starting Deadline Seconds:\t${unset(get(spec, 'startingDeadlineSeconds'), 's')}\n`);
  const jobSpec = get(spec, 'jobTemplate', 'spec');
  const selector = get(jobSpec, 'selector');
  w.write(LEVEL_0, `Selector:\t${isMap(selector) ? (selectorString(selector) ?? '') : '<unset>'}\n`);
  w.write(LEVEL_0, `Parallelism:\t${unset(get(jobSpec, 'parallelism'))}\n`);
  w.write(LEVEL_0, `Completions:\t${unset(get(jobSpec, 'completions'))}\n`);
  const deadline = get(jobSpec, 'activeDeadlineSeconds');
  if (deadline !== undefined && deadline !== null)
    w.write(LEVEL_0, `Active Deadline Seconds:\t${String(deadline)}s\n`);
  describePodTemplate(w, get(jobSpec, 'template'));
  const last = str(cj, 'status', 'lastScheduleTime');
  w.write(LEVEL_0, `Last Schedule Time:\t${last === '' ? '<unset>' : rfc1123z(last)}\n`);
  const active = list(cj, 'status', 'active');
  w.write(LEVEL_0, 'Active Jobs:\t');
  w.writeLine(active.length === 0 ? '<none>' : active.map((j) => str(j, 'name')).join(', '));
  describeEvents(w, events, now);
  return w.toString();
}
