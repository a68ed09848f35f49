/** The statefulset-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the statefulset-controller. */
export function statefulSetController(): Controller {
  return {
    name: 'statefulset-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
