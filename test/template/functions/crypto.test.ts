import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bcryptBase64Decode, bcryptHash } from '../../../src/template/functions/bcrypt.js';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { run, table } from './helpers.js';

interface Cert {
  Cert: string;
  Key: string;
}

describe('bcrypt and htpasswd', () => {
  it.each([
    ['', '$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.'],
    ['a', '$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe'],
    ['abc', '$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i'],
  ])('bcrypt(%j) matches the reference vector', (password, expected) => {
    expect(bcryptHash(password, bcryptBase64Decode(expected.slice(7, 29)), 6)).toBe(expected);
  });

  it('htpasswd uses bcrypt cost 10 with a seeded salt', () => {
    const a = run('htpasswd', ['user', 'pass'], {}, table({ seed: 3 })) as string;
    expect(a).toMatch(/^user:\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(run('htpasswd', ['user', 'pass'], {}, table({ seed: 3 }))).toBe(a);
    const salt = bcryptBase64Decode(a.slice(12, 34));
    expect(`user:${bcryptHash('pass', salt)}`).toBe(a);
  });

  it('htpasswd reports over-long passwords as Sprig does', () => {
    expect(run('htpasswd', ['u', 'x'.repeat(73)])).toBe(
      'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes',
    );
  });
});

describe('certificates', () => {
  const t = table({ now: () => new Date('2024-02-29T13:04:05Z') });
  const ca = run('genCA', ['my-ca', 365], {}, t) as Cert;
  const caX = new X509Certificate(ca.Cert);

  it('genCA makes a self-signed CA with an RSA key', () => {
    expect(caX.ca).toBe(true);
    expect(caX.subject).toBe('CN=my-ca');
    expect(caX.issuer).toBe('CN=my-ca');
    expect(caX.verify(caX.publicKey)).toBe(true);
    expect(new Date(caX.validFrom).toISOString()).toBe('2024-02-29T13:04:05.000Z');
    expect(new Date(caX.validTo).toISOString()).toBe('2025-02-28T13:04:05.000Z');
    expect(ca.Key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  });

  it('genSignedCert makes a leaf signed by the CA with its alt names', () => {
    const leaf = run(
      'genSignedCert',
      ['svc', ['10.0.0.1', '::1'], ['svc.ns.svc', '*.example.com'], 30, ca],
      {},
      t,
    ) as Cert;
    const x = new X509Certificate(leaf.Cert);
    expect(x.ca).toBe(false);
    expect(x.checkIssued(caX)).toBe(true);
    expect(x.verify(caX.publicKey)).toBe(true);
    expect(x.subjectAltName).toBe(
      'DNS:svc.ns.svc, DNS:*.example.com, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(x.keyUsage).toStrictEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('genSelfSignedCert signs itself', () => {
    const c = run('genSelfSignedCert', ['host', null, ['host.local'], 10], {}, t) as Cert;
    const x = new X509Certificate(c.Cert);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.subject).toBe('CN=host');
  });

  it('the …WithKey forms keep the given key', () => {
    const key = run('genPrivateKey', ['ecdsa']) as string;
    const ecCa = run('genCAWithKey', ['ec-ca', 10, key], {}, t) as Cert;
    expect(ecCa.Key).toBe(key);
    const edKey = run('genPrivateKey', ['ed25519']) as string;
    const leaf = run('genSignedCertWithKey', ['leaf', [], [], 10, ecCa, edKey], {}, t) as Cert;
    expect(leaf.Key).toBe(edKey);
    expect(new X509Certificate(leaf.Cert).verify(new X509Certificate(ecCa.Cert).publicKey)).toBe(true);
  });

  it('buildCustomCert accepts base64 PEM and rejects garbage', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    expect(run('buildCustomCert', [b64(ca.Cert), b64(ca.Key)])).toStrictEqual(ca);
    expect(() => run('buildCustomCert', ['!!', b64(ca.Key)])).toThrow(/unable to decode base64 certificate/);
    expect(() => run('buildCustomCert', [b64('x'), b64(ca.Key)])).toThrow(/unable to decode certificate/);
  });

  it.each([
    ['genSignedCert', ['svc', ['not-an-ip'], [], 1, 'CA'], /error parsing CA/],
    ['genSignedCert', ['svc', ['300.1.1.1'], [], 1, ca], /error parsing ip: 300.1.1.1/],
    ['genSignedCert', ['svc', [], [5], 1, ca], /alternate dns name: 5 is not a string/],
    ['genSignedCert', ['svc', [], [], 1, { Cert: 'x', Key: 'y' }], /error parsing CA certificate/],
    ['genCAWithKey', ['ca', 1, 'not a key'], /error parsing private key/],
  ])('%s (case %#) fails', (name, args, message) => {
    expect(() => run(name, args, {}, t)).toThrow(TemplateFunctionError);
    expect(() => run(name, args, {}, t)).toThrow(message);
  });
});
