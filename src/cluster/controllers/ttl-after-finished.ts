/** The ttl-after-finished-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the ttl-after-finished-controller. */
export function ttlAfterFinishedController(): Controller {
  return {
    name: 'ttl-after-finished-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
