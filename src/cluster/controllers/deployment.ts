/** The deployment-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the deployment-controller. */
export function deploymentController(): Controller {
  return {
    name: 'deployment-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
