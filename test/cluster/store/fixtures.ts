/**
 * Small builders shared by the store tests: keys, ConfigMap-like objects, error reasons.
 */

import type { StoreOptions } from '../../../src/cluster/store/index.js';
import {
  type KubeObject,
  type ObjectKey,
  type ObjectStore,
  StoreError,
  type StoreErrorReason,
} from '../../../src/cluster/store/types.js';

/** Opens a fresh, empty store. */
export type StoreFactory = (options?: StoreOptions) => ObjectStore;

/** A key; `namespace` '' for cluster-scoped objects. */
export function key(name: string, namespace = 'default', resource = 'configmaps'): ObjectKey {
  return { resource, namespace, name };
}

/** A ConfigMap-like object. */
export function object(name: string, labels: Record<string, string> = {}, data: unknown = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

/** Runs `fn` and returns the reason of the `StoreError` it throws. */
export function reasonOf(fn: () => unknown): StoreErrorReason {
  try {
    fn();
  } catch (error) {
    if (error instanceof StoreError) return error.reason;
    throw error;
  }
  throw new Error('expected a StoreError');
}

/** `namespace/name` of each listed item. */
export const names = (items: readonly { key: ObjectKey }[]) =>
  items.map((i) => `${i.key.namespace}/${i.key.name}`);
