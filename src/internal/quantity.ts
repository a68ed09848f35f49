/**
 * A Kubernetes resource quantity (`250m`, `128Mi`, `1234567n`, `2`, `1e3`) as a plain number, for
 * comparisons and percentages where float precision is enough. (The cluster's printing keeps exact
 * values where Kubernetes prints them.)
 */

const SUFFIXES: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/;

/** The value of a quantity (`500m` → 0.5, `1Gi` → 1073741824), or undefined when it is not one. */
export function quantityNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (m === null) return undefined;
  const number = Number(m[1]);
  if (m[2]) return number * 10 ** Number(m[2].slice(1));
  return number * SUFFIXES[m[3] ?? '']!;
}
