/** The default-scheduler (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the default-scheduler. */
export function schedulerController(): Controller {
  return {
    name: 'default-scheduler',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
