/**
 * A minimal ASN.1 DER writer and reader, enough to build and inspect X.509 certificates for
 * `genCA`/`genSignedCert`.
 */

/** Encodes one tag-length-value element. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

/** SEQUENCE. */
export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
/** SET. */
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
/** NULL. */
export const derNull = (): Buffer => Buffer.from([0x05, 0x00]);
/** BOOLEAN. */
export const bool = (v: boolean): Buffer => Buffer.from([0x01, 0x01, v ? 0xff : 0x00]);
/** OCTET STRING. */
export const octets = (b: Buffer): Buffer => tlv(0x04, b);
/** BIT STRING with `unused` trailing bits in the last byte. */
export const bits = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.from([unused]), b);
/** Context-specific constructed (explicit) tag `[n]`. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner);

/** INTEGER from unsigned big-endian bytes. */
export function uint(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(0x02, (b[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

/** OBJECT IDENTIFIER from dotted form. */
export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A directory string as Go writes it: PrintableString when possible, else UTF8String. */
export function dirString(s: string): Buffer {
  return tlv(/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s) ? 0x13 : 0x0c, Buffer.from(s, 'utf8'));
}

/** A certificate time: UTCTime for 1950–2049, GeneralizedTime otherwise. */
export function derTime(d: Date): Buffer {
  const iso = d.toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = d.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  return tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

/** One element read from DER: its tag, the whole element and its content. */
export interface DerElement {
  tag: number;
  raw: Buffer;
  content: Buffer;
}

/** Reads the element at `pos`. Throws on truncated input. */
export function readElement(buf: Buffer, pos = 0): DerElement {
  const tag = buf[pos];
  let len = buf[pos + 1];
  if (tag === undefined || len === undefined) throw new RangeError('truncated DER');
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new RangeError('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[start + i] ?? 0);
    start += n;
  }
  if (start + len > buf.length) throw new RangeError('truncated DER');
  return { tag, raw: buf.subarray(pos, start + len), content: buf.subarray(start, start + len) };
}

/** The elements inside a constructed element's content. */
export function children(content: Buffer): DerElement[] {
  const out: DerElement[] = [];
  for (let pos = 0; pos < content.length; ) {
    const e = readElement(content, pos);
    out.push(e);
    pos += e.raw.length;
  }
  return out;
}
