/** The cronjob-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the cronjob-controller. */
export function cronJobController(): Controller {
  return {
    name: 'cronjob-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
