/** The endpointslice-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the endpointslice-controller. */
export function endpointSliceController(): Controller {
  return {
    name: 'endpointslice-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
