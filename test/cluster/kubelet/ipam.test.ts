import { describe, expect, it } from 'vitest';
import { ipamKey, PodIpam } from '../../../src/cluster/kubelet/caches.js';
import type { ControllerContext } from '../../../src/cluster/runtime/types.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

/** The part of a controller context the IPAM uses: durable meta values. */
function context(): { ctx: ControllerContext; meta: Map<string, unknown> } {
  const meta = new Map<string, unknown>();
  const ctx = {
    meta: {
      get: (name: string) => meta.get(name),
      set: (name: string, value: unknown) => {
        meta.set(name, value);
      },
    },
  } as unknown as ControllerContext;
  return { ctx, meta };
}

const pod = (uid: string, node: string, ip: string, phase = 'Running'): KubeObject => ({
  metadata: { uid },
  spec: { nodeName: node },
  status: { podIP: ip, phase },
});

/** A fresh IPAM that follows pod events from now on (no initial list). */
function ipam(): PodIpam {
  const ipam = new PodIpam();
  ipam.reset();
  return ipam;
}

describe('PodIpam', () => {
  it('hands out the next free address after the last one, once per pod, skipping held ones', () => {
    const { ctx, meta } = context();
    const pods = ipam();
    pods.observe('ADDED', pod('held', 'n1', '10.244.1.3'));
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/24', 'a')).toBe('10.244.1.4');
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/24', 'a')).toBe('10.244.1.4');
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/24', 'b')).toBe('10.244.1.5');
    expect(meta.get(ipamKey('n1'))).toBe(5);
    // Another node has its own range and its own last address.
    expect(pods.allocate(ctx, 'n2', '10.244.2.0/24', 'c')).toBe('10.244.2.2');
  });

  it('frees the address of a pod that is deleted, finishes or is released', () => {
    const { ctx, meta } = context();
    const pods = ipam();
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/30', 'a')).toBe('10.244.1.2');
    // A /30 has one pod address (.2): full until the pod lets it go.
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/30', 'b')).toBeUndefined();
    pods.release('n1', 'a');
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/30', 'b')).toBe('10.244.1.2');
    pods.observe('MODIFIED', pod('b', 'n1', '10.244.1.2', 'Succeeded'));
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/30', 'c')).toBe('10.244.1.2');
    pods.observe('DELETED', pod('c', 'n1', '10.244.1.2'));
    meta.clear();
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/30', 'd')).toBe('10.244.1.2');
  });

  it('finds a pod by any address it still holds', () => {
    const { ctx } = context();
    const pods = ipam();
    pods.observe('ADDED', pod('a', 'n1', '10.244.1.7'));
    pods.observe('MODIFIED', pod('a', 'n1', '10.244.1.9'));
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/24', 'a')).toBe('10.244.1.7');
    pods.observe('DELETED', pod('a', 'n1', '10.244.1.7'));
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/24', 'a')).toBe('10.244.1.9');
    // An address taken over by another pod no longer counts for the first.
    pods.observe('ADDED', pod('b', 'n1', '10.244.1.9'));
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/24', 'b')).toBe('10.244.1.9');
    expect(pods.allocate(ctx, 'n1', '10.244.1.0/24', 'a')).toBe('10.244.1.10');
  });
});
