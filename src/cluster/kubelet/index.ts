/** The kubelet (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the kubelet. */
export function kubeletController(): Controller {
  return {
    name: 'kubelet',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
