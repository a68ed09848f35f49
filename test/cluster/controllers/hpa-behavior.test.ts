import { describe, expect, it } from 'vitest';
import {
  type HpaHistory,
  normalize,
  scaleUpLimit,
  scalingRules,
} from '../../../src/cluster/controllers/hpa-behavior.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

const hpa = (behavior?: unknown): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: { maxReplicas: 20, ...(behavior === undefined ? {} : { behavior }) },
});
const empty = (): HpaHistory => ({ recs: [], up: [], down: [] });
const NOW = 1_000_000;

describe('hpa behavior', () => {
  it('defaults the rules: scale-up 4 pods or 100 % per 15 s, scale-down window 300 s', () => {
    expect(scalingRules(hpa(), 'scaleUp')).toEqual({
      window: 0,
      select: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
    expect(scalingRules(hpa(), 'scaleDown').window).toBe(300);
  });

  it('limits a scale-up by the larger policy, minus what was added within the period', () => {
    const rules = scalingRules(hpa(), 'scaleUp');
    expect(scaleUpLimit(2, empty(), rules, NOW)).toBe(6);
    expect(scaleUpLimit(10, empty(), rules, NOW)).toBe(20);
    const recent: HpaHistory = { recs: [], up: [[NOW - 1000, 3]], down: [] };
    expect(scaleUpLimit(2, recent, rules, NOW)).toBe(3);
    const old: HpaHistory = { recs: [], up: [[NOW - 15_000, 3]], down: [] };
    expect(scaleUpLimit(2, old, rules, NOW)).toBe(6);
  });

  it('normalizes a jump to the scale-up limit and records the recommendation', () => {
    const conditions: [string, string, string][] = [];
    const history = empty();
    const desired = normalize(hpa(), history, 2, 10, 1, 20, NOW, (type, status, reason) => {
      conditions.push([type, status, reason]);
    });
    expect(desired).toBe(6);
    expect(conditions).toEqual([
      ['AbleToScale', 'True', 'ReadyForNewScale'],
      ['ScalingLimited', 'True', 'ScaleUpLimit'],
    ]);
    expect(history.recs).toEqual([[10, NOW]]);
  });

  it('holds a scale-down at the highest recommendation of the window', () => {
    const conditions: string[] = [];
    const history: HpaHistory = { recs: [[8, NOW - 60_000]], up: [], down: [] };
    const desired = normalize(hpa(), history, 8, 3, 1, 20, NOW, (_type, _status, reason) => {
      conditions.push(reason);
    });
    expect(desired).toBe(8);
    expect(conditions).toEqual(['ScaleDownStabilized', 'DesiredWithinRange']);
  });
});
