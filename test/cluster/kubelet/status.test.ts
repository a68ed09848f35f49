import { describe, expect, it } from 'vitest';
import { goDuration, qosClass } from '../../../src/cluster/kubelet/status.js';

describe('kubelet status formats', () => {
  it('prints durations as Go does', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(512)).toBe('512ms');
    expect(goDuration(2500)).toBe('2.5s');
    expect(goDuration(1234)).toBe('1.234s');
    expect(goDuration(10_000)).toBe('10s');
    expect(goDuration(80_000)).toBe('1m20s');
    expect(goDuration(300_000)).toBe('5m0s');
    expect(goDuration(3_723_500)).toBe('1h2m3.5s');
  });

  it('computes the QoS class from cpu and memory of every container', () => {
    const c = (resources: Record<string, unknown>) => ({ name: 'c', image: 'x', resources });
    expect(qosClass({ containers: [c({})] })).toBe('BestEffort');
    expect(
      qosClass({
        containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } })],
      }),
    ).toBe('Guaranteed');
    expect(
      qosClass({
        containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })],
      }),
    ).toBe('Burstable');
    // One container without limits makes the pod Burstable.
    expect(
      qosClass({
        containers: [
          c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }),
          c({}),
        ],
      }),
    ).toBe('Burstable');
    // Other resources do not count.
    expect(qosClass({ containers: [c({ requests: { 'ephemeral-storage': '1Gi' } })] })).toBe('BestEffort');
  });
});
