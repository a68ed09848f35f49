/** The persistentvolume-controller (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the persistentvolume-controller. */
export function persistentVolumeController(): Controller {
  return {
    name: 'persistentvolume-controller',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
