/**
 * `node:crypto`, loaded on first use: most charts call no hash, key or certificate function,
 * and loading the module costs every `bosun template` a couple of milliseconds of start-up.
 */

import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';

let loaded: typeof NodeCrypto | undefined;

/** The `node:crypto` module. */
export function nodeCrypto(): typeof NodeCrypto {
  loaded ??= createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
  return loaded;
}
