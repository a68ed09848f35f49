/**
 * What the replica controllers write for one ReplicaSet or ReplicationController: the missing
 * pods created in slow-start batches, the surplus deleted in scale-down rank order (each with the
 * events `podControl` records), and the status (`calculateStatus` + `updateReplicaSetStatus`).
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import type { SimilarEvents } from './event-correlation.js';
import { type PodEntry, type PodIndex, scaleDownVictims } from './replicaset-pods.js';
import {
  isNotFound,
  meta,
  nameOf,
  namespaceOf,
  podFromTemplate,
  rfc3339,
  specOf,
  statusOf,
  uidOf,
} from './shared.js';

/** At most this many pods are created or deleted in one sync (`BurstReplicas`). */
export const BURST_REPLICAS = 500;
/** The first slow-start batch (`SlowStartInitialBatchSize`). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** When a sync whose creates or deletes were refused is retried (a wait: it would fail the same way). */
export const FAILED_SYNC_RETRY_MS = 10_000;
/**
 * How long the next burst waits after a sync that hit {@link BURST_REPLICAS} (in Kubernetes, until
 * the watch has seen the pods created): the cluster clock stands still while it settles, and a
 * ReplicaSet of 100,000 pods takes 200 bursts, so they are spread over distinct instants.
 */
export const BURST_PACE_MS = 1;

/** A non-negative integer field, or `fallback` when absent. */
export const countOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** What the writes need of their controller: its name, event correlation and pod index. */
export interface ReplicaWriter {
  /** The controller's name (event source, field manager). */
  readonly controller: string;
  readonly events: SimilarEvents;
  readonly pods: PodIndex;
}

/** Creates up to `missing` pods (at most {@link BURST_REPLICAS}) in slow-start batches; returns the first refusal. */
export function createPods(
  writer: ReplicaWriter,
  ctx: ControllerContext,
  owner: KubeObject,
  missing: number,
): Error | undefined {
  const total = Math.min(missing, BURST_REPLICAS);
  const record = (type: 'Normal' | 'Warning', reason: string, message: string) =>
    writer.events.record(ctx, writer.controller, owner, type, reason, message);
  const namespace = namespaceOf(owner);
  const template = specOf(owner).template;
  let done = 0;
  for (let batch = SLOW_START_INITIAL_BATCH_SIZE; done < total; batch *= 2) {
    const size = Math.min(batch, total - done);
    let failure: Error | undefined;
    for (let i = 0; i < size; i++) {
      try {
        const pod = ctx.api.create(
          podFromTemplate(template, owner, { namespace, generateName: `${nameOf(owner)}-` }),
          { fieldManager: writer.controller },
        );
        record('Normal', 'SuccessfulCreate', `Created pod: ${nameOf(pod)}`);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        record('Warning', 'FailedCreate', `Error creating: ${error.message}`);
        failure ??= error;
      }
    }
    done += size;
    if (failure !== undefined) return failure;
  }
  return undefined;
}

/** Deletes `surplus` pods (at most {@link BURST_REPLICAS}) in scale-down order; returns the first refusal. */
export function deletePods(
  writer: ReplicaWriter,
  ctx: ControllerContext,
  owner: KubeObject,
  surplus: number,
): Error | undefined {
  if (surplus <= 0) return undefined;
  const group = writer.pods.ownedBy(uidOf(owner));
  const count = Math.min(surplus, BURST_REPLICAS);
  // Scaled to zero, every pod goes: which ones go first does not matter, so nothing is ranked.
  const all = surplus >= group.active;
  const active: PodEntry[] = [];
  for (const podKey of group.keys) {
    const entry = writer.pods.get(podKey);
    if (entry?.active) active.push(entry);
    if (all && active.length >= count) break;
  }
  const victims = all ? active.slice(0, count) : scaleDownVictims(active, count, ctx.now().getTime());
  const record = (type: 'Normal' | 'Warning', reason: string, message: string) =>
    writer.events.record(ctx, writer.controller, owner, type, reason, message);
  let failure: Error | undefined;
  for (const victim of victims) {
    try {
      ctx.api.delete('pods', victim.namespace, victim.name, { fieldManager: writer.controller });
      record('Normal', 'SuccessfulDelete', `Deleted pod: ${victim.name}`);
    } catch (error) {
      if (isNotFound(error)) continue;
      if (!(error instanceof ApiError)) throw error;
      record('Warning', 'FailedDelete', `Error deleting: ${error.message}`);
      failure ??= error;
    }
  }
  return failure;
}

/** `calculateStatus` + `updateReplicaSetStatus`: writes the status when it changed. */
export function writeStatus(
  writer: ReplicaWriter,
  ctx: ControllerContext,
  object: KubeObject,
  key: string,
  group: { keys: ReadonlySet<string>; active: number; ready: number; fullyLabeled: number },
  diff: number,
  failure: Error | undefined,
): void {
  const now = ctx.now();
  const minReady = countOr(specOf(object).minReadySeconds, 0);
  let available = group.ready;
  if (minReady > 0) {
    available = 0;
    let next = Number.POSITIVE_INFINITY;
    for (const podKey of group.keys) {
      const entry = writer.pods.get(podKey);
      if (entry === undefined || !entry.active || !entry.ready) continue;
      const at = (Number.isFinite(entry.readySince) ? entry.readySince : 0) + minReady * 1000;
      if (at <= now.getTime()) available++;
      else next = Math.min(next, at);
    }
    if (Number.isFinite(next)) ctx.after(key, next - now.getTime(), 'progress');
  }
  const current = statusOf(object);
  let conditions = Array.isArray(current.conditions) ? current.conditions.filter(isJsonObject) : [];
  const failureCondition = conditions.find((c) => c.type === 'ReplicaFailure');
  if (failure !== undefined && failureCondition === undefined) {
    conditions = [
      ...conditions,
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: rfc3339(now),
        reason: diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '',
        message: failure.message,
      },
    ];
  } else if (failure === undefined && failureCondition !== undefined) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const generation = meta(object).generation;
  const status: JsonObject = { replicas: group.active };
  if (group.fullyLabeled > 0) status.fullyLabeledReplicas = group.fullyLabeled;
  if (group.ready > 0) status.readyReplicas = group.ready;
  if (available > 0) status.availableReplicas = available;
  if (typeof generation === 'number' && generation > 0) status.observedGeneration = generation;
  if (conditions.length > 0) status.conditions = conditions;
  if (jsonEqual(current, status)) return;
  ctx.api.update({ ...object, status }, { subresource: 'status', fieldManager: writer.controller });
}
