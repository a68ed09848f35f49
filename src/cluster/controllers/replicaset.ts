/** The replicaset-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the replicaset-controller. */
export function replicaSetController(): Controller {
  return {
    name: 'replicaset-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
