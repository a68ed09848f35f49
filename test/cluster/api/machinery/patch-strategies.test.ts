import { describe, expect, it } from 'vitest';
import { listStrategiesOf } from '../../../../src/cluster/api/machinery/patch-strategies.js';

describe('listStrategiesOf', () => {
  it('answers by path, the same when asked again', () => {
    const lookup = listStrategiesOf('Pod');
    for (let round = 0; round < 2; round++) {
      expect(lookup(['spec', 'containers'])).toEqual({ type: 'merge', key: 'name' });
      expect(lookup(['spec', 'containers', 'ports'])).toEqual({ type: 'merge', key: 'containerPort' });
      expect(lookup(['metadata', 'finalizers'])).toEqual({ type: 'set' });
      expect(lookup(['spec', 'tolerations'])).toEqual({ type: 'replace' });
      expect(lookup(['spec', 'nodeName'])).toBeUndefined();
      expect(lookup([])).toBeUndefined();
    }
  });

  it('keeps answering, without remembering, past what one kind may remember', () => {
    const lookup = listStrategiesOf('ConfigMap');
    for (let i = 0; i < 5_000; i++) expect(lookup(['data', `key-${i}`])).toBeUndefined();
    expect(lookup(['metadata', 'finalizers'])).toEqual({ type: 'set' });
  });
});
