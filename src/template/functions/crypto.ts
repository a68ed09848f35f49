/**
 * Keys and passwords (Sprig v3): `genPrivateKey` uses node:crypto (keys are not reproducible:
 * they come from the system's secure random source, as in Helm); `htpasswd` salts bcrypt from
 * the render's seeded PRNG, so its output is reproducible. Certificates are in `certs.ts`.
 */

import { type FunctionMap, fail, fn, isNil, strArg } from './args.js';
import { bcryptHash } from './bcrypt.js';
import { nodeCrypto } from './node-crypto.js';
import type { RandomSource } from './random.js';

/** Sprig `genPrivateKey`: a PEM private key (`rsa` 4096-bit PKCS#1, `ecdsa` P-256 SEC 1, `ed25519` PKCS#8). */
export function genPrivateKey(type: string): string {
  switch (type) {
    case '':
    case 'rsa':
      return nodeCrypto()
        .generateKeyPairSync('rsa', { modulusLength: 4096 })
        .privateKey.export({ type: 'pkcs1', format: 'pem' })
        .toString();
    case 'ecdsa':
      return nodeCrypto()
        .generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'sec1', format: 'pem' })
        .toString();
    case 'ed25519':
      return nodeCrypto()
        .generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
    case 'dsa':
      return fail('genPrivateKey: dsa keys are not supported');
    default:
      return `Unknown type ${type}`;
  }
}

const unsupported = (name: string, arity: number) =>
  fn(arity, arity, () => fail(`${name} is not supported yet`));

/** Crypto functions. */
export function cryptoFunctions(source: RandomSource): FunctionMap {
  return {
    genPrivateKey: fn(1, 1, ([t]) => genPrivateKey(strArg(t))),
    htpasswd: fn(2, 3, ([user, password, algo], call) => {
      const rand = source(call.template);
      const u = strArg(user);
      if (u.includes(':')) return `invalid username: ${u}`;
      const pw = strArg(password);
      const method = isNil(algo) ? 'bcrypt' : strArg(algo).toLowerCase();
      if (method === 'sha')
        return `${u}:{SHA}${nodeCrypto().createHash('sha1').update(pw, 'utf8').digest('base64')}`;
      if (method !== 'bcrypt') return fail(`htpasswd: unknown hash algorithm ${JSON.stringify(method)}`);
      try {
        return `${u}:${bcryptHash(
          pw,
          Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256)),
        )}`;
      } catch (err) {
        return `failed to encrypt string with bcrypt: ${(err as Error).message}`;
      }
    }),
    derivePassword: unsupported('derivePassword', 5),
    encryptAES: unsupported('encryptAES', 2),
    decryptAES: unsupported('decryptAES', 2),
  };
}
