/** The job-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the job-controller. */
export function jobController(): Controller {
  return {
    name: 'job-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
