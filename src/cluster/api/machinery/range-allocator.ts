/**
 * Allocation from a numbered range kept in store meta (value → owner), the way Kubernetes
 * allocates Service ClusterIPs and NodePorts (KEP-3070, KEP-3668): the range is split into a
 * lower static band, left for explicit requests, and an upper dynamic band that random
 * allocation tries first.
 */

import type { StoreWriter } from '../../store/types.js';
import { isJsonObject } from './json-values.js';
import type { SeededRandom } from './seeded-random.js';

/** A range of `size` offsets `[first, first + size)`, of which the lowest `staticSize` form the static band. */
export interface BandedRange {
  readonly first: number;
  readonly size: number;
  readonly staticSize: number;
}

/** The allocations of one range: value (an IP or a port, as text) → owner (`namespace/name`). */
export type Allocations = Record<string, string>;

/** Reads a range's allocations from meta. */
export function readAllocations(tx: StoreWriter, metaKey: string): Allocations {
  const v = tx.getMeta(metaKey);
  const out: Allocations = Object.create(null) as Allocations;
  if (isJsonObject(v))
    for (const [k, owner] of Object.entries(v)) if (typeof owner === 'string') out[k] = owner;
  return out;
}

/** Writes a range's allocations to meta. */
export function writeAllocations(tx: StoreWriter, metaKey: string, allocations: Allocations): void {
  tx.setMeta(metaKey, { ...allocations });
}

/**
 * A free offset: from a random start in the dynamic band scanning upwards (wrapping), then
 * the static band the same way. Undefined when the range is full.
 */
export function pickFree(
  range: BandedRange,
  isUsed: (offset: number) => boolean,
  random: SeededRandom,
): number | undefined {
  const bands: [number, number][] = [
    [range.first + range.staticSize, range.first + range.size],
    [range.first, range.first + range.staticSize],
  ];
  for (const [lo, hi] of bands) {
    const n = hi - lo;
    if (n <= 0) continue;
    const start = random.nextInt(n);
    for (let i = 0; i < n; i++) {
      const offset = lo + ((start + i) % n);
      if (!isUsed(offset)) return offset;
    }
  }
  return undefined;
}

/** An IPv4 address as a 32-bit number, or undefined when it is not one. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255))
    return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** A 32-bit number as an IPv4 address. */
export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** An IPv4 CIDR (`10.96.0.0/12`) as its network address and size. */
export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const base = parseIPv4(ip ?? '');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
    throw new RangeError(`invalid service CIDR ${JSON.stringify(cidr)}`);
  }
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size };
}
