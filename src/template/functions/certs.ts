/**
 * Sprig's certificate functions (`genCA`, `genSelfSignedCert`, `genSignedCert`, their
 * `…WithKey` forms and `buildCustomCert`), built with node:crypto and a small DER writer.
 * Certificates match what Go's `x509.CreateCertificate` makes from Sprig's templates: v3,
 * random 128-bit serial, CN-only subject, key usage, server+client auth, basic constraints,
 * subject key id on CAs, authority key id from the signer, and DNS/IP subject alt names.
 * Keys are RSA 2048 unless one is given; validity starts at the injected clock's "now".
 */

import type { KeyObject } from 'node:crypto';
import { isPlainObject } from '../../internal/objects.js';
import { type FunctionMap, fail, fn, intArg, isList, isNil, strArg } from './args.js';
import {
  bits,
  bool,
  children,
  type DerElement,
  derNull,
  derTime,
  dirString,
  explicit,
  octets,
  oid,
  readElement,
  seq,
  set,
  tlv,
  uint,
} from './der.js';
import { formatGoValue } from './format.js';
import { nodeCrypto } from './node-crypto.js';

/** Sprig's `certificate`: PEM certificate and PEM private key. */
export interface Certificate {
  Cert: string;
  Key: string;
}

interface Signer {
  key: KeyObject;
  name: Buffer;
  keyId: Buffer | undefined;
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.map((l) => `${l}\n`).join('')}-----END ${label}-----\n`;
}

function fromPem(pem: string, label: string): Buffer | undefined {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : undefined;
}

/** A private key as Sprig's `pemBlockForKey` writes it (PKCS#1 RSA, SEC 1 EC, else PKCS#8). */
function keyPem(key: KeyObject): string {
  const type = key.asymmetricKeyType === 'rsa' ? 'pkcs1' : key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs8';
  return key.export({ type, format: 'pem' }).toString();
}

function parseKey(pem: string, what: string): KeyObject {
  try {
    return nodeCrypto().createPrivateKey(pem);
  } catch {
    return fail(`error parsing ${what}: no valid private key found`);
  }
}

function signingParams(key: KeyObject): { alg: Buffer; hash: string | null } {
  const curveHash: Record<string, [string, string]> = {
    prime256v1: ['sha256', '2'],
    secp384r1: ['sha384', '3'],
    secp521r1: ['sha512', '4'],
  };
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { alg: seq(oid('1.2.840.113549.1.1.11'), derNull()), hash: 'sha256' };
    case 'ec': {
      const [hash, n] =
        curveHash[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? fail('unsupported elliptic curve');
      return { alg: seq(oid(`1.2.840.10045.4.3.${n}`)), hash };
    }
    case 'ed25519':
      return { alg: seq(oid('1.3.101.112')), hash: null };
    default:
      return fail(`unsupported private key type ${key.asymmetricKeyType}`);
  }
}

function parseIp(s: string): Buffer | undefined {
  const v4 = (t: string): number[] | undefined => {
    const parts = t.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.map(Number);
  };
  const four = v4(s);
  if (four) return Buffer.from(four);
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return undefined;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const groups = (part: string | undefined): number[] | undefined => {
    if (!part) return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      const embedded = g.includes('.') ? v4(g) : undefined;
      if (embedded) out.push((embedded[0]! << 8) | embedded[1]!, (embedded[2]! << 8) | embedded[3]!);
      else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(Number.parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const h = groups(head);
  const t = groups(tail);
  if (!h || !t) return undefined;
  const fill = 8 - h.length - t.length;
  if (tail === undefined ? fill !== 0 : fill < 1) return undefined;
  const all = [...h, ...Array<number>(fill).fill(0), ...t];
  return Buffer.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

function stringList(v: unknown, what: string): string[] {
  if (isNil(v)) return [];
  if (!isList(v)) return fail(`${what}: ${formatGoValue(v)} is not a list`);
  return v.map((x) => (typeof x === 'string' ? x : fail(`${what}: ${formatGoValue(x)} is not a string`)));
}

const ext = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** Builds and signs a certificate for `key` (issuer: `signer`, or itself when absent). */
function createCert(
  cn: string,
  ips: Buffer[],
  dns: string[],
  days: number,
  isCA: boolean,
  key: KeyObject,
  now: Date,
  signer?: Signer,
): Certificate {
  const name = cn === '' ? seq() : seq(set(seq(oid('2.5.4.3'), dirString(cn))));
  const spki = nodeCrypto().createPublicKey(key).export({ type: 'spki', format: 'der' });
  const pubBits = children(readElement(spki).content)[1]!.content.subarray(1);
  const issuer = signer ?? { key, name, keyId: undefined };
  const { alg, hash } = signingParams(issuer.key);
  const exts = [
    ext('2.5.29.15', true, isCA ? bits(Buffer.from([0xa4]), 2) : bits(Buffer.from([0xa0]), 5)),
    ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    ext('2.5.29.19', true, isCA ? seq(bool(true)) : seq()),
  ];
  if (isCA)
    exts.push(ext('2.5.29.14', false, octets(nodeCrypto().createHash('sha1').update(pubBits).digest())));
  if (signer?.keyId && !signer.name.equals(name))
    exts.push(ext('2.5.29.35', false, seq(tlv(0x80, signer.keyId))));
  if (dns.length + ips.length > 0) {
    const sans = [...dns.map((d) => tlv(0x82, Buffer.from(d, 'utf8'))), ...ips.map((ip) => tlv(0x87, ip))];
    exts.push(ext('2.5.29.17', cn === '', seq(...sans)));
  }
  const serial = nodeCrypto().randomBytes(16);
  const notAfter = new Date(now.getTime() + days * 86_400_000);
  const tbs = seq(
    explicit(0, Buffer.from([0x02, 0x01, 0x02])),
    uint(serial),
    alg,
    issuer.name,
    seq(derTime(now), derTime(notAfter)),
    name,
    spki,
    explicit(3, seq(...exts)),
  );
  const signature = nodeCrypto().sign(hash, tbs, issuer.key);
  return { Cert: toPem('CERTIFICATE', seq(tbs, alg, bits(signature))), Key: keyPem(key) };
}

/** Reads a Sprig `certificate` (as made by `genCA`) into a signer. */
function signerFrom(ca: unknown): Signer {
  if (!isPlainObject(ca)) return fail('error parsing CA: expected a certificate (a map with Cert and Key)');
  const der = fromPem(strArg(ca.Cert), 'CERTIFICATE');
  let tbs: DerElement[];
  try {
    if (!der) throw new RangeError('no PEM block');
    new (nodeCrypto().X509Certificate)(der);
    tbs = children(children(readElement(der).content)[0]!.content);
  } catch {
    return fail('error parsing CA certificate: unable to decode certificate');
  }
  const fields = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
  const subject = fields[4]!.raw;
  let keyId: Buffer | undefined;
  const extensions = fields.find((f) => f.tag === 0xa3);
  const ski = oid('2.5.29.14');
  for (const e of extensions ? children(readElement(extensions.content).content) : []) {
    const parts = children(e.content);
    if (parts[0]?.raw.equals(ski)) keyId = readElement(parts.at(-1)!.content).content;
  }
  return { key: parseKey(strArg(ca.Key), 'CA private key'), name: subject, keyId };
}

function ipList(v: unknown): Buffer[] {
  return stringList(v, 'error parsing ip').map((s) => parseIp(s) ?? fail(`error parsing ip: ${s}`));
}

const rsaKey = (): KeyObject => nodeCrypto().generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  const strictB64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  if (!strictB64.test(b64cert)) fail('unable to decode base64 certificate');
  if (!strictB64.test(b64key)) fail('unable to decode base64 private key');
  const cert = Buffer.from(b64cert, 'base64').toString('utf8');
  const key = Buffer.from(b64key, 'base64').toString('utf8');
  const der = fromPem(cert, 'CERTIFICATE') ?? fail('unable to decode certificate');
  try {
    new (nodeCrypto().X509Certificate)(der);
  } catch (err) {
    fail(`error parsing certificate: ${(err as Error).message}`);
  }
  parseKey(key, 'private key');
  return { Cert: cert, Key: key };
}

/** Certificate functions; `now` is the injected clock. */
export function certFunctions(now: () => Date): FunctionMap {
  const leaf = (args: unknown[], key: KeyObject, signer?: Signer): Certificate =>
    createCert(
      strArg(args[0]),
      ipList(args[1]),
      stringList(args[2], 'error processing alternate dns name'),
      intArg(args[3]),
      false,
      key,
      now(),
      signer,
    );
  return {
    genCA: fn(2, 2, ([cn, days]) => createCert(strArg(cn), [], [], intArg(days), true, rsaKey(), now())),
    genCAWithKey: fn(3, 3, ([cn, days, key]) =>
      createCert(strArg(cn), [], [], intArg(days), true, parseKey(strArg(key), 'private key'), now()),
    ),
    genSelfSignedCert: fn(4, 4, (args) => leaf(args, rsaKey())),
    genSelfSignedCertWithKey: fn(5, 5, (args) => leaf(args, parseKey(strArg(args[4]), 'private key'))),
    genSignedCert: fn(5, 5, (args) => {
      const signer = signerFrom(args[4]);
      return leaf(args, rsaKey(), signer);
    }),
    genSignedCertWithKey: fn(6, 6, (args) => {
      const signer = signerFrom(args[4]);
      return leaf(args, parseKey(strArg(args[5]), 'private key'), signer);
    }),
    buildCustomCert: fn(2, 2, ([c, k]) => buildCustomCert(strArg(c), strArg(k))),
  };
}
