/** The horizontal-pod-autoscaler (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the horizontal-pod-autoscaler. */
export function hpaController(): Controller {
  return {
    name: 'horizontal-pod-autoscaler',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
