import { describe, expect, it } from 'vitest';
import type { DaemonPod } from '../../../src/cluster/controllers/daemonset-pods.js';
import {
  type NodeView,
  POD_TEMPLATE_GENERATION,
  rolloutStep,
  statusCounts,
} from '../../../src/cluster/controllers/daemonset-rollout.js';

const NOW = 1_000_000;
const pod = (node: string, generation: string, ready = true, readySince = NOW - 60_000): DaemonPod => ({
  key: `default/rng-${node}-${generation}`,
  namespace: 'default',
  name: `rng-${node}-${generation}`,
  owner: 'ds-uid',
  labels: { [POD_TEMPLATE_GENERATION]: generation },
  node,
  bound: true,
  phase: 'Running',
  deleting: false,
  ready,
  readySince,
  created: 0,
});
const everywhere: NodeView = { runs: () => true, known: () => true };
const nodes = ['node1', 'node2', 'node3'];
const base = { hash: 'new', generation: '2', desired: 3, minReady: 0, now: NOW };

describe('rolloutStep', () => {
  it('deletes old pods within maxUnavailable, the unavailable ones first', () => {
    const pods = new Map([
      ['node1', [pod('node1', '1')]],
      ['node2', [pod('node2', '1', false)]],
      ['node3', [pod('node3', '1')]],
    ]);
    const step = rolloutStep(everywhere, nodes, pods, { ...base, maxSurge: 0, maxUnavailable: 2 });
    expect(step.needing).toEqual([]);
    expect(step.doomed.map((p) => p.node)).toEqual(['node2', 'node1']);
    const one = rolloutStep(everywhere, nodes, pods, { ...base, maxSurge: 0, maxUnavailable: 1 });
    expect(one.doomed.map((p) => p.node)).toEqual(['node2']);
  });

  it('surges new pods within maxSurge, and removes an old pod once its replacement is available', () => {
    const pods = new Map([
      ['node1', [pod('node1', '1'), pod('node1', '2')]],
      ['node2', [pod('node2', '1')]],
      ['node3', [pod('node3', '1')]],
    ]);
    const step = rolloutStep(everywhere, nodes, pods, { ...base, maxSurge: 1, maxUnavailable: 0 });
    expect(step.doomed.map((p) => p.name)).toEqual(['rng-node1-1']);
    expect(step.needing).toEqual(['node2']);
    // A replacement not yet available counts against the surge.
    const waiting = new Map(pods).set('node1', [pod('node1', '1'), pod('node1', '2', false)]);
    expect(rolloutStep(everywhere, nodes, waiting, { ...base, maxSurge: 1, maxUnavailable: 0 })).toEqual({
      needing: [],
      doomed: [],
    });
  });
});

describe('statusCounts', () => {
  it('counts desired, current, misscheduled, ready, updated and available pods per node', () => {
    const onlyTwo: NodeView = { runs: (n) => n !== 'node3', known: () => true };
    const pods = new Map([
      ['node1', [pod('node1', '2')]],
      ['node2', [pod('node2', '1', true, NOW - 1_000)]],
      ['node3', [pod('node3', '1')]],
    ]);
    expect(
      statusCounts(onlyTwo, nodes, pods, { hash: 'new', generation: '2', minReady: 10, now: NOW }),
    ).toEqual({
      desired: 2,
      current: 2,
      misscheduled: 1,
      ready: 2,
      updated: 1,
      available: 1,
      nextAvailable: NOW - 1_000 + 10_000,
    });
  });
});
