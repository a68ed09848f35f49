/**
 * Kubernetes resource quantities (`k8s.io/apimachinery/pkg/api/resource`) as far as printing needs
 * them: parse `100m`, `128Mi`, `2`, `1e3`; add; compare; print in canonical form (`Quantity.String()`:
 * the largest SI or binary suffix that keeps the number whole, `0` for zero).
 */

/** A quantity: an exact value in nano-units, and the suffix family it prints with. */
export interface Quantity {
  readonly nanos: bigint;
  readonly format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY =
  /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

/** The zero quantity. */
export const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

const pow10 = (e: number): bigint => 10n ** BigInt(e);

/** Parses a quantity (a string, or a JSON number); `undefined` when it is not one. */
export function parseQuantity(value: unknown): Quantity | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text.trim());
  if (m === null) return undefined;
  const [intPart, fracPart = ''] = m[1]!.replace(/^[+-]/, '').split('.') as [string, string?];
  const negative = m[1]!.startsWith('-');
  // The number as an integer mantissa and a power of ten.
  let mantissa = BigInt(`${intPart || '0'}${fracPart}`);
  let exp10 = -fracPart.length;
  const suffix = m[2] ?? '';
  let format: Quantity['format'] = 'DecimalSI';
  if (BINARY[suffix] !== undefined) {
    mantissa *= 1024n ** BigInt(BINARY[suffix]);
    format = 'BinarySI';
  } else if (/^[eE]/.test(suffix)) {
    exp10 += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    exp10 += DECIMAL[suffix] ?? 0;
  }
  // Nano precision, rounded up as Kubernetes does for finer values.
  const shift = exp10 + 9;
  let nanos: bigint;
  if (shift >= 0) nanos = mantissa * pow10(shift);
  else {
    const d = pow10(-shift);
    nanos = mantissa / d + (mantissa % d === 0n ? 0n : 1n);
  }
  return { nanos: negative ? -nanos : nanos, format };
}

/** The sum of two quantities, in the first one's format (`Quantity.Add`). */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n && a === ZERO ? b.format : a.format };
}

/** `Quantity.MilliValue()` (rounded up). */
export function milliValue(q: Quantity): number {
  const d = 1_000_000n;
  return Number(q.nanos / d + (q.nanos % d > 0n ? 1n : 0n));
}

/** `Quantity.Value()` (rounded up). */
export function value(q: Quantity): number {
  const d = 1_000_000_000n;
  return Number(q.nanos / d + (q.nanos % d > 0n ? 1n : 0n));
}

/** `Quantity.String()`: canonical form. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const negative = q.nanos < 0n;
  const abs = negative ? -q.nanos : q.nanos;
  const sign = negative ? '-' : '';
  const whole = abs % 1_000_000_000n === 0n;
  if (q.format === 'BinarySI' && whole && abs >= 1024n * 1_000_000_000n) {
    let units = abs / 1_000_000_000n;
    let k = 0;
    while (k < 6 && units % 1024n === 0n) {
      units /= 1024n;
      k++;
    }
    return `${sign}${units}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][k]}`;
  }
  // Decimal: the largest power of 1000 that keeps the number whole.
  let e = 18;
  while (e > -9 && abs % pow10(e + 9) !== 0n) e -= 3;
  const mantissa = abs / pow10(e + 9);
  if (q.format === 'DecimalExponent') return `${sign}${mantissa}${e === 0 ? '' : `e${e}`}`;
  const suffix = Object.entries(DECIMAL).find(([, v]) => v === e)![0];
  return `${sign}${mantissa}${suffix}`;
}

/** Canonical text of a quantity given as JSON, or the text as-is when it does not parse. */
export function canonicalQuantity(value: unknown): string {
  const q = parseQuantity(value);
  if (q === undefined) return typeof value === 'string' ? value : '0';
  return formatQuantity(q);
}
