/** The root-ca-cert-publisher (not written yet: it observes nothing and does nothing). */

import type { Controller } from '../runtime/types.js';

/** Builds the root-ca-cert-publisher. */
export function rootCaPublisherController(): Controller {
  return {
    name: 'root-ca-cert-publisher',
    resources: [],
    observe() {},
    reconcile() {},
  };
}
