/** The serviceaccount-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the serviceaccount-controller. */
export function serviceAccountController(): Controller {
  return {
    name: 'serviceaccount-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
