/** The daemonset-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the daemonset-controller. */
export function daemonSetController(): Controller {
  return {
    name: 'daemonset-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
