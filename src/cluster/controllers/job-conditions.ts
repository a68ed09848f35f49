/**
 * A Job's conditions and its pod failure policy (`pkg/controller/job`): reading and setting the
 * `Complete` / `Failed` / `FailureTarget` / `SuccessCriteriaMet` / `Suspended` conditions
 * (`IsJobFinished`, `ensureJobConditionStatus`) and matching a failed pod against
 * `podFailurePolicy` rules (`matchPodFailurePolicy`).
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import { nameOf, namespaceOf, specOf, statusOf } from './shared.js';

/** A Job condition type. */
export type JobConditionType = 'Complete' | 'Failed' | 'FailureTarget' | 'SuccessCriteriaMet' | 'Suspended';

export interface FinishCondition {
  readonly type: JobConditionType;
  readonly reason: string;
  readonly message: string;
}

/** The conditions of a Job (copies). */
export function conditionsOf(job: KubeObject): JsonObject[] {
  const c = statusOf(job).conditions;
  return Array.isArray(c) ? c.filter(isJsonObject).map((x) => ({ ...x })) : [];
}

export function trueCondition(conditions: readonly JsonObject[], type: string): JsonObject | undefined {
  return conditions.find((c) => c.type === type && c.status === 'True');
}

/**
 * The terminal condition of a finished Job (`Complete` or `Failed` with status True), if it
 * finished (`IsJobFinished`); the cronjob and TTL controllers use it too.
 */
export function jobFinishedCondition(job: KubeObject): JsonObject | undefined {
  const conditions = conditionsOf(job);
  return trueCondition(conditions, 'Complete') ?? trueCondition(conditions, 'Failed');
}

/**
 * `ensureJobConditionStatus`: sets a condition's status, reason and message (a new condition is
 * only added when its status is True). Returns whether anything changed.
 */
export function ensureCondition(
  conditions: JsonObject[],
  type: JobConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: string,
): boolean {
  const at = conditions.findIndex((c) => c.type === type);
  if (at < 0) {
    if (status !== 'True') return false;
    conditions.push({ type, status, lastProbeTime: now, lastTransitionTime: now, reason, message });
    return true;
  }
  const c = conditions[at]!;
  if (c.status === status && c.reason === reason && c.message === message) return false;
  conditions[at] = {
    type,
    status,
    lastProbeTime: now,
    lastTransitionTime: c.status === status ? c.lastTransitionTime : now,
    reason,
    message,
  };
  return true;
}

/** What a pod failure policy decides for one failed pod. */
export type PolicyAction =
  | { action: 'FailJob' | 'FailIndex'; message: string }
  | { action: 'Ignore' | 'Count' };

/** `matchPodFailurePolicy`: the first rule matching a failed pod's exit codes or conditions. */
export function matchFailurePolicy(job: KubeObject, pod: KubeObject): PolicyAction | undefined {
  const policy = specOf(job).podFailurePolicy;
  const rules = isJsonObject(policy) && Array.isArray(policy.rules) ? policy.rules.filter(isJsonObject) : [];
  const podRef = `${namespaceOf(pod)}/${nameOf(pod)}`;
  const status = statusOf(pod);
  const terminated: { name: string; exitCode: number }[] = [];
  for (const list of [status.initContainerStatuses, status.containerStatuses]) {
    if (!Array.isArray(list)) continue;
    for (const cs of list) {
      if (!isJsonObject(cs) || !isJsonObject(cs.state) || !isJsonObject(cs.state.terminated)) continue;
      const code = cs.state.terminated.exitCode;
      if (typeof code === 'number' && code !== 0) terminated.push({ name: String(cs.name), exitCode: code });
    }
  }
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const action = String(rule.action ?? '') as 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
    const onExit = isJsonObject(rule.onExitCodes) ? rule.onExitCodes : undefined;
    if (onExit !== undefined) {
      const values = Array.isArray(onExit.values) ? onExit.values.map(Number) : [];
      const hit = terminated.find(
        (t) =>
          (onExit.containerName === undefined || onExit.containerName === t.name) &&
          (onExit.operator === 'NotIn' ? !values.includes(t.exitCode) : values.includes(t.exitCode)),
      );
      if (hit === undefined) continue;
      if (action === 'FailJob' || action === 'FailIndex')
        return {
          action,
          message: `Container ${hit.name} for pod ${podRef} failed with exit code ${hit.exitCode} matching ${action} rule at index ${i}`,
        };
      return { action };
    }
    const onConditions = Array.isArray(rule.onPodConditions) ? rule.onPodConditions.filter(isJsonObject) : [];
    const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isJsonObject) : [];
    const hit = onConditions.find((want) =>
      conditions.some((c) => c.type === want.type && c.status === String(want.status ?? 'True')),
    );
    if (hit === undefined) continue;
    if (action === 'FailJob' || action === 'FailIndex')
      return {
        action,
        message: `Pod ${podRef} has condition ${String(hit.type)} matching ${action} rule at index ${i}`,
      };
    return { action };
  }
  return undefined;
}
