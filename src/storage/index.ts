/**
 * Release storage (L2): the drivers that keep revisions (Secrets in the cluster, as Helm does,
 * or memory) and the `Storage` facade the release actions use.
 */

export type { Driver, ReleaseQuery, SecretsClient } from './driver.js';
export {
  assertNoSystemLabels,
  containsSystemLabels,
  SYSTEM_LABELS,
} from './labels.js';
export { MemoryDriver } from './memory.js';
export { createStorage } from './release-storage.js';
export {
  MAX_SECRET_DATA_BYTES,
  RELEASE_SECRET_TYPE,
  SecretDriver,
  type SecretDriverOptions,
} from './secrets.js';
export type { Storage } from './storage.js';
