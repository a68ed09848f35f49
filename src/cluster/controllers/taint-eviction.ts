/** The taint-eviction-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the taint-eviction-controller. */
export function taintEvictionController(): Controller {
  return {
    name: 'taint-eviction-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
