/**
 * The HPA's `spec.behavior` (`normalizeDesiredReplicasWithBehaviors`): the scaling rules with
 * Kubernetes' defaults, the stabilisation windows over recent recommendations, the rate policies
 * over recent scale events, and the `[minReplicas, maxReplicas]` bounds, with the AbleToScale and
 * ScalingLimited conditions they set. The recommendations and scale events they look back on are
 * kept in the cluster's meta state ({@link HpaHistory}), since bosun's controllers run once per
 * command where Kubernetes keeps them in memory.
 */

import { getOwn, isJsonObject } from '../api/machinery/json-values.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { specOf } from './shared.js';

/** `--horizontal-pod-autoscaler-downscale-stabilization`. */
export const DOWNSCALE_STABILIZATION_SECONDS = 300;

/** Sets one of the HPA's status conditions. */
export type SetCondition = (type: string, status: 'True' | 'False', reason: string, message: string) => void;

/** One scaling policy. */
export interface Policy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** `HPAScalingRules` with Kubernetes' defaults filled in. */
export interface ScalingRules {
  readonly window: number;
  readonly select: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly Policy[];
}

/** What the stabilisation windows and rate policies look back on (kept in meta). */
export interface HpaHistory {
  /** Unstabilised recommendations: [replicas, latest time (ms) it was recommended]. */
  recs: [number, number][];
  /** Scale events: [time (ms), replicas added / removed]. */
  up: [number, number][];
  down: [number, number][];
}

export const historyKey = (key: string): string => `hpa.${key}`;

export function readHistory(ctx: ControllerContext, key: string): HpaHistory {
  const stored = ctx.meta.get(historyKey(key));
  const pairs = (v: unknown): [number, number][] =>
    Array.isArray(v)
      ? v.filter(
          (p): p is [number, number] =>
            Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number',
        )
      : [];
  return isJsonObject(stored)
    ? { recs: pairs(stored.recs), up: pairs(stored.up), down: pairs(stored.down) }
    : { recs: [], up: [], down: [] };
}

/** `GenerateHPAScaleUpRules` / `GenerateHPAScaleDownRules` and the default downscale window. */
export function scalingRules(hpa: KubeObject, direction: 'scaleUp' | 'scaleDown'): ScalingRules {
  const given = getOwn(getOwn(specOf(hpa), 'behavior'), direction);
  const rules = isJsonObject(given) ? given : {};
  const defaults: Policy[] =
    direction === 'scaleUp'
      ? [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  const policies = Array.isArray(rules.policies)
    ? rules.policies.filter(isJsonObject).map((p) => ({
        type: p.type === 'Pods' ? ('Pods' as const) : ('Percent' as const),
        value: Number(p.value ?? 0),
        periodSeconds: Number(p.periodSeconds ?? 15),
      }))
    : defaults;
  const select =
    rules.selectPolicy === 'Min' || rules.selectPolicy === 'Disabled' ? rules.selectPolicy : 'Max';
  const window =
    typeof rules.stabilizationWindowSeconds === 'number'
      ? rules.stabilizationWindowSeconds
      : direction === 'scaleUp'
        ? 0
        : DOWNSCALE_STABILIZATION_SECONDS;
  return { window, select, policies };
}

/** `getReplicasChangePerPeriod`. */
function changeInPeriod(periodSeconds: number, events: readonly [number, number][], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, [at, change]) => (at > cutoff ? sum + change : sum), 0);
}

/** `calculateScaleUpLimitWithScalingRules`. */
export function scaleUpLimit(current: number, history: HpaHistory, rules: ScalingRules, now: number): number {
  if (rules.select === 'Disabled') return current;
  let result = rules.select === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const policy of rules.policies) {
    const start =
      current -
      changeInPeriod(policy.periodSeconds, history.up, now) +
      changeInPeriod(policy.periodSeconds, history.down, now);
    const proposed =
      policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = rules.select === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** `calculateScaleDownLimitWithBehaviors`. */
export function scaleDownLimit(
  current: number,
  history: HpaHistory,
  rules: ScalingRules,
  now: number,
): number {
  if (rules.select === 'Disabled') return current;
  let result = rules.select === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const policy of rules.policies) {
    const start =
      current -
      changeInPeriod(policy.periodSeconds, history.up, now) +
      changeInPeriod(policy.periodSeconds, history.down, now);
    const proposed =
      policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = rules.select === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** Keeps what the windows and policies still need; returns when the next of it expires (ms from now). */
export function storeHistory(
  ctx: ControllerContext,
  key: string,
  hpa: KubeObject,
  history: HpaHistory,
  before: string,
  now: number,
): number {
  const up = scalingRules(hpa, 'scaleUp');
  const down = scalingRules(hpa, 'scaleDown');
  const windowMs = Math.max(up.window, down.window) * 1000;
  const periodMs =
    Math.max(15, ...up.policies.map((p) => p.periodSeconds), ...down.policies.map((p) => p.periodSeconds)) *
    1000;
  const recs = history.recs.filter(([, at]) => at + windowMs > now);
  const keep = (events: [number, number][]) => events.filter(([at]) => at + periodMs > now);
  const stored: HpaHistory = { recs, up: keep(history.up), down: keep(history.down) };
  if (JSON.stringify(stored) !== before) ctx.meta.set(historyKey(key), stored);
  // The next moment a recommendation leaves a window or an event leaves a policy period.
  let next = Number.POSITIVE_INFINITY;
  for (const [, at] of recs) {
    for (const w of [up.window, down.window])
      if (w > 0 && at + w * 1000 > now) next = Math.min(next, at + w * 1000 - now);
  }
  for (const [at] of [...stored.up, ...stored.down]) {
    for (const p of [...up.policies, ...down.policies]) {
      const end = at + p.periodSeconds * 1000;
      if (end > now) next = Math.min(next, end - now);
    }
  }
  return next;
}

/**
 * `normalizeDesiredReplicasWithBehaviors`: stabilisation windows, then the rate policies and the
 * min/max bounds, with the AbleToScale and ScalingLimited conditions. Records the recommendation.
 */
export function normalize(
  hpa: KubeObject,
  history: HpaHistory,
  current: number,
  prenormalized: number,
  minReplicas: number,
  maxReplicas: number,
  now: number,
  condition: SetCondition,
): number {
  const upRules = scalingRules(hpa, 'scaleUp');
  const downRules = scalingRules(hpa, 'scaleDown');
  // stabilizeRecommendationWithBehaviors
  const upCutoff = now - upRules.window * 1000;
  const downCutoff = now - downRules.window * 1000;
  let upRecommendation = prenormalized;
  let downRecommendation = prenormalized;
  for (const [replicas, at] of history.recs) {
    if (at > upCutoff) upRecommendation = Math.min(replicas, upRecommendation);
    if (at > downCutoff) downRecommendation = Math.max(replicas, downRecommendation);
  }
  let stabilized = current;
  if (stabilized < upRecommendation) stabilized = upRecommendation;
  if (stabilized > downRecommendation) stabilized = downRecommendation;
  const recorded = history.recs.find(([replicas]) => replicas === prenormalized);
  if (recorded !== undefined) recorded[1] = now;
  else history.recs.push([prenormalized, now]);
  if (stabilized !== prenormalized) {
    if (prenormalized >= current)
      condition(
        'AbleToScale',
        'True',
        'ScaleUpStabilized',
        'recent recommendations were lower than current one, applying the lowest recent recommendation',
      );
    else
      condition(
        'AbleToScale',
        'True',
        'ScaleDownStabilized',
        'recent recommendations were higher than current one, applying the highest recent recommendation',
      );
  } else {
    condition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  }
  // convertDesiredReplicasWithBehaviorRate
  let desired = stabilized;
  let reason = 'DesiredWithinRange';
  let message = 'the desired count is within the acceptable range';
  if (stabilized > current) {
    const limit = Math.max(scaleUpLimit(current, history, upRules, now), current);
    let maximum = maxReplicas;
    let why = 'TooManyReplicas';
    let text = 'the desired replica count is more than the maximum replica count';
    if (maximum > limit) {
      maximum = limit;
      why = 'ScaleUpLimit';
      text = 'the desired replica count is increasing faster than the maximum scale rate';
    }
    if (stabilized > maximum) {
      desired = maximum;
      reason = why;
      message = text;
    }
  } else if (stabilized < current) {
    const limit = Math.min(scaleDownLimit(current, history, downRules, now), current);
    let minimum = minReplicas;
    let why = 'TooFewReplicas';
    let text = 'the desired replica count is less than the minimum replica count';
    if (minimum < limit) {
      minimum = limit;
      why = 'ScaleDownLimit';
      text = 'the desired replica count is decreasing faster than the maximum scale rate';
    }
    if (stabilized < minimum) {
      desired = minimum;
      reason = why;
      message = text;
    }
  }
  condition('ScalingLimited', desired === stabilized ? 'False' : 'True', reason, message);
  return desired;
}
