import { describe, expect, it } from 'vitest';
import { CompiledPods } from '../../../src/cluster/scheduler/pod-info.js';
import { park, unpark, type WaitingState } from '../../../src/cluster/scheduler/waiting.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests build arbitrary object JSON
type Json = Record<string, any>;

function replica(name: string, spec: Json = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}

const compile = (p: KubeObject) => new CompiledPods().compile(p, () => new Map());
const state = (): WaitingState => ({
  waiting: new Map(),
  groups: new Map(),
  waiters: new Map(),
  affinityGroups: 0,
});

const affinity = {
  affinity: {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  },
};

describe('park and unpark', () => {
  it('keeps alike replicas in one group and indexes them under what they wait for', () => {
    const s = state();
    park(s, 'default/web-1', compile(replica('web-1')), ['pvc:default/data']);
    park(s, 'default/web-2', compile(replica('web-2')), ['pvc:default/data', 'sc:fast']);
    expect(s.groups.size).toBe(1);
    const group = [...s.groups.values()][0]!;
    expect([...group.pods]).toEqual(['default/web-1', 'default/web-2']);
    expect(s.waiting.get('default/web-2')?.group).toBe(group);
    expect([...(s.waiters.get('pvc:default/data') ?? [])]).toEqual(['default/web-1', 'default/web-2']);
    expect([...(s.waiters.get('sc:fast') ?? [])]).toEqual(['default/web-2']);

    unpark(s, 'default/web-2');
    expect(s.waiters.has('sc:fast')).toBe(false);
    expect([...group.pods]).toEqual(['default/web-1']);
    unpark(s, 'default/web-1');
    expect([s.waiting.size, s.groups.size, s.waiters.size]).toEqual([0, 0, 0]);
    // Unparking a pod that does not wait is a no-op.
    unpark(s, 'default/web-1');
  });

  it('re-parking replaces what a pod waited for', () => {
    const s = state();
    const info = compile(replica('web-1'));
    park(s, 'default/web-1', info, ['sc:slow']);
    park(s, 'default/web-1', info, ['sc:fast']);
    expect([...s.waiters.keys()]).toEqual(['sc:fast']);
    expect(s.waiting.size).toBe(1);
  });

  it('leaves gated pods and pods parked ungrouped out of the groups', () => {
    const s = state();
    park(s, 'default/gated', compile(replica('gated', { schedulingGates: [{ name: 'wait' }] })), []);
    park(s, 'default/held', compile(replica('held')), ['pvc:default/data'], false);
    expect(s.groups.size).toBe(0);
    expect(s.waiting.get('default/gated')?.group).toBe(undefined);
    expect(s.waiting.size).toBe(2);
  });

  it('counts the groups with required pod affinity while they have members', () => {
    const s = state();
    park(s, 'default/a-1', compile(replica('a-1', affinity)), []);
    park(s, 'default/a-2', compile(replica('a-2', affinity)), []);
    park(s, 'default/web-1', compile(replica('web-1')), []);
    expect(s.affinityGroups).toBe(1);
    unpark(s, 'default/a-1');
    expect(s.affinityGroups).toBe(1);
    unpark(s, 'default/a-2');
    expect(s.affinityGroups).toBe(0);
  });
});
