/** The endpoint-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the endpoint-controller. */
export function endpointsController(): Controller {
  return {
    name: 'endpoint-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
