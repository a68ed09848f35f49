import { describe, expect, it } from 'vitest';
import { toTable } from '../../../src/cluster/printing/index.js';
import {
  addQuantities,
  formatQuantity,
  milliValue,
  parseQuantity,
} from '../../../src/cluster/printing/quantity.js';
import { NOW } from './fixtures.js';

describe('quantities in canonical form (Quantity.String())', () => {
  it.each([
    ['100m', '100m', 100],
    ['0.5', '500m', 500],
    ['2', '2', 2000],
    ['1000', '1k', 1_000_000],
    ['1500m', '1500m', 1500],
    ['128Mi', '128Mi', 134_217_728_000],
    ['1.5Gi', '1536Mi', 1_610_612_736_000],
    ['1024', '1024', 1_024_000],
    ['5368709120', '5368709120', 5_368_709_120_000],
    ['1e3', '1e3', 1_000_000],
    ['0', '0', 0],
  ])('%s prints %s', (text, canonical, milli) => {
    const q = parseQuantity(text)!;
    expect(formatQuantity(q)).toBe(canonical);
    expect(milliValue(q)).toBe(milli);
  });

  it('adds in the first operand’s format', () => {
    expect(formatQuantity(addQuantities(parseQuantity('100m')!, parseQuantity('150m')!))).toBe('250m');
    expect(formatQuantity(addQuantities(parseQuantity('128Mi')!, parseQuantity('128Mi')!))).toBe('256Mi');
    expect(formatQuantity(addQuantities(parseQuantity('128Mi')!, parseQuantity('100M')!))).toBe('234217728');
  });

  it('refuses what is not a quantity', () => {
    expect(parseQuantity('ten')).toBeUndefined();
    expect(parseQuantity('1Gb')).toBeUndefined();
  });

  it('shows hand-written quantities canonical in tables', () => {
    const pv = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'v', creationTimestamp: '2024-05-01T11:00:00Z' },
      spec: { capacity: { storage: '0.5Gi' }, accessModes: ['ReadWriteOncePod'] },
      status: { phase: 'Available' },
    };
    expect(toTable([pv], { kind: 'PersistentVolume', now: NOW }).rows[0]!.cells.slice(0, 3)).toEqual([
      'v',
      '512Mi',
      'RWOP',
    ]);
  });
});
