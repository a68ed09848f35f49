import { describe, expect, it } from 'vitest';
import { CONTROLLER_REVISION_HASH } from '../../../src/cluster/controllers/daemonset-history.js';
import { FinishedPods, podsShouldBeOnNodes } from '../../../src/cluster/controllers/daemonset-manage.js';
import type { NodeLite } from '../../../src/cluster/controllers/daemonset-nodes.js';
import type { DaemonPod } from '../../../src/cluster/controllers/daemonset-pods.js';
import { daemonSetStatus } from '../../../src/cluster/controllers/daemonset-writes.js';
import { SimilarEvents } from '../../../src/cluster/controllers/event-correlation.js';
import type { ControllerContext } from '../../../src/cluster/runtime/types.js';

const NOW = 1_000_000;
const node = (name: string): NodeLite => ({ name, labels: {}, taints: [], fingerprint: name, version: 1 });
const pod = (name: string, nodeName: string, extra: Partial<DaemonPod> = {}): DaemonPod => ({
  key: `default/${name}`,
  namespace: 'default',
  name,
  owner: 'ds-uid',
  labels: { [CONTROLLER_REVISION_HASH]: 'new' },
  node: nodeName,
  bound: true,
  phase: 'Running',
  deleting: false,
  ready: true,
  readySince: NOW - 60_000,
  created: 0,
  ...extra,
});
const base = {
  nodes: [node('n1'), node('n2')],
  shouldRun: () => [true, true] as const,
  known: (name: string) => name === 'n1' || name === 'n2',
  hash: 'new',
  maxSurge: 0,
  minReady: 0,
  now: NOW,
};
const never = () => {
  throw new Error('no finished pod expected');
};

describe('podsShouldBeOnNodes', () => {
  it('asks for a pod where one should run and none is, and keeps only the oldest without surge', () => {
    const step = podsShouldBeOnNodes(
      { ...base, nodePods: new Map([['n1', [pod('a', 'n1'), pod('b', 'n1')]]]) },
      never,
    );
    expect(step.needing).toEqual(['n2']);
    expect(step.doomed.map((p) => p.name)).toEqual(['b']);
  });

  it('deletes the pods of nodes that should not keep them, and of nodes that are gone', () => {
    const step = podsShouldBeOnNodes(
      {
        ...base,
        shouldRun: (n) => (n.name === 'n1' ? [false, false] : [true, true]),
        nodePods: new Map([
          ['n1', [pod('a', 'n1'), pod('gone', 'n1', { deleting: true })]],
          ['n2', [pod('b', 'n2')]],
          ['n3', [pod('c', 'n3'), pod('d', 'n3', { deleting: true, bound: false })]],
        ]),
      },
      never,
    );
    expect(step.needing).toEqual([]);
    expect(step.doomed.map((p) => p.name)).toEqual(['a', 'c']);
  });

  it('hands finished pods to the back-off, and replaces them once they go', () => {
    const asked: string[] = [];
    const pods = new Map([
      ['n1', [pod('failed', 'n1', { phase: 'Failed' })]],
      ['n2', [pod('done', 'n2', { phase: 'Succeeded' })]],
    ]);
    const step = podsShouldBeOnNodes({ ...base, maxSurge: 1, nodePods: pods }, (p, n) => {
      asked.push(`${p.name}@${n}`);
      return n === 'n1';
    });
    expect(asked).toEqual(['failed@n1', 'done@n2']);
    expect(step.doomed.map((p) => p.name)).toEqual(['failed']);
    expect(step.needing).toEqual(['n1', 'n2']);
  });

  it('with surge, deletes the old pod once the new one is available', () => {
    const old = pod('old', 'n1', { labels: { [CONTROLLER_REVISION_HASH]: 'old' } });
    const waiting = pod('new', 'n1', { readySince: NOW - 1000 });
    const surge = { ...base, nodes: [node('n1')], maxSurge: 1, minReady: 10 };
    expect(
      podsShouldBeOnNodes({ ...surge, nodePods: new Map([['n1', [old, waiting]]]) }, never).doomed,
    ).toEqual([]);
    const ready = pod('new', 'n1', { readySince: NOW - 20_000 });
    const step = podsShouldBeOnNodes({ ...surge, nodePods: new Map([['n1', [old, ready]]]) }, never);
    expect(step.doomed.map((p) => p.name)).toEqual(['old']);
  });
});

describe('FinishedPods', () => {
  it('lets a node replace finished pods at most once per back-off, doubling it', () => {
    let now = NOW;
    const wakeUps: number[] = [];
    const recorded: string[] = [];
    const ctx = {
      now: () => new Date(now),
      after: (_key: string, ms: number) => wakeUps.push(ms),
      recorder: () => ({ record: (_o: unknown, _t: string, reason: string) => recorded.push(reason) }),
    } as unknown as ControllerContext;
    const finished = new FinishedPods();
    const events = new SimilarEvents();
    const ds = { metadata: { uid: 'ds-uid' } };
    const set = { key: 'default/agent', uid: 'ds-uid' };
    const failed = pod('a', 'n1', { phase: 'Failed' });
    expect(finished.goes(ds, set, failed, 'n1', now, events, ctx)).toBe(true);
    now += 500;
    expect(finished.goes(ds, set, failed, 'n1', now, events, ctx)).toBe(false);
    expect(wakeUps).toEqual([500]);
    now += 500;
    expect(finished.goes(ds, set, pod('b', 'n1', { phase: 'Succeeded' }), 'n1', now, events, ctx)).toBe(true);
    now += 1500;
    expect(finished.goes(ds, set, failed, 'n1', now, events, ctx)).toBe(false);
    expect(wakeUps).toEqual([500, 500]);
    expect(finished.goes(ds, set, failed, 'n2', now, events, ctx)).toBe(true);
    expect(recorded).toEqual(['FailedDaemonPod', 'SucceededDaemonPod', 'FailedDaemonPod']);
  });
});

describe('daemonSetStatus', () => {
  const counts = {
    desired: 3,
    current: 3,
    misscheduled: 0,
    ready: 2,
    updated: 0,
    available: 2,
    nextAvailable: Infinity,
  };

  it('writes the counts, leaving out zero available, unavailable and updated counts', () => {
    expect(daemonSetStatus({ extra: 'kept', updatedNumberScheduled: 4 }, counts, 7)).toEqual({
      extra: 'kept',
      currentNumberScheduled: 3,
      desiredNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 2,
      observedGeneration: 7,
      numberAvailable: 2,
      numberUnavailable: 1,
    });
    const all = daemonSetStatus({}, { ...counts, ready: 3, updated: 3, available: 3 }, 1);
    expect(all.numberUnavailable).toBeUndefined();
    expect(all.updatedNumberScheduled).toBe(3);
  });
});
