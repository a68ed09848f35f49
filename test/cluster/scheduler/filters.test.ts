import { describe, expect, it } from 'vitest';
import { NodeUsage, nodeView, podEntry } from '../../../src/cluster/scheduler/cache.js';
import { filterNode, fitsResources } from '../../../src/cluster/scheduler/filters.js';
import { REASON } from '../../../src/cluster/scheduler/messages.js';
import { CompiledPods } from '../../../src/cluster/scheduler/pod-info.js';
import { SimulatedUsage } from '../../../src/cluster/scheduler/preemption.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests build arbitrary object JSON
type Json = Record<string, any>;

function node(allocatable: Json, spec: Json = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node1', labels: {} },
    spec,
    status: { allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(name: string, requests: Json, extra: Json = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests }, ...extra }] },
  };
}

const compile = (p: KubeObject) => new CompiledPods().compile(p, () => new Map());

function usageWith(...pods: KubeObject[]): NodeUsage {
  const usage = new NodeUsage('node1', 0);
  for (const p of pods) usage.add(podEntry(p, 'node1', false));
  return usage;
}

describe('fitsResources', () => {
  const view = nodeView(node({ cpu: '4', memory: '4Gi', pods: '2', 'example.com/gpu': '1' }));

  it('accepts a pod that fits, and a pod without requests on a node with pod room', () => {
    expect(fitsResources(compile(pod('a', { cpu: '1' })), view, usageWith(pod('b', { cpu: '3' })))).toBe(
      undefined,
    );
    expect(fitsResources(compile(pod('a', {})), view, undefined)).toBe(undefined);
  });

  it('is resolvable when evicting pods would make room, unresolvable when the node is too small', () => {
    const used = usageWith(pod('b', { cpu: '3' }));
    expect(fitsResources(compile(pod('a', { cpu: '2' })), view, used)).toEqual({
      code: 'Unschedulable',
      reasons: [REASON.insufficient('cpu')],
    });
    expect(fitsResources(compile(pod('a', { cpu: '5' })), view, used)).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: [REASON.insufficient('cpu')],
    });
  });

  it("lists every short resource in Kubernetes' order: pods, cpu, memory, then extended", () => {
    const used = usageWith(pod('b', { cpu: '3', memory: '3Gi', 'example.com/gpu': '1' }), pod('c', {}));
    const failure = fitsResources(
      compile(pod('a', { cpu: '2', memory: '2Gi', 'example.com/gpu': '1' })),
      view,
      used,
    );
    expect(failure).toEqual({
      code: 'Unschedulable',
      reasons: [
        REASON.tooManyPods,
        REASON.insufficient('cpu'),
        REASON.insufficient('memory'),
        REASON.insufficient('example.com/gpu'),
      ],
    });
    // A pod without requests is refused only for the pod count.
    expect(fitsResources(compile(pod('a', {})), view, used)).toEqual({
      code: 'Unschedulable',
      reasons: [REASON.tooManyPods],
    });
  });
});

describe('filterNode', () => {
  it('runs the filters in plugin order: a cordoned node is refused before its resources count', () => {
    const cordoned = nodeView(node({ cpu: '1', pods: '110' }, { unschedulable: true }));
    const big = compile(pod('a', { cpu: '2' }));
    expect(filterNode(big, cordoned, undefined, undefined, undefined)).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: [REASON.unschedulable],
    });
    const open = nodeView(node({ cpu: '1', pods: '110' }));
    expect(filterNode(big, open, undefined, undefined, undefined)?.reasons).toEqual([
      REASON.insufficient('cpu'),
    ]);
    expect(filterNode(compile(pod('b', { cpu: '1' })), open, undefined, undefined, undefined)).toBe(
      undefined,
    );
  });

  it('refuses a host port already held on the node', () => {
    const view = nodeView(node({ cpu: '4', pods: '110' }));
    const ports = { ports: [{ containerPort: 80, hostPort: 8080 }] };
    const held = usageWith(pod('b', {}, ports));
    expect(filterNode(compile(pod('a', {}, ports)), view, held, undefined, undefined)).toEqual({
      code: 'Unschedulable',
      reasons: [REASON.ports],
    });
  });
});

describe('SimulatedUsage', () => {
  it('takes pods out and puts them back without touching the node usage', () => {
    const ports = { ports: [{ containerPort: 80, hostPort: 8080 }] };
    const a = podEntry(pod('a', { cpu: '1', 'example.com/gpu': '1' }, ports), 'node1', false);
    const b = podEntry(pod('b', { cpu: '2', memory: '1Gi' }), 'node1', false);
    const usage = new NodeUsage('node1', 0);
    usage.add(a);
    usage.add(b);
    const sim = new SimulatedUsage(usage, [a, b]);
    expect([
      sim.cpu,
      sim.memory,
      sim.pods.size,
      sim.ports.length,
      sim.scalar?.get('example.com/gpu'),
    ]).toEqual([0, 0, 0, 0, 0]);
    sim.add(a);
    expect([sim.cpu, sim.pods.size, sim.ports, sim.scalar?.get('example.com/gpu')]).toEqual([
      a.cpu,
      1,
      a.ports,
      1,
    ]);
    sim.remove(a);
    expect([sim.cpu, sim.pods.size, sim.ports.length]).toEqual([0, 0, 0]);
    expect([
      usage.cpu,
      usage.memory,
      usage.pods.size,
      usage.ports.length,
      usage.scalar?.get('example.com/gpu'),
    ]).toEqual([a.cpu + b.cpu, b.memory, 2, 1, 1]);
  });
});
