/**
 * How Go's decoders see JSON values: the words `encoding/json` uses in `cannot unmarshal …`
 * errors, and the scalar checks (base64, RFC 3339 time, quantity) with the messages of the Go
 * types that decode them (`[]byte`, `metav1.Time`, `resource.Quantity`).
 */

/** The JSON kind `encoding/json` names in `cannot unmarshal <kind> into …`. */
export function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** The JSON Schema type name of a value, as OpenAPI validation messages print it. */
export function schemaKind(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

const INT_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Whether a JSON number fits a Go integer type (`int32`, `int64`). */
export function fitsInt(v: number, goType: string): boolean {
  const range = INT_RANGE[goType] ?? INT_RANGE.int64!;
  return Number.isInteger(v) && v >= range[0] && v <= range[1];
}

const BASE64_CHAR = /[A-Za-z0-9+/]/;

/** Checks base64 as Go's `StdEncoding` does; returns `illegal base64 data at input byte N` or undefined. */
export function base64Error(s: string): string | undefined {
  const text = s.replace(/[\r\n]/g, '');
  let padding = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '=') {
      padding = i;
      break;
    }
    if (!BASE64_CHAR.test(c)) return `illegal base64 data at input byte ${i}`;
  }
  const pad = text.length - padding;
  const badPadding =
    pad > 2 || text.slice(padding).replace(/=/g, '') !== '' || (pad > 0 && text.length % 4 !== 0);
  if (badPadding) return `illegal base64 data at input byte ${padding}`;
  if (text.length % 4 !== 0) {
    const tail = text.length % 4;
    // Go accepts a final quantum only when padded; a lone trailing character is never valid.
    return `illegal base64 data at input byte ${tail === 1 ? text.length - 1 : text.length}`;
  }
  return undefined;
}

const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** Checks an RFC 3339 time as `metav1.Time` does; returns Go's parse error or undefined. */
export function timeError(s: string): string | undefined {
  if (RFC3339.test(s)) return undefined;
  return `parsing time ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(s)} as "2006"`;
}

const QUANTITY_SHAPE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const QUANTITY_SUFFIX = /^(|[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)$/;

/** The regular expression `resource.Quantity` quotes in its error. */
export const QUANTITY_REGEXP_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Checks a quantity (`500m`, `1Gi`, `2`, `1e3`) as `resource.ParseQuantity` does. */
export function quantityError(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : QUANTITY_REGEXP_ERROR;
  const s = typeof v === 'string' ? v.trim() : String(v);
  const m = QUANTITY_SHAPE.exec(s);
  if (!m) return QUANTITY_REGEXP_ERROR;
  if (!QUANTITY_NUMBER.test(m[1]!)) return QUANTITY_REGEXP_ERROR;
  if (!QUANTITY_SUFFIX.test(m[2]!)) return "unable to parse quantity's suffix";
  return undefined;
}
