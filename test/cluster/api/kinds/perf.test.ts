/**
 * Validation speed: 10,000 small ConfigMaps through `validate` and through `admit` (clone,
 * decode, default, validate). Printed, not asserted: the store benchmark owns the target
 * (≥ 5,000 creates/s overall), for which validation must stay far below 100 µs an object.
 */

import { describe, expect, it } from 'vitest';
import { setup } from './builders.js';

const N = 10_000;

function configMap(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: 'default', labels: { app: 'bench', shard: String(i % 10) } },
    data: { key: `value-${i}`, 'config.ini': 'a=1\nb=2\n' },
  };
}

describe('validation speed', () => {
  it(`validates ${N} ConfigMaps`, () => {
    const { registry, schema } = setup();
    const info = registry.forObject('v1', 'ConfigMap')!;
    const objects = Array.from({ length: N }, (_, i) => configMap(i));
    schema.validate(objects[0]!, info);
    let start = performance.now();
    let errors = 0;
    for (const o of objects) errors += schema.validate(o, info).length;
    const validateMs = performance.now() - start;
    start = performance.now();
    for (const o of objects) schema.admit(o);
    const admitMs = performance.now() - start;
    const us = (ms: number) => ((ms * 1000) / N).toFixed(1);
    console.log(
      `validate: ${N} ConfigMaps in ${validateMs.toFixed(0)} ms (${us(validateMs)} µs each); admit: ${admitMs.toFixed(0)} ms (${us(admitMs)} µs each)`,
    );
    expect(errors).toBe(0);
  });
});
