import { describe, expect, it } from 'vitest';
import {
  fitErrorMessage,
  nodesAvailableMessage,
  preemptionMessage,
} from '../../../src/cluster/scheduler/messages.js';
import {
  compareNodeNames,
  effectiveTaints,
  nodeMatchesSelectorAndAffinity,
  podRequests,
  tolerates,
  untoleratedTaint,
} from '../../../src/cluster/scheduler/predicates.js';

const node = (name: string, extra: Record<string, unknown> = {}, ready = 'True') => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, zone: 'a', cores: '8' } },
  spec: extra,
  status: { conditions: [{ type: 'Ready', status: ready, lastTransitionTime: '2025-03-01T12:00:00Z' }] },
});
const pod = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec,
});

describe('tolerates', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it('matches Equal on key, value and effect; an empty effect matches every effect', () => {
    expect(
      tolerates([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], taint),
    ).toBe(true);
    expect(tolerates([{ key: 'dedicated', value: 'gpu' }], taint)).toBe(true);
    expect(tolerates([{ key: 'dedicated', operator: 'Equal', value: 'db' }], taint)).toBe(false);
    expect(tolerates([{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }], taint)).toBe(false);
  });
  it('matches Exists on the key alone, and everything with an empty key', () => {
    expect(tolerates([{ key: 'dedicated', operator: 'Exists' }], taint)).toBe(true);
    expect(tolerates([{ operator: 'Exists' }], taint)).toBe(true);
    expect(tolerates([{ operator: 'Exists', effect: 'NoSchedule' }], { key: 'x', effect: 'NoExecute' })).toBe(
      false,
    );
    expect(tolerates([], taint)).toBe(false);
  });
});

describe('untoleratedTaint and effectiveTaints', () => {
  it('returns the first NoSchedule/NoExecute taint the pod does not tolerate', () => {
    const n = node('node1', {
      taints: [
        { key: 'soft', effect: 'PreferNoSchedule' },
        { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      ],
    });
    expect(untoleratedTaint(pod({}), n)).toEqual({
      key: 'node-role.kubernetes.io/control-plane',
      effect: 'NoSchedule',
    });
    expect(untoleratedTaint(pod({}), n, ['NoExecute'])).toBeUndefined();
    expect(untoleratedTaint(pod({ tolerations: [{ operator: 'Exists' }] }), n)).toBeUndefined();
  });
  it('adds the not-ready, unreachable and unschedulable taints the control plane would add', () => {
    expect(effectiveTaints(node('n', {}, 'False')).map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
    ]);
    expect(effectiveTaints(node('n', {}, 'Unknown'))[1]).toEqual({
      key: 'node.kubernetes.io/unreachable',
      effect: 'NoExecute',
      timeAdded: '2025-03-01T12:00:00Z',
    });
    expect(effectiveTaints(node('n', { unschedulable: true }))).toEqual([
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ]);
    expect(effectiveTaints(node('n'))).toEqual([]);
  });
});

describe('nodeMatchesSelectorAndAffinity', () => {
  const required = (...terms: unknown[]) => ({
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
    },
  });
  it('ANDs nodeSelector with the affinity, ORs terms and ANDs requirements', () => {
    const n = node('node2');
    expect(nodeMatchesSelectorAndAffinity(pod({ nodeSelector: { zone: 'a' } }), n)).toBe(true);
    expect(nodeMatchesSelectorAndAffinity(pod({ nodeSelector: { zone: 'b' } }), n)).toBe(false);
    expect(
      nodeMatchesSelectorAndAffinity(
        pod(
          required(
            { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
            {
              matchExpressions: [
                { key: 'cores', operator: 'Gt', values: ['4'] },
                { key: 'gpu', operator: 'DoesNotExist' },
              ],
            },
          ),
        ),
        n,
      ),
    ).toBe(true);
    expect(
      nodeMatchesSelectorAndAffinity(
        pod(required({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['x'] }] })),
        n,
      ),
    ).toBe(false);
  });
  it('matches metadata.name with matchFields, and an empty term matches nothing', () => {
    const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node2'] }] };
    expect(nodeMatchesSelectorAndAffinity(pod(required(term)), node('node2'))).toBe(true);
    expect(nodeMatchesSelectorAndAffinity(pod(required(term)), node('node3'))).toBe(false);
    expect(nodeMatchesSelectorAndAffinity(pod(required({})), node('node2'))).toBe(false);
  });
});

describe('podRequests', () => {
  const c = (requests: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    name: 'c',
    image: 'x',
    resources: { requests },
    ...extra,
  });
  it('sums containers, takes the largest init container, adds sidecars and overhead', () => {
    const r = podRequests(
      pod({
        containers: [c({ cpu: '100m', memory: '64Mi' }), c({ cpu: '0.2', memory: '64Mi' })],
        initContainers: [
          c({ cpu: '1', memory: '1Gi' }),
          c({ cpu: '50m', memory: '10Mi' }, { restartPolicy: 'Always' }),
          c({ cpu: '500m' }),
        ],
        overhead: { cpu: '10m', memory: '1Mi' },
      }),
    );
    // containers 300m + sidecar 50m = 350m; init max(1000m, 500m + 50m) = 1000m; + 10m.
    expect(r.cpu).toBe(1010);
    expect(r.memory).toBe(1024 ** 3 + 1024 ** 2);
    expect(r.ephemeralStorage).toBe(0);
  });
  it('uses limits where requests are not set, and reports extended resources', () => {
    const r = podRequests(
      pod({
        containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '2', 'nvidia.com/gpu': '1' } } }],
      }),
    );
    expect(r.cpu).toBe(2000);
    expect(r.scalar).toEqual({ 'nvidia.com/gpu': 1 });
  });
});

describe('FailedScheduling messages', () => {
  it('sorts "<count> <reason>" strings bytewise, as Go sort.Strings does', () => {
    const failures = [
      ...Array.from({ length: 10 }, () => ({
        code: 'Unschedulable' as const,
        reasons: ['Insufficient cpu'],
      })),
      ...Array.from({ length: 2 }, () => ({
        code: 'Unschedulable' as const,
        reasons: ['Insufficient memory'],
      })),
    ];
    expect(nodesAvailableMessage(12, failures)).toBe(
      '0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory.',
    );
  });
  it('composes the filter histogram, the DRA message and the preemption verdicts', () => {
    expect(preemptionMessage(3, 1, 2)).toBe(
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect(
      fitErrorMessage({
        total: 3,
        failures: [{ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint(s)'] }],
        absent: { count: 2, reason: "node(s) didn't satisfy plugin(s) [NodeAffinity]" },
        postFilterMessage: 'x',
      }),
    ).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. x",
    );
  });
});

describe('compareNodeNames', () => {
  it('orders numbered names naturally', () => {
    expect(['node10', 'node2', 'node1', 'alpha'].sort(compareNodeNames)).toEqual([
      'alpha',
      'node1',
      'node2',
      'node10',
    ]);
  });
});
